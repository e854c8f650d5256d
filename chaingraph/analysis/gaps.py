"""Question 3: which links are missing, who buys them, whom to invite (DOMAIN.md definition 6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from chaingraph.analysis.common import (
    Options,
    considered_links,
    local_makers,
    money,
    money_fen,
    ratio,
    zone_members,
)
from chaingraph.analysis.flow import ProductFlow, zone_flow
from chaingraph.columns import isin
from chaingraph.model import Dataset

if TYPE_CHECKING:
    import networkx as nx  # imported where used: `chaingraph savings` never needs it

__all__ = ["KIND_LABELS", "KIND_ORDER", "GapRow", "Gaps", "chain_graph", "dependents_of", "gaps", "outside_half"]

KIND_ORDER = {"missing": 0, "weak": 1, "empty": 2}
KIND_LABELS = {"missing": "缺链", "weak": "弱链", "empty": "空白环节"}


@dataclass(frozen=True)
class GapRow:
    """One missing, weak or empty link of the zone's chain."""

    product: str
    kind: str
    external_demand: float
    local_purchase: float
    outside_share: float | None
    local_makers: tuple[str, ...]
    buyers: tuple[dict[str, Any], ...]
    suppliers: tuple[dict[str, Any], ...]
    dependents: tuple[str, ...]
    chains: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "product": self.product,
            "kind": self.kind,
            "external_demand": self.external_demand,
            "local_purchase": self.local_purchase,
            "outside_share": self.outside_share,
            "local_makers": list(self.local_makers),
            "buyers": [dict(b) for b in self.buyers],
            "suppliers": [dict(s) for s in self.suppliers],
            "dependents": list(self.dependents),
            "chains": list(self.chains),
        }


@dataclass(frozen=True)
class Gaps:
    """The zone's promotion list, largest external demand first."""

    zone: str
    scope: str
    gaps: tuple[GapRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "scope": self.scope, "gaps": [g.to_dict() for g in self.gaps]}


def gap_row(
    product: str,
    kind: str,
    demand: float,
    purchase: float,
    makers: tuple[str, ...] | list[str],
    buyers: list[tuple[str, str, float]],
    suppliers: list[tuple[str, str, str, float]],
    dependents: list[str],
    chains: tuple[str, ...] | list[str],
) -> GapRow:
    """One gap row from its sums; shares and rounding as everywhere.

    ``buyers`` are (id, name, value) and ``suppliers`` (id, name, zone, value),
    each already in order (largest value first, then id).
    """
    return GapRow(
        product, kind, money(demand) or 0.0, money(purchase) or 0.0, ratio(demand, purchase), tuple(makers),
        tuple({"id": str(i), "name": n, "value": money(v)} for i, n, v in buyers),
        tuple({"id": str(i), "name": n, "zone": z, "value": money(v), "share": ratio(float(v), demand)}
              for i, n, z, v in suppliers),
        tuple(sorted(set(dependents))), tuple(sorted(set(chains))),
    )  # fmt: skip


def outside_half(demand: pd.Series, purchase: pd.Series) -> pd.Series:
    """Where at least half of the purchases come from outside, judged on the figures as shown (to the fen).

    The sums are exact; comparing their fen keeps the verdict the same in every
    engine when demand is exactly half of the purchases.

    >>> outside_half(pd.Series([50.0, 0.4, 1.0]), pd.Series([100.0, 100.0, 0.0])).tolist()
    [True, False, False]
    """
    d, p = money_fen(demand.to_numpy(dtype="float64")), money_fen(purchase.to_numpy(dtype="float64"))
    return pd.Series((p > 0) & (2 * d >= p), index=demand.index)


def sort_gaps(rows: list[GapRow]) -> tuple[GapRow, ...]:
    """Largest external demand first, then kind (missing, weak, empty), then product."""
    return tuple(sorted(rows, key=lambda x: (-x.external_demand, KIND_ORDER[x.kind], x.product)))


