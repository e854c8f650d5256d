"""Flat tables (pandas) for ``--format csv``: one row per result row, lists joined by ``;``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from chaingraph.render.fmt import quadrant

if TYPE_CHECKING:
    from chaingraph.results.closure import Closure
    from chaingraph.results.gaps import Gaps
    from chaingraph.results.leaders import Leaders
    from chaingraph.results.matrix import GapMatrix
    from chaingraph.results.rank import Ranking
    from chaingraph.results.routes import Routes
    from chaingraph.results.savings import Savings
    from chaingraph.results.whatif import WhatIf

__all__ = ["closure_frame", "gaps_frame", "matrix_frame", "savings_frame"]


def closure_frame(c: Closure) -> pd.DataFrame:
    """Stage coverage rows, each with the zone's local sourcing ratio."""
    rows = [
        {
            "zone": c.zone,
            "local_sourcing_ratio": c.local_sourcing_ratio,
            "local_value": c.local_value,
            "total_value": c.total_value,
            **r.to_dict(),
            "missing_stages": ";".join(r.missing_stages),
        }
        for r in c.chains
    ]
    cols = [
        "zone",
        "local_sourcing_ratio",
        "local_value",
        "total_value",
        "chain",
        "end_product",
        "stage_coverage",
        "closed",
        "stages",
        "covered",
        "missing_stages",
    ]
    return pd.DataFrame(rows, columns=cols)


def savings_frame(s: Savings) -> pd.DataFrame:
    """Realized rows then potential rows, told apart by ``type``."""
    rows = []
    for r in s.realized:
        d = r.to_dict()
        rows.append(
            {
                "type": "realized",
                **d,
                "local_suppliers": ";".join(d["local_suppliers"]),
                "former_suppliers": ";".join(d["former_suppliers"]),
            }
        )
    for p in s.potential:
        d = p.to_dict()
        rows.append({"type": "potential", **d, "candidates": ";".join(d["candidates"])})
    cols = [
        "type",
        "buyer_id",
        "product",
        "supplier_id",
        "unit_saving",
        "saving_rate",
        "annual_saving",
        "volume",
        "before",
        "after",
        "local_suppliers",
        "former_suppliers",
        "supplier_zone",
        "value",
        "landed",
        "reference",
        "reference_basis",
        "candidates",
        "candidate_count",
    ]
    return pd.DataFrame(rows, columns=cols)


def gaps_frame(g: Gaps) -> pd.DataFrame:
    """Gap rows; suppliers as ``id:share`` and buyers as ids, ``;``-joined."""
    rows = []
    for r in g.gaps:
        rows.append(
            {
                "product": r.product,
                "kind": r.kind,
                "external_demand": r.external_demand,
                "local_purchase": r.local_purchase,
                "outside_share": r.outside_share,
                "local_makers": ";".join(r.local_makers),
                "buyers": ";".join(b["id"] for b in r.buyers),
                "suppliers": ";".join(f"{s['id']}:{s['share']}" for s in r.suppliers),
                "supplier_names": ";".join(s["name"] for s in r.suppliers),
                "dependents": ";".join(r.dependents),
                "chains": ";".join(r.chains),
                "quadrant": r.quadrant,
                "quadrant_label": None if r.quadrant is None else quadrant(r.quadrant),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "product",
            "kind",
            "external_demand",
            "local_purchase",
            "outside_share",
            "local_makers",
            "buyers",
            "suppliers",
            "supplier_names",
            "dependents",
            "chains",
            "quadrant",
            "quadrant_label",
        ],
    )


def leaders_frame(x: Leaders) -> pd.DataFrame:
    """One row per leader; partner lists as ``id:value``."""
    rows = []
    for r in x.leaders:
        d = r.to_dict()
        for k in ("local_suppliers", "outside_suppliers", "local_buyers", "outside_buyers"):
            d[k] = ";".join(f"{p['id']}:{p['value']}" for p in d[k])
        rows.append(d)
    return pd.DataFrame(rows)


