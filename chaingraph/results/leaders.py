"""Chain leaders (链主, definition 8 of docs/analysis.md) and the 以商引商 list: the result rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chaingraph.results.hubs import HUBS_METHOD, Hub
from chaingraph.results.money import money, ratio

__all__ = ["MAX_PARTNERS", "METHOD", "Leader", "Leaders", "invite_row", "leader_row"]

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
