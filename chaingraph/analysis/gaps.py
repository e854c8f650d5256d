"""Question 3: which links are missing, who buys them, whom to invite (definition 6 of docs/analysis.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.lookup import isin
from chaingraph.model import Dataset
from chaingraph.productflow import ProductFlow, Reach
from chaingraph.results.gaps import Gaps, gap_row, sort_gaps
from chaingraph.results.money import money_fen, money_sum_groups
from chaingraph.results.options import Options

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["dependents", "dependents_of", "gaps", "outside_half"]


def outside_half(demand: ArrayLike, purchase: ArrayLike) -> np.ndarray:
    """Where at least half of the purchases come from outside, judged on the figures as shown (to the fen).

    The sums are exact; comparing their fen keeps the verdict the same in every
    engine when demand is exactly half of the purchases.

    >>> outside_half([50.0, 0.4, 1.0], [100.0, 100.0, 0.0]).tolist()
    [True, False, False]
    """
    d, p = money_fen(np.asarray(demand, dtype="float64")), money_fen(np.asarray(purchase, dtype="float64"))
    return np.asarray((p > 0) & (2 * d >= p), dtype=bool)


def dependents_of(product: str, chain_map: ProductFlow, flow: Reach, made: frozenset[str]) -> list[str]:
    """Z-made products downstream of ``product``: in the chain map when it is there, else in the product flow."""
    return dependents([product], chain_map, flow, made)[product]


def dependents(
    products: Iterable[str], chain_map: ProductFlow, flow: Reach, made: frozenset[str]
) -> dict[str, list[str]]:
    """:func:`dependents_of` for each of ``products``: the product flow asked once, for those not in the chain map.

    >>> g = ProductFlow.of([], [("铁", "钢"), ("钢", "箱体")])
    >>> dependents(["铁", "钢"], ProductFlow.of([], []), g, frozenset({"箱体"}))
    {'铁': ['箱体'], '钢': ['箱体']}
    """
    asked = list(dict.fromkeys(products))
    far = flow.reach([p for p in asked if p not in chain_map], among=made)
    out = {}
    for p in asked:
        downstream = chain_map.descendants(p) & made if p in chain_map else far[p]
        out[p] = sorted(q for q in downstream if q != p)
    return out


def gap_kinds(
    demand: Mapping[str, float],
    purchase: Mapping[str, float],
    n_makers: Mapping[str, int],
    chain_stages: Iterable[tuple[str, str]],
) -> tuple[dict[str, tuple[str, float, float]], dict[str, list[str]]]:
    """Each gap product's kind (docs/analysis.md, definition 6), for every engine.

    ``demand`` and ``purchase`` are the zone's outside and total purchases per
    product, ``n_makers`` its local makers per product, ``chain_stages`` the
    (chain, product) pairs of the chain map.  Returns, per gap product (in product
    order), its ``(kind, demand, purchase)``, and product → its chains.

    Examples
    --------
    >>> gap_kinds({"钢": 10.0}, {"钢": 10.0}, {}, [("车", "胎")])
    ({'胎': ('empty', 0.0, 0.0), '钢': ('missing', 10.0, 10.0)}, {'胎': ['车']})
    """
    chain_of: dict[str, list[str]] = {}
    for chain, p in chain_stages:
        chain_of.setdefault(str(p), []).append(str(chain))
    chain_of = {p: sorted(set(chains)) for p, chains in sorted(chain_of.items())}
    products = sorted({*purchase, *chain_of})
    d = np.array([float(demand.get(p, 0.0)) for p in products], dtype="float64")
    half = outside_half(d, [float(purchase.get(p, 0.0)) for p in products])
    out: dict[str, tuple[str, float, float]] = {}
    for p, dp, weak_share in zip(products, d.tolist(), half.tolist(), strict=True):
        makers = int(n_makers.get(p, 0))
        kind = ("weak" if makers == 1 and weak_share else "missing" if dp > 0 and makers == 0
                else "empty" if makers == 0 and p in chain_of else None)  # fmt: skip
        if kind is not None:
            out[p] = (kind, dp, float(purchase.get(p, 0.0)))
    return out, chain_of


def gaps(data: Dataset | ZoneContext, *, opts: Options | None = None) -> Gaps:
    """Missing, weak and empty links of the zone: a :class:`ZoneContext`, or a dataset and ``opts``.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> g = gaps(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> row = next(r for r in g.gaps if r.product == "功率模块")
    >>> row.kind, [s["id"] for s in row.suppliers]
    ('missing', ['SZ-YY', 'HK-HX'])
    """
    z = zone_of(data, opts)
    ds, act, makers = z.dataset, z.links, z.makers
    into = act[act["b_in"]]
    outside = into[~into["s_in"]]
    n_makers = {str(p): int(n) for p, n in makers.groupby("product", sort=False).size().items()}
    demand = {str(p): float(v) for p, v in money_sum_groups(outside, ["product"], ["value"])["value"].items()}
    purchase = {str(p): float(v) for p, v in money_sum_groups(into, ["product"], ["value"])["value"].items()}
    stages = ds.index.chain_stages
    table, chain_of = gap_kinds(demand, purchase, n_makers, zip(stages["chain"], stages["product"], strict=True))
    if not table:
        return Gaps(z.opts.zone, z.opts.scope, ())

    g, chain_g, made = z.flow, ds.index.chain_flow(), z.made
    gap_products = set(table)
    sub = outside[isin(outside["product"], list(gap_products))]

    def ranked(key: str) -> dict[str, list[tuple[str, float]]]:
        """Per product, the (id, value) of its buyers or suppliers, largest value first, then id."""
        v = money_sum_groups(sub, ["product", key], ["value"]).reset_index()
        v = v.sort_values(["product", "value", key], ascending=[True, False, True], kind="stable")
        out: dict[str, list[tuple[str, float]]] = {}
        for p, i, val in zip(v["product"].tolist(), v[key].tolist(), v["value"].tolist(), strict=True):
            out.setdefault(p, []).append((i, val))
        return out

    buyers_by, sups_by = ranked("buyer_id"), ranked("supplier_id")
    info = ds.firm_info(pd.concat([sub["buyer_id"], sub["supplier_id"]], ignore_index=True))
    makers_by: dict[str, list[str]] = {}
    gm = makers[isin(makers["product"], list(gap_products))]
    for p, m in zip(gm["product"].tolist(), gm["maker"].tolist(), strict=True):
        makers_by.setdefault(p, []).append(m)

    rows = []
    deps_of = dependents(list(table), chain_g, g, made)
    for p, (kind, demand_p, purchase_p) in table.items():
        buyers = [(i, info[i][0], v) for i, v in buyers_by.get(p, [])]
        suppliers = [(i, info[i][0], info[i][1], v) for i, v in sups_by.get(p, [])]
        deps = deps_of[p]
        rows.append(gap_row(p, kind, demand_p, purchase_p, makers_by.get(p, ()), buyers, suppliers, deps,
                            chain_of.get(p, ())))  # fmt: skip
    return Gaps(z.opts.zone, z.opts.scope, sort_gaps(rows))
