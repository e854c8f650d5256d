"""Route capture (definition 7 of docs/analysis.md): intermediaries and re-routing, as both engines report them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from chaingraph.errors import ChaingraphError, param
from chaingraph.results.money import money, money_sum
from chaingraph.results.options import Options

__all__ = ["Intermediary", "Routes", "intermediary_row", "reroute_firms", "reroute_result", "resolve_firm"]


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


def resolve_firm(names: pd.Series, key: str, *, parameter: str) -> str:
    """An enterprise id from an id or a unique name (``names``: id → name); errors name ``parameter``."""
    if key in names.index:
        return key
    hits = sorted(str(i) for i in names.index[names == key])
    if len(hits) == 1:
        return str(hits[0])
    if hits:
        raise ChaingraphError(
            f"{param(parameter)} {key!r} names {len(hits)} enterprises ({', '.join(hits)}); give the id."
        )
    raise ChaingraphError(f"{param(parameter)} {key!r} is neither an enterprise id nor a name in the data.")


def reroute_firms(names: pd.Series, reroute_via: str | None, replacing: str | None) -> tuple[str | None, str | None]:
    """X and Y of a re-routing as enterprise ids (both or neither given)."""
    x = resolve_firm(names, reroute_via, parameter="reroute_via") if reroute_via else None
    y = resolve_firm(names, replacing, parameter="replacing") if replacing else None
    if (x is None) != (y is None):
        raise ChaingraphError(
            f"{param('reroute_via')} and {param('replacing')} go together: X takes over what passes Y."
        )
    return x, y


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
