"""Route capture (definition 7 of docs/analysis.md): the value that passes each intermediary, and re-routing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.model import Dataset
from chaingraph.results.options import Options
from chaingraph.results.routes import Routes, intermediary_row, reroute_firms, reroute_result

__all__ = ["build_routes", "routes"]


def routes(
    data: Dataset | ZoneContext,
    *,
    opts: Options | None = None,
    reroute_via: str | None = None,
    replacing: str | None = None,
) -> Routes:
    """Value through each intermediary on links into or out of the zone (a :class:`ZoneContext`, or a dataset and ``opts``).

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> r = routes(load_dataset("data"), opts=Options(zone="晋城经开区"), reroute_via="兰花保税物流中心",
    ...            replacing="深圳通诚国际货运")
    >>> r.rerouted_value > 1e8
    True
    """
    z = zone_of(data, opts)
    ds, act = z.dataset, z.links
    routed = act[(act["b_in"] | act["s_in"]) & (act["via"] != "")]
    path = (
        routed["supplier_id"].str.cat(routed["via"].str.replace(";", ">"), sep=">").str.cat(routed["buyer_id"], sep=">")
    )
    frame = (
        routed[["supplier_id", "buyer_id", "product", "value", "line"]]
        .assign(path=path, via=routed["via"].str.split(";"))
        .explode("via")
    )
    x, y = reroute_firms(ds.names, reroute_via, replacing)
    return build_routes(z.opts, frame, ds.names, pd.Series(ds.enterprises["zone"].to_numpy(), index=ds.enterprises["id"]),
                        x, y)  # fmt: skip


def build_routes(opts: Options, frame: pd.DataFrame, names: pd.Series, zone_of: pd.Series, x: str | None,
                 y: str | None) -> Routes:  # fmt: skip
    """From one row per (routed link, intermediary): supplier_id, buyer_id, product, value, via, line, and
    ``path``, the link's whole route as ids joined by ``>``."""

    def route_text(r: Mapping[Any, Any]) -> str:
        return " → ".join(str(names.get(i, i)) for i in str(r["path"]).split(">"))

    rows = []
    for via, grp in frame.groupby("via", sort=False):
        recs = grp.to_dict("records")
        rows.append(intermediary_row(str(via), str(names.get(via, "")), str(zone_of.get(via, "")),
                                     float(grp["value"].sum()), len(grp), [route_text(r) for r in recs]))  # fmt: skip
    moved = frame[frame["via"] == y].sort_values(["value", "line"], ascending=[False, True], kind="stable")
    return reroute_result(opts, rows, x, y, moved.to_dict("records"))
