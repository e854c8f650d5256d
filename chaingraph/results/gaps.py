"""Gaps of a zone (definition 6 of docs/analysis.md): the promotion list's rows, rounded and ordered as everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chaingraph.results.money import money, ratio

__all__ = ["KIND_ORDER", "GapRow", "Gaps", "gap_row", "sort_gaps"]

KIND_ORDER = {"missing": 0, "weak": 1, "empty": 2}


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
    #: The feasibility × attractiveness quadrant (``results.matrix``; ``supply_security`` for a raw
    #: material; ``None`` where no matrix was asked for, e.g. a what-if's gap lists).
    quadrant: str | None = None

    def to_dict(self) -> dict[str, Any]:
        extra = {} if self.quadrant is None else {"quadrant": self.quadrant}
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
            **extra,
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


def sort_gaps(rows: list[GapRow]) -> tuple[GapRow, ...]:
    """Largest external demand first, then kind (missing, weak, empty), then product."""
    return tuple(sorted(rows, key=lambda x: (-x.external_demand, KIND_ORDER[x.kind], x.product)))
