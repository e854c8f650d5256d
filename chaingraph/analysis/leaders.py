"""Chain leaders (链主, DOMAIN.md definition 8) and the 以商引商 invitation list."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from chaingraph.analysis.common import Options, considered_links, money, money_sum, ratio, zone_members
from chaingraph.analysis.hubs import HUBS_METHOD, Hub, hubs_of
from chaingraph.model import Dataset

__all__ = ["MAX_PARTNERS", "METHOD", "Leader", "Leaders", "build_leaders", "invite_row", "leader_row", "leaders"]

METHOD = (
    "anchored_value = all of the firm's purchases + its sales to firms in the zone (yuan/year, active links). "
    "Purchases are the demand that suppliers settle around (以商引商); sales inside the zone are how far it "
    "carries the local chain. share = anchored_value / the zone's total anchored value. "
    "锚定供应额 = 企业全部采购额 + 向区内企业的销售额。"
)
#: Partners listed per leader and direction (largest value first); counts give the total.
MAX_PARTNERS = 10


@dataclass(frozen=True)
class Leader:
    """One firm of the zone with the supply value it anchors."""

    id: str
    name: str
    declared: bool
    anchored_value: float
    share: float | None
    purchases: float
    local_purchases: float
    outside_purchases: float
    local_sales: float
    outside_sales: float
    local_suppliers: tuple[dict[str, Any], ...]
    outside_suppliers: tuple[dict[str, Any], ...]
    local_buyers: tuple[dict[str, Any], ...]
    outside_buyers: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Leaders:
    """Leaders ranked by anchored value, and the outside suppliers of the top ones to invite."""

    zone: str
    scope: str
    method: str
    leaders: tuple[Leader, ...]
    invite: tuple[dict[str, Any], ...]
    #: Intermediaries by value routed, apart from the chain leaders (:mod:`chaingraph.analysis.hubs`).
    hubs: tuple[Hub, ...] = ()
    hubs_method: str = HUBS_METHOD

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "scope": self.scope, "method": self.method,
                "leaders": [x.to_dict() for x in self.leaders], "invite": [dict(i) for i in self.invite],
                "hubs_method": self.hubs_method, "hubs": [h.to_dict() for h in self.hubs]}  # fmt: skip


def leaders(ds: Dataset, *, opts: Options, top: int = 10) -> Leaders:
    """Rank the zone's firms by anchored value (see :data:`METHOD`).

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> lead = leaders(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> [x.name for x in lead.leaders[:2]]
    ['晋钢', '晋城明芯光电(示例)']
    """
    members = zone_members(ds, opts)
    act = considered_links(ds, opts, members)
    touching = act[act["b_in"] | (act["s_in"])][["supplier_id", "buyer_id", "product", "value", "s_in", "b_in"]]
    names = ds.names
    zone_of = pd.Series(ds.enterprises["zone"].to_numpy(), index=ds.enterprises["id"].to_numpy())
    declared = pd.Series(ds.enterprises["chain_leader"].to_numpy(), index=ds.enterprises["id"].to_numpy())
    lead = build_leaders(opts, members.tolist(), touching, names, zone_of, declared, top=top)
    return replace(lead, hubs=hubs_of(act, ds.enterprises))


def build_leaders(opts: Options, members: list[str], links: pd.DataFrame, names: pd.Series, zone_of: pd.Series,
                  declared: pd.Series, *, top: int) -> Leaders:  # fmt: skip
    """Leaders from the links that touch the zone (supplier_id, buyer_id, product, value, s_in, b_in)."""
    bought = links[links["b_in"]]
    sold = links[links["s_in"]]

    def total(frame: pd.DataFrame, key: str) -> pd.Series:
        return frame.groupby(key, sort=False)["value"].sum()

    purchases = total(bought, "buyer_id")
    local_p = total(bought[bought["s_in"]], "buyer_id")
    local_s = total(sold[sold["b_in"]], "supplier_id")
    out_s = total(sold[~sold["b_in"]], "supplier_id")
    idx = pd.Index(sorted(members))
    table = pd.DataFrame({
        "purchases": purchases.reindex(idx).fillna(0.0), "local_purchases": local_p.reindex(idx).fillna(0.0),
        "local_sales": local_s.reindex(idx).fillna(0.0), "outside_sales": out_s.reindex(idx).fillna(0.0),
    }, index=idx)  # fmt: skip
    table["anchored"] = table["purchases"] + table["local_sales"]
    table = table[table["anchored"] > 0]
    grand = money_sum(table["anchored"])
    table = table.assign(_id=table.index).sort_values(["anchored", "_id"], ascending=[False, True], kind="stable")

    def partners(frame: pd.DataFrame, key: str, other: str) -> dict[str, list[dict[str, Any]]]:
        """Each firm's largest partners: one grouping over all links (linear), not one scan per firm."""
        g = frame.groupby([key, other], sort=False, observed=True)["value"].sum().reset_index()
        g = g.sort_values([key, "value", other], ascending=[True, False, True], kind="stable")
        g = g[(g.groupby(key, sort=False, observed=True).cumcount() < MAX_PARTNERS).to_numpy()]
        lists: dict[str, list[dict[str, Any]]] = {}
        for k, i, v in zip(g[key].tolist(), g[other].tolist(), g["value"].tolist(), strict=True):
            lists.setdefault(str(k), []).append(
                {"id": str(i), "name": str(names.get(i, "")), "zone": str(zone_of.get(i, "")), "value": float(v)}
            )
        return lists

    local_sup = partners(bought[bought["s_in"]], "buyer_id", "supplier_id")
    outside_sup = partners(bought[~bought["s_in"]], "buyer_id", "supplier_id")
    local_buy = partners(sold[sold["b_in"]], "supplier_id", "buyer_id")
    outside_buy = partners(sold[~sold["b_in"]], "supplier_id", "buyer_id")
    rows = [
        leader_row(str(fid), str(names.get(fid, "")), bool(declared.get(fid, False)), float(r["anchored"]), grand,
                   float(r["purchases"]), float(r["local_purchases"]), float(r["local_sales"]),
                   float(r["outside_sales"]), local_sup.get(str(fid), []), outside_sup.get(str(fid), []),
                   local_buy.get(str(fid), []), outside_buy.get(str(fid), []))
        for fid, r in table.iterrows()
    ]  # fmt: skip
    heads = [x.id for x in rows[:top]]
    outside = bought[~bought["s_in"] & bought["buyer_id"].isin(heads)]
    inv = outside.groupby("supplier_id", sort=False).agg(
        value=("value", "sum"), products=("product", lambda v: sorted(set(v))),
        leaders=("buyer_id", lambda v: sorted(set(v)))).reset_index()  # fmt: skip
    inv = inv.sort_values(["value", "supplier_id"], ascending=[False, True], kind="stable")
    invite = [invite_row(str(r["supplier_id"]), str(names.get(r["supplier_id"], "")),
                         str(zone_of.get(r["supplier_id"], "")), float(r["value"]), r["products"], r["leaders"])
              for r in inv.to_dict("records")]  # fmt: skip
    return Leaders(opts.zone, opts.scope, METHOD, tuple(rows), tuple(invite))


def _partner(p: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(p["id"]), "name": str(p["name"] or ""), "zone": str(p["zone"] or ""), "value": money(p["value"])}


def leader_row(
    fid: str,
    name: str,
    declared: bool,
    anchored: float,
    grand: float,
    purchases: float,
    local_purchases: float,
    local_sales: float,
    outside_sales: float,
    local_suppliers: list[dict[str, Any]],
    outside_suppliers: list[dict[str, Any]],
    local_buyers: list[dict[str, Any]],
    outside_buyers: list[dict[str, Any]],
) -> Leader:
    """One leader from its sums and partner lists, rounded as everywhere."""
    return Leader(
        fid, name, declared, money(anchored) or 0.0, ratio(anchored, grand), money(purchases) or 0.0,
        money(local_purchases) or 0.0, money(purchases - local_purchases) or 0.0, money(local_sales) or 0.0,
        money(outside_sales) or 0.0, tuple(map(_partner, local_suppliers)), tuple(map(_partner, outside_suppliers)),
        tuple(map(_partner, local_buyers)), tuple(map(_partner, outside_buyers)),
    )  # fmt: skip


def invite_row(sid: str, name: str, zone: str, value: float, products: list[str], leaders: list[str]) -> dict[str, Any]:
    """One 以商引商 row."""
    return {"id": sid, "name": name, "zone": zone, "value": money(value), "products": sorted(products),
            "leaders": sorted(leaders)}  # fmt: skip