def chain_graph(ds: Dataset) -> nx.DiGraph:
    """The chain map's input → product graph (empty without chains.csv)."""
    import networkx as nx

    g: nx.DiGraph = nx.DiGraph()
    if ds.chains is not None:
        feeds = ds.chains[ds.chains["input"] != ""]
        g.add_nodes_from(ds.chains["product"].tolist())
        g.add_edges_from(zip(feeds["input"].tolist(), feeds["product"].tolist(), strict=True))
    return g


def dependents_of(product: str, chain_g: nx.DiGraph, flow: ProductFlow, made: set[str]) -> list[str]:
    """Z-made products downstream of ``product``: in the chain map when it is there, else in the product flow."""
    import networkx as nx

    downstream = nx.descendants(chain_g, product) if product in chain_g else flow.descendants(product) - {product}
    return [q for q in downstream if q in made]


def gaps(ds: Dataset, *, opts: Options) -> Gaps:
    """Missing, weak and empty links of zone ``opts.zone``.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> g = gaps(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> row = next(r for r in g.gaps if r.product == "功率模块")
    >>> row.kind, [s["id"] for s in row.suppliers]
    ('missing', ['SZ-YY', 'HK-HX'])
    """
    members = zone_members(ds, opts)
    act = considered_links(ds, opts, members)
    into = act[act["b_in"]]
    outside = into[~into["s_in"]]
    makers = local_makers(ds, act, members)
    n_makers = makers.groupby("product", sort=False).size()
    demand = outside.groupby("product", sort=False)["value"].sum()
    purchase = into.groupby("product", sort=False)["value"].sum()

    chain_of: dict[str, list[str]] = {}
    if ds.chains is not None:
        pc = pd.concat(
            [
                ds.chains[["chain", "product"]],
                ds.chains.loc[ds.chains["input"] != "", ["chain", "input"]].rename(columns={"input": "product"}),
            ]
        )
        for p, grp in pc.drop_duplicates().groupby("product"):
            chain_of[str(p)] = sorted(set(grp["chain"].tolist()))
    index = purchase.index.union(pd.Index(list(chain_of), dtype=purchase.index.dtype))
    table = pd.DataFrame(
        {
            "demand": demand.reindex(index).fillna(0.0),
            "purchase": purchase.reindex(index).fillna(0.0),
            "makers": n_makers.reindex(index).fillna(0).astype(int),
        },
        index=index,
    )
    kind = pd.Series(None, index=index, dtype="object")
    kind[(table["makers"] == 0) & pd.Series(index.isin(list(chain_of)), index=index)] = "empty"
    kind[(table["demand"] > 0) & (table["makers"] == 0)] = "missing"
    kind[(table["makers"] == 1) & outside_half(table["demand"], table["purchase"])] = "weak"
    table["kind"] = kind.reindex(table.index)
    table = table[table["kind"].notna()]
    if table.empty:
        return Gaps(opts.zone, opts.scope, ())

    g = zone_flow(ds, opts.statuses)
    chain_g = chain_graph(ds)
    made = set(makers["product"].tolist())
    gap_products = set(table.index.tolist())
    sub = outside[isin(outside["product"], list(gap_products))]

    def ranked(key: str) -> dict[str, list[tuple[str, float]]]:
        """Per product, the (id, value) of its buyers or suppliers, largest value first, then id."""
        v = sub.groupby(["product", key], sort=False)["value"].sum().reset_index()
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
    for key, r in table.iterrows():
        p = str(key)
        buyers = [(i, info[i][0], v) for i, v in buyers_by.get(p, [])]
        suppliers = [(i, info[i][0], info[i][1], v) for i, v in sups_by.get(p, [])]
        deps = dependents_of(p, chain_g, g, made)
        rows.append(gap_row(p, str(r["kind"]), float(r["demand"]), float(r["purchase"]), makers_by.get(p, ()),
                            buyers, suppliers, deps, chain_of.get(p, ())))  # fmt: skip
    return Gaps(opts.zone, opts.scope, sort_gaps(rows))
