"""What-if (definition 9 of docs/analysis.md): promotion targets land in the zone and take over outside purchases.

A landed firm substitutes supply, it does not add it: it takes over a stated
share (``capture``) of the zone's outside purchases of the products it makes,
and a scenario link takes over the outside links it ``replaces``.  The zone's
total purchases stay the same unless a scenario link is marked as new demand.
docs/analysis.md ("What-if") states every rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chaingraph.analysis.closure import closure
from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.analysis.gaps import gaps
from chaingraph.analysis.resilience import resilience
from chaingraph.analysis.savings import savings
from chaingraph.errors import ChaingraphError, InputError, Problem, param
from chaingraph.listcells import items
from chaingraph.load import NEW_DEMAND
from chaingraph.model import Dataset
from chaingraph.results.money import money, money_sum, ratio
from chaingraph.results.options import Options
from chaingraph.results.resilience import DEFAULT_HHI_THRESHOLD, ResilienceChange, compare_resilience
from chaingraph.results.savings import annual_exact
from chaingraph.results.whatif import DEFAULT_CAPTURE, Move, ProductEffect, State, WhatIf

__all__ = ["NEW_DEMAND", "whatif"]


def _state(z: ZoneContext) -> State:
    c, s, g = closure(z), savings(z), gaps(z)
    act = z.links
    into = act[act["b_in"]]
    exact = (money_sum(into.loc[into["s_in"], "value"]), money_sum(into["value"]),
             money_sum([r.annual_exact for r in s.realized]), money_sum(annual_exact(s.potential)))  # fmt: skip
    return State(c.local_sourcing_ratio, c.local_value, c.total_value, s.total_realized, s.total_potential, c.chains,
                 g.gaps, exact)  # fmt: skip


def _by_product(z: ZoneContext, products: list[str]) -> dict[str, tuple[tuple[str, ...], float, float]]:
    """Product → (the zone's makers, its local purchases, its total purchases), exact."""
    act, makers = z.links, z.makers
    into = act[act["b_in"] & act["product"].isin(products)]
    out = {}
    for p in products:
        rows = into[into["product"] == p]
        out[p] = (tuple(makers.loc[makers["product"] == p, "maker"].tolist()),
                  money_sum(rows.loc[rows["s_in"], "value"]), money_sum(rows["value"]))  # fmt: skip
    return out


def _num(x: Any) -> str:
    """A number as a person writes it: ``5000.0`` → ``5000``."""
    return str(x).removesuffix(".0")


def whatif(
    data: Dataset | ZoneContext,
    scenario: Dataset,
    *,
    opts: Options | None = None,
    capture: float = DEFAULT_CAPTURE,
    hhi_threshold: float = DEFAULT_HHI_THRESHOLD,
) -> WhatIf:
    """Compare the zone (a :class:`ZoneContext`, or a dataset and ``opts``) before and with the scenario's firms landed.

    ``scenario`` is the same data plus them.

    ``scenario`` is what :func:`~chaingraph.load.load_scenario` returns: the
    data's rows first, then the scenario's firms (column ``capture``) and
    links (column ``replaces``).  ``capture`` is the share used where a firm's
    ``capture`` is empty.  ``hhi_threshold`` is the HHI past which a product's supply is
    highly concentrated (docs/analysis.md, "Resilience"): ``resilience`` holds the zone's
    supply concentration before and after, and a warning for each product the landing leaves
    on one supplier or pushes past it.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> ds = load_dataset("data")
    >>> new = ds.enterprises.iloc[:1].assign(id="NEW-1", name="功率模块新厂", zone="晋城经开区", products="功率模块")
    >>> scen = Dataset(pd.concat([ds.enterprises, new], ignore_index=True), ds.links, ds.chains)
    >>> w = whatif(ds, scen, opts=Options(zone="晋城经开区"))
    >>> [c for c in w.changes["gaps_changed"] if c["product"] == "功率模块"]  # a maker now, still bought outside
    [{'product': '功率模块', 'before': 'missing', 'after': 'weak'}]
    >>> p = w.products[0]
    >>> (p.product, p.local_maker_after, p.demand_met_locally, w.changes["total_value"])
    ('功率模块', True, False, 0.0)
    >>> w = whatif(ds, scen, opts=Options(zone="晋城经开区"), capture=0.5)  # it takes over half the imports
    >>> (w.changes["captured_value"], w.changes["total_value"], w.products[0].met_locally_after)
    (82000000.0, 0.0, 0.5)
    >>> w = whatif(ds, scen, opts=Options(zone="晋城经开区"), capture=1.0)  # all of it: one supplier left
    >>> [(x.kind, x.product, x.supplier_id, x.moved) for x in w.resilience.warnings]
    [('new_single_point', '功率模块', 'NEW-1', 164000000.0)]
    """
    z = zone_of(data, opts)
    ds, opts = z.dataset, z.opts
    if not 0.0 <= capture <= 1.0:
        raise ChaingraphError(f"{param('capture')} must be a share from 0 to 1, not {capture}.")
    after_ds, moves = _land(ds, scenario, opts, capture)
    za = z.landed(after_ds)
    before, after = _state(z), _state(za)
    added = tuple(sorted(set(scenario.enterprises["id"]) - set(ds.enterprises["id"])))
    new_ent = scenario.enterprises.iloc[len(ds.enterprises) :]
    touched = sorted(
        {p for ps in new_ent["products"].tolist() for p in items(ps)}
        | set(scenario.links["product"].iloc[len(ds.links) :].tolist())
    )
    side_b, side_a = _by_product(z, touched), _by_product(za, touched)
    products = tuple(
        ProductEffect(p, bool(side_b[p][0]), bool(side_a[p][0]), side_a[p][0], money(side_b[p][2]) or 0.0,
                      money(side_a[p][2]) or 0.0, money(side_b[p][1]) or 0.0, money(side_a[p][1]) or 0.0,
                      ratio(side_b[p][1], side_b[p][2]), ratio(side_a[p][1], side_a[p][2]),
                      side_a[p][2] > 0 and money(side_a[p][2] - side_a[p][1]) == 0.0)
        for p in touched
    )  # fmt: skip
    kinds_before = {g.product: g.kind for g in before.gaps}
    kinds_after = {g.product: g.kind for g in after.gaps}
    (lb, tb, rb, pb), (la, ta, ra, pa) = before.exact, after.exact
    captured = money_sum([m.value_exact for m in moves if m.rule != "new_demand" and m.move.local])
    added_demand = money_sum([m.value_exact for m in moves if m.rule == "new_demand"])
    demand_b = _by_product(z, sorted(p for p in kinds_before if p not in kinds_after))
    cov_b = {(c.chain, c.end_product): c for c in before.coverage}
    changes = {
        "local_sourcing_ratio": None if tb == 0 or ta == 0 else round(la / ta - lb / tb, 6),
        "local_value": money(la - lb),
        "total_value": money(ta - tb),
        "captured_value": money(captured),
        "added_demand": money(added_demand),
        "purchases_unchanged": added_demand == 0,
        "total_realized": money(ra - rb),
        "total_potential": money(pa - pb),
        "coverage_changed": [{"chain": c.chain, "end_product": c.end_product,
                              "before": cov_b[(c.chain, c.end_product)].stage_coverage, "after": c.stage_coverage}
                             for c in after.coverage if (c.chain, c.end_product) in cov_b
                             and cov_b[(c.chain, c.end_product)].stage_coverage != c.stage_coverage],
        "gaps_closed": sorted(p for p in kinds_before if p not in kinds_after),
        "gaps_opened": sorted(p for p in kinds_after if p not in kinds_before),
        "gaps_changed": [{"product": p, "before": kinds_before[p], "after": kinds_after[p]}
                         for p in sorted(kinds_before) if p in kinds_after and kinds_before[p] != kinds_after[p]],
        "external_demand_now_served_locally": money(money_sum([t - loc for _, loc, t in demand_b.values()])),
    }  # fmt: skip
    return WhatIf(opts.zone, added, before, after, changes, opts.scope, capture, tuple(m.move for m in moves),
                  products, _resilience(z, za, moves, hhi_threshold))  # fmt: skip


def _resilience(z: ZoneContext, za: ZoneContext, moves: list[_Moved], threshold: float) -> ResilienceChange:
    """The zone's supply concentration before and after (docs/analysis.md, "Resilience", what-if)."""
    moved: dict[str, float] = {}
    for m in moves:
        if m.rule != "new_demand" and m.move.local:
            moved[m.move.product] = moved.get(m.move.product, 0.0) + m.value_exact
    into = za.links[za.links["b_in"]]
    buyers = {str(p): int(n) for p, n in into.groupby("product", sort=False)["buyer_id"].nunique().items()}
    return compare_resilience(resilience(z, threshold=threshold), resilience(za, threshold=threshold),
                              moved=moved, buyers=buyers, rate=z.opts.local_saving_rate)  # fmt: skip


@dataclass(frozen=True)
class _Moved:
    move: Move
    value_exact: float

    @property
    def rule(self) -> str:
        return self.move.rule


def _land(ds: Dataset, scenario: Dataset, opts: Options, default: float) -> tuple[Dataset, list[_Moved]]:
    """The data after the landing, and what moved; every bad scenario row raises one :class:`InputError`."""
    files = {f.kind: f.file for f in scenario.files}
    ent_file, link_file = files.get("scenario", "scenario"), files.get("scenario_links", "scenario links")
    ent = scenario.enterprises
    in_zone = set(ent.loc[(ent[opts.scope] == opts.zone).to_numpy(), "id"].tolist())
    old = ds.links
    codes = ds.index.zone_codes(opts.scope)
    sup, buy, z = codes.supplier, codes.buyer, codes.code(opts.zone)
    outside_in = np.flatnonzero(ds.index.status_mask(opts.statuses) & (buy == z) & (sup != z))
    pool = old.iloc[outside_in][["supplier_id", "buyer_id", "product", "value"]].assign(row=outside_in)
    keep = np.ones(len(old))  # the share of each data link left after the scenario
    problems: list[Problem] = []
    moves: list[_Moved] = []

    new_links = scenario.links.iloc[len(old) :]
    replaces = new_links["replaces"] if "replaces" in new_links else pd.Series("", index=new_links.index)
    for r, rep in zip(new_links.to_dict("records"), replaces.fillna("").tolist(), strict=True):
        tokens = items(rep)
        line, value = int(r["line"]), float(r["value"])
        local = r["supplier_id"] in in_zone
        if any(t.lower() in NEW_DEMAND for t in tokens):
            moves.append(_Moved(Move("new_demand", r["supplier_id"], r["buyer_id"], r["product"], money(value) or 0.0,
                                     local, (), None), value))  # fmt: skip
            continue
        cand = pool[(pool["buyer_id"] == r["buyer_id"]) & (pool["product"] == r["product"])]
        if tokens:
            cand = cand[cand["supplier_id"].isin(tokens)]
        rows = cand["row"].to_numpy()
        left = money_sum(cand["value"].to_numpy() * keep[rows])
        if left <= 0:
            problems.append(Problem(link_file, line, "replaces", rep,
                                    f"{r['buyer_id']} buys no {r['product']} from "
                                    f"{'、'.join(tokens) if tokens else 'outside the zone'} on an active link: "
                                    "nothing to replace",
                                    "Name the outside suppliers this link takes over, or write new (新增) to add "
                                    "demand on purpose."))  # fmt: skip
            continue
        if (money(value) or 0.0) > (money(left) or 0.0):
            problems.append(Problem(link_file, line, "annual_value", _num(r["annual_value"]),
                                    f"the link's {_num(money(value))} 元 is more than the {_num(money(left))} 元 of "
                                    "the links it replaces",
                                    "Lower the value, or put the extra on its own row with replaces = new (新增)."))  # fmt: skip
            continue
        keep[rows] *= 1.0 - value / left
        moves.append(_Moved(Move("replaces", r["supplier_id"], r["buyer_id"], r["product"], money(value) or 0.0,
                                 local, tuple(sorted(set(cand["supplier_id"].tolist()))), None), value))  # fmt: skip

    base = keep.copy()  # captures are shares of what is still bought outside after the explicit links
    taken: dict[str, float] = {}
    extra = []
    new_ent = ent.iloc[len(ds.enterprises) :]
    shares = new_ent["capture"] if "capture" in new_ent else pd.Series(np.nan, index=new_ent.index)
    for f, c in zip(new_ent.to_dict("records"), shares.tolist(), strict=True):
        given = not pd.isna(c)
        share = float(c) if given else default
        if share == 0:
            continue
        if f["id"] not in in_zone:
            if given:
                problems.append(Problem(ent_file, int(f["line"]), "capture", str(c),
                                        f"{f['id']} is not in {opts.zone}: only a firm landing in the zone takes over "
                                        "its outside purchases", f"Set its zone to {opts.zone}, or leave capture empty."))  # fmt: skip
            continue
        for p in items(f["products"]):
            if taken.get(p, 0.0) + share > 1.0 + 1e-9:
                problems.append(Problem(ent_file, int(f["line"]), "capture", str(c if given else share),
                                        f"the landed firms' captures of {p} add up to more than 1",
                                        "Make the shares of firms making the same product sum to at most 1."))  # fmt: skip
                continue
            taken[p] = taken.get(p, 0.0) + share
            cand = pool[pool["product"] == p]
            for buyer, grp in cand.groupby("buyer_id", sort=True):
                rows = grp["row"].to_numpy()
                moved = grp["value"].to_numpy() * base[rows] * share
                value = money_sum(moved)
                if value <= 0:
                    continue
                keep[rows] -= base[rows] * share
                extra.append({"supplier_id": f["id"], "buyer_id": str(buyer), "product": p, "value": value,
                              "line": int(f["line"]), "note": f"what-if: takes over {share:g} of outside purchases"})  # fmt: skip
                moves.append(_Moved(Move("capture", str(f["id"]), str(buyer), p, money(value) or 0.0, True,
                                         tuple(sorted(set(grp["supplier_id"].tolist()))), share), value))  # fmt: skip
    if problems:
        raise InputError(sorted(problems, key=lambda q: (q.file, q.line or 0)))
    keep = np.clip(keep, 0.0, 1.0)
    links = old.copy()
    for col in ("annual_value", "annual_volume", "value", "vol"):
        links[col] = links[col].to_numpy(dtype="float64", na_value=np.nan) * keep
    gone = keep <= 1e-12  # fully taken over: the outside link becomes former (replaced), as in the data files
    if gone.any():
        links["status"] = links["status"].where(~gone, "former")
        for col in ("annual_value", "annual_volume", "value", "vol"):  # a former link keeps what it was
            links.loc[gone, col] = old.loc[gone, col]
    added = pd.DataFrame(extra, columns=["supplier_id", "buyer_id", "product", "value", "line", "note"])
    added = added.assign(annual_value=added["value"], annual_volume=np.nan, unit_price=np.nan, logistics_cost=0.0,
                         status="active", via="", landed=np.nan, vol=np.nan)  # fmt: skip
    parts = [links, new_links.drop(columns=["replaces"], errors="ignore")]
    if len(added):
        parts.append(added[list(old.columns)].astype({c: old[c].dtype for c in old.columns}))
    all_links = pd.concat(parts, ignore_index=True)
    return Dataset(ent, all_links, ds.chains, source=ds.source, files=scenario.files), moves
