"""Chain leaders (链主, definition 8 of docs/analysis.md) and the 以商引商 invitation list."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.analysis.hubs import hubs_of
from chaingraph.model import Dataset
from chaingraph.results.leaders import MAX_PARTNERS, METHOD, Leaders, invite_row, leader_row
from chaingraph.results.money import money_sum
from chaingraph.results.options import Options

__all__ = ["build_leaders", "leaders"]


def leaders(data: Dataset | ZoneContext, *, opts: Options | None = None, top: int = 10) -> Leaders:
    """Rank the zone's firms by anchored value (see :data:`~chaingraph.results.leaders.METHOD`).

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> lead = leaders(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> [x.name for x in lead.leaders[:2]]
    ['晋钢', '晋城明芯光电(示例)']
    """
    z = zone_of(data, opts)
    ds, act = z.dataset, z.links
    touching = act[act["b_in"] | (act["s_in"])][["supplier_id", "buyer_id", "product", "value", "s_in", "b_in"]]
    zone_by_id = pd.Series(ds.enterprises["zone"].to_numpy(), index=ds.enterprises["id"].to_numpy())
    declared = pd.Series(ds.enterprises["chain_leader"].to_numpy(), index=ds.enterprises["id"].to_numpy())
    lead = build_leaders(z.opts, z.members.tolist(), touching, ds.names, zone_by_id, declared, top=top)
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
