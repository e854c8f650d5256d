"""Route capture (DOMAIN.md definition 7): the value that passes each intermediary, and re-routing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from chaingraph.analysis.common import Options, considered_links, money, money_sum, zone_members
from chaingraph.errors import ChaingraphError
from chaingraph.model import Dataset

__all__ = ["Intermediary", "Routes", "build_routes", "intermediary_row", "reroute_result", "resolve_firm", "routes"]


@dataclass(frozen=True)
class Intermediary:
    """One intermediary (forwarder, bonded centre, trader) and what passes it."""

    id: str
    name: str
    zone: str
    value: float
    links: int
    routes: tuple[str, ...]
    #: The value unrounded, for figures derived from it (docs/analysis.md: output rounds once).
    value_exact: float = field(default=0.0, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "zone": self.zone, "value": self.value, "links": self.links,
                "routes": list(self.routes)}  # fmt: skip


@dataclass(frozen=True)
class Routes:
    """Intermediaries of the zone's routed links; with re-routing, what X would handle instead of Y."""

    zone: str
    scope: str
    intermediaries: tuple[Intermediary, ...]
    reroute_via: str | None = None
    replacing: str | None = None
    rerouted_value: float | None = None
    rerouted_links: tuple[dict[str, Any], ...] = ()
    via_value_after: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "scope": self.scope, "intermediaries": [i.to_dict() for i in self.intermediaries],
                "reroute_via": self.reroute_via, "replacing": self.replacing, "rerouted_value": self.rerouted_value,
                "rerouted_links": [dict(x) for x in self.rerouted_links], "via_value_after": self.via_value_after}  # fmt: skip


def resolve_firm(names: pd.Series, key: str, *, option: str) -> str:
    """An enterprise id from an id or a unique name (``names``: id → name)."""
    if key in names.index:
        return key
    hits = sorted(str(i) for i in names.index[names == key])
    if len(hits) == 1:
        return str(hits[0])
    if hits:
        raise ChaingraphError(f"{option} {key!r} names {len(hits)} enterprises ({', '.join(hits)}); give the id.")
    raise ChaingraphError(f"{option} {key!r} is neither an enterprise id nor a name in the data.")


def routes(ds: Dataset, *, opts: Options, reroute_via: str | None = None, replacing: str | None = None) -> Routes:
    """Value through each intermediary on links into or out of the zone.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> r = routes(load_dataset("data"), opts=Options(zone="晋城经开区"), reroute_via="兰花保税物流中心",
    ...            replacing="深圳通诚国际货运")
    >>> r.rerouted_value > 1e8
    True
    """
    members = zone_members(ds, opts)
    act = considered_links(ds, opts, members)
    routed = act[(act["b_in"] | act["s_in"]) & (act["via"] != "")]
    path = (
        routed["supplier_id"].str.cat(routed["via"].str.replace(";", ">"), sep=">").str.cat(routed["buyer_id"], sep=">")
    )
    frame = (
        routed[["supplier_id", "buyer_id", "product", "value", "line"]]
        .assign(path=path, via=routed["via"].str.split(";"))
        .explode("via")
    )
    x = resolve_firm(ds.names, reroute_via, option="--reroute-via") if reroute_via else None
    y = resolve_firm(ds.names, replacing, option="--replacing") if replacing else None
    if (x is None) != (y is None):
        raise ChaingraphError("--reroute-via and --replacing go together: X takes over what passes Y.")
    return build_routes(opts, frame, ds.names, pd.Series(ds.enterprises["zone"].to_numpy(), index=ds.enterprises["id"]),
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


def intermediary_row(iid: str, name: str, zone: str, value: float, links: int, routes: list[str]) -> Intermediary:
    """One intermediary, rounded as everywhere."""
    return Intermediary(iid, name, zone, money(value) or 0.0, links, tuple(sorted(set(routes))), float(value))


def reroute_result(opts: Options, rows: list[Intermediary], x: str | None, y: str | None,
                   moved: Sequence[Mapping[Any, Any]]) -> Routes:  # fmt: skip
    """The routes result; with X and Y, the links through Y (largest first) that X would handle."""
    rows = sorted(rows, key=lambda i: (-i.value, i.id))
    if x is None or y is None:
        return Routes(opts.zone, opts.scope, tuple(rows))
    links = tuple({"supplier_id": str(r["supplier_id"]), "buyer_id": str(r["buyer_id"]), "product": str(r["product"]),
                   "value": money(float(r["value"])), "line": int(r["line"])} for r in moved)  # fmt: skip
    rerouted = money_sum([float(r["value"]) for r in moved])
    x_now = next((i.value_exact for i in rows if i.id == x), 0.0)
    return Routes(opts.zone, opts.scope, tuple(rows), x, y, money(rerouted) or 0.0, links, money(x_now + rerouted))
