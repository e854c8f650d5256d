"""The zone's hubs (docs/analysis.md, definition 8, "Hubs"): the result rows both engines build."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chaingraph.results.money import money, ratio

__all__ = ["HUBS_METHOD", "Hub", "hub_row", "sort_hubs"]

HUBS_METHOD = (
    "hub value = the yearly value of the zone's active links (buyer or supplier in the zone) that pass the firm: "
    "as an intermediary in via, or as an end of kind trader or logistics. into_value: links into the zone's "
    "buyers; share_of_purchases = into_value / the zone's total purchases. "
    "枢纽经手额 = 经它中转 (via) 或由贸易/物流企业经手的本园区供应关系年金额。"
)


@dataclass(frozen=True)
class Hub:
    """An intermediary of the zone and the value it routes."""

    id: str
    name: str
    zone: str
    kind: str
    value: float
    into_value: float
    out_value: float
    share_of_purchases: float | None
    links: int
    products: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def hub_row(hid: str, name: str, zone: str, kind: str, into_value: float, out_value: float, purchases: float,
            links: int, products: Iterable[str]) -> Hub:  # fmt: skip
    """One hub from its sums, rounded once (``purchases``: the zone's total purchases, exact)."""
    return Hub(hid, name, zone, kind, money(into_value + out_value) or 0.0, money(into_value) or 0.0,
               money(out_value) or 0.0, ratio(into_value, purchases), links, tuple(sorted(set(products))))  # fmt: skip


def sort_hubs(rows: list[Hub]) -> tuple[Hub, ...]:
    """Largest value first, then id."""
    return tuple(sorted(rows, key=lambda h: (-h.value, h.id)))
