"""The ranked invitation list (``gaps --rank``) and single points of failure.

Each gap of definition 6 (docs/analysis.md) gets a score from four parts, each scaled
to 0–1 over the zone's gaps: external demand, number of local buyers, number
of local products that depend on it, and relatedness.  Relatedness applies
the Atlas of Economic Complexity's *density* to chain stages: of the gap's
inputs and outputs in the product flow graph, the share the zone already
covers (inputs it makes, outputs it buys).  A gap with related capabilities
around it is easier to fill.  Weights are the user's.
"""

from __future__ import annotations

import pandas as pd

from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.analysis.gaps import gaps
from chaingraph.analysis.invite import raw_materials
from chaingraph.analysis.matrix import gap_matrix, relatedness_of
from chaingraph.analysis.resilience import local_single_points, supply_hhi
from chaingraph.model import Dataset
from chaingraph.results.money import money_sum, ratio
from chaingraph.results.options import Options
from chaingraph.results.rank import RULE_ORDER, RankedGap, Ranking, SupplyItem, Weights

__all__ = ["rank_gaps"]

_TIER = {rule: k for k, rule in enumerate(RULE_ORDER)}


def rank_gaps(data: Dataset | ZoneContext, *, opts: Options | None = None, weights: Weights | None = None) -> Ranking:
    """Score the zone's gaps, set raw materials apart, list single points (a :class:`ZoneContext`, or data and ``opts``).

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> r = rank_gaps(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> top = r.ranked[0]
    >>> top.product, top.rule, [(t["id"], t["share"]) for t in top.targets]  # makers, not traders
    ('MCU芯片', 'makers_known', [('EX-043', 0.217648), ('SZ-MCU', 0.013485), (None, 0.768867)])
    >>> r.ranked[-1].product, r.ranked[-1].rule, r.ranked[-1].targets[0]["via"]  # only a trader: maker unknown
    ('光学胶', 'maker_unknown', ['HK-YT'])
    >>> [(x.product, x.rule) for x in r.supply_security]  # a mine is not invited
    [('铁矿石', 'raw_material')]
    """
    w = (weights or Weights()).normalised()
    z = zone_of(data, opts)
    ds, opts = z.dataset, z.opts
    g = gaps(z)
    act, made, flow = z.links, z.made, z.flow
    bought = set(act.loc[act["b_in"], "product"].tolist())
    into = act[act["b_in"]]
    hhi = supply_hhi(into)
    raw = raw_materials(ds)
    rows = [r for r in g.gaps if r.product not in raw]  # raw materials are not invitation targets
    quadrants = {m.product: m.quadrant for m in gap_matrix(z, gaps=g).rows}  # the matrix's quadrant, as in `gaps`
    tracer = z.tracer
    outside = into[~into["s_in"]]
    sold_in = _by_value(outside)
    max_d = max([r.external_demand for r in rows] + [0.0]) or 1.0
    max_b = max([len(r.buyers) for r in rows] + [0]) or 1
    max_p = max([len(r.dependents) for r in rows] + [0]) or 1
    ranked = []
    related = relatedness_of([r.product for r in rows], flow, made, bought)
    for r in rows:
        ins, ins_made, outs, outs_bought = related[r.product]
        rel = ratio(len(ins_made) + len(outs_bought), len(ins) + len(outs)) or 0.0
        parts = {"demand": round(r.external_demand / max_d, 6), "buyers": round(len(r.buyers) / max_b, 6),
                 "dependents": round(len(r.dependents) / max_p, 6), "relatedness": rel}  # fmt: skip
        score = round(sum(parts[k] * getattr(w, k) for k in parts), 6)
        h = hhi.get(r.product)
        sellers = sold_in.get(r.product, [])
        targets = tracer.targets(r.product, sellers, money_sum([v for _, v in sellers]))
        rule = "makers_known" if any(t.id for t in targets) else "maker_unknown" if targets else "no_supplier"
        via = tuple(sorted({ds.names.get(x, x) for t in targets if t.id is None for x in t.via[:1]}))
        ranked.append(RankedGap(r.product, r.kind, score, parts, r.external_demand, len(r.buyers), r.dependents, rel,
                                ins, ins_made, outs, outs_bought, None if h is None or pd.isna(h) else round(float(h), 6),
                                r.suppliers, tuple(t.to_dict() for t in targets), rule,
                                via, quadrants.get(r.product)))  # fmt: skip
    ranked.sort(key=lambda x: (_TIER[x.rule], -x.score, -x.external_demand, x.product))
    supply = []
    for r in g.gaps:
        if r.product in raw:
            h = hhi.get(r.product)
            kinds = {i: tracer.kind.get(i, "manufacturer") for i in (s["id"] for s in r.suppliers)}
            sups = tuple({**s, "kind": kinds[s["id"]]} for s in r.suppliers)
            hv = None if h is None or pd.isna(h) else round(float(h), 6)
            supply.append(SupplyItem(r.product, r.kind, r.external_demand, tuple(b["id"] for b in r.buyers), sups, hv,
                                     "raw_material"))  # fmt: skip
    singles = local_single_points(z)  # one home for the single-point rules: analysis/resilience.py
    return Ranking(opts.zone, opts.scope, w, tuple(ranked), singles, tuple(supply))


def _by_value(frame: pd.DataFrame) -> dict[str, list[tuple[str, float]]]:
    """Per product: (supplier id, exact value) of its outside links into the zone, largest first, then id.

    One grouping over all the zone's outside links (not one per product); each sum adds the same rows in
    the same order as a grouping of that product's links alone.

    >>> f = pd.DataFrame({"product": ["钢", "钢", "铝"], "supplier_id": ["b", "a", "b"], "value": [1.0, 2.0, 3.0]})
    >>> _by_value(f)
    {'钢': [('a', 2.0), ('b', 1.0)], '铝': [('b', 3.0)]}
    """
    v = frame.groupby(["product", "supplier_id"], sort=False)["value"].sum().reset_index()
    v = v.sort_values(["product", "value", "supplier_id"], ascending=[True, False, True], kind="stable")
    out: dict[str, list[tuple[str, float]]] = {}
    for p, i, x in zip(v["product"].tolist(), v["supplier_id"].tolist(), v["value"].tolist(), strict=True):
        out.setdefault(str(p), []).append((str(i), float(x)))
    return out