def routes_frame(r: Routes) -> pd.DataFrame:
    """One row per intermediary."""
    return pd.DataFrame([{**i.to_dict(), "routes": ";".join(i.routes)} for i in r.intermediaries],
                        columns=["id", "name", "zone", "value", "links", "routes"])  # fmt: skip


def whatif_frame(w: WhatIf) -> pd.DataFrame:
    """Headline figures before and after."""
    ch = w.changes
    return pd.DataFrame([
        {"metric": "local_sourcing_ratio", "before": w.before.local_sourcing_ratio,
         "after": w.after.local_sourcing_ratio, "change": ch["local_sourcing_ratio"]},
        {"metric": "local_value", "before": w.before.local_value, "after": w.after.local_value,
         "change": ch["local_value"]},
        {"metric": "total_value", "before": w.before.total_value, "after": w.after.total_value,
         "change": ch["total_value"]},
        {"metric": "total_realized", "before": w.before.total_realized, "after": w.after.total_realized,
         "change": ch["total_realized"]},
        {"metric": "total_potential", "before": w.before.total_potential, "after": w.after.total_potential,
         "change": ch["total_potential"]},
        {"metric": "gaps", "before": len(w.before.gaps), "after": len(w.after.gaps),
         "change": len(w.after.gaps) - len(w.before.gaps)},
        *_whatif_resilience_rows(w),
    ])  # fmt: skip


def _whatif_resilience_rows(w: WhatIf) -> list[dict[str, Any]]:
    """The zone's supply concentration before and after (docs/analysis.md, "Resilience")."""
    c = w.resilience
    if c is None:
        return []
    return [
        {"metric": k, "before": c.before.summary()[k], "after": c.after.summary()[k], "change": c.changes[k]}
        for k in ("single_points", "single_point_share", "concentrated", "weighted_hhi")
    ]


def ranking_frame(r: Ranking) -> pd.DataFrame:
    """Ranked gaps with their score parts."""
    from chaingraph.render.explain import gap_explanation

    rows = [{"product": g.product, "kind": g.kind, "score": g.score, **{f"part_{k}": v for k, v in g.parts.items()},
             "external_demand": g.external_demand, "buyers": g.buyers, "relatedness": g.relatedness, "hhi": g.hhi,
             "suppliers": ";".join(s["id"] for s in g.suppliers),
             "targets": ";".join(f"{t['id'] or '?'}:{t['share']}" + (f"@{'>'.join(t['via'])}" if t["via"] else "")
                                 for t in g.targets),
             "rule": g.rule, "explanation": gap_explanation(g, r.weights), "quadrant": g.quadrant,
             "quadrant_label": quadrant(g.quadrant)} for g in r.ranked]  # fmt: skip
    return pd.DataFrame(rows)


def matrix_frame(m: GapMatrix) -> pd.DataFrame:
    """One row per gap on the feasibility × attractiveness matrix; drivers as ``product:φ``."""
    rows = [{"product": r.product, "kind": r.kind, "quadrant": r.quadrant, "quadrant_label": quadrant(r.quadrant),
             "density": r.density, "proximity_made": r.proximity_made, "proximity_total": r.proximity_total,
             "zones_making": r.zones_making, "drivers": ";".join(f"{d['product']}:{d['proximity']}" for d in r.drivers),
             "driver_count": r.driver_count, "chain_relatedness": r.chain_relatedness,
             "attractiveness": r.attractiveness, **{f"part_{k}": v for k, v in r.parts.items()},
             "external_demand": r.external_demand, "capture": m.capture, "value_kept": r.value_kept,
             "buyers": r.buyers, "dependents": ";".join(r.dependents), "multiplier": m.multiplier,
             "output_effect": r.output_effect, "output_share": r.output_share, "jobs": r.jobs} for r in m.rows]  # fmt: skip
    cols = ["product", "kind", "quadrant", "quadrant_label", "density", "proximity_made", "proximity_total",
            "zones_making", "drivers", "driver_count", "chain_relatedness", "attractiveness", "part_value_kept",
            "part_buyers", "part_dependents", "external_demand", "capture", "value_kept", "buyers", "dependents",
            "multiplier", "output_effect", "output_share", "jobs"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)
