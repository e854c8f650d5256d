"""Savings of a zone (definitions 4–5 of docs/analysis.md): the result rows, rounded and ordered as everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chaingraph.results.money import money, ratio, unit_money

__all__ = [
    "MAX_CANDIDATES",
    "PotentialRow",
    "RealizedRow",
    "Savings",
    "potential_row",
    "realized_row",
    "sort_potential",
    "sort_realized",
]

#: Candidates listed per potential row (the local makers with the largest sales of the product first).
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class RealizedRow:
    """One buyer in Z and product P that switched from outside to local supply."""

    buyer_id: str
    product: str
    supplier_id: str
    local_suppliers: tuple[str, ...]
    former_suppliers: tuple[str, ...]
    before: float
    after: float
    unit_saving: float
    saving_rate: float | None
    volume: float
    annual_saving: float
    #: The annual saving unrounded: totals sum these, so a total is rounded once (docs/analysis.md).
    annual_exact: float = field(default=0.0, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "buyer_id": self.buyer_id,
            "product": self.product,
            "supplier_id": self.supplier_id,
            "local_suppliers": list(self.local_suppliers),
            "former_suppliers": list(self.former_suppliers),
            "before": self.before,
            "after": self.after,
            "unit_saving": self.unit_saving,
            "saving_rate": self.saving_rate,
            "volume": self.volume,
            "annual_saving": self.annual_saving,
        }


@dataclass(frozen=True)
class PotentialRow:
    """One active outside link into Z that a local maker could take over."""

    buyer_id: str
    product: str
    supplier_id: str
    supplier_zone: str
    value: float
    landed: float | None
    reference: float | None
    reference_basis: str
    unit_saving: float | None
    saving_rate: float | None
    volume: float | None
    annual_saving: float
    candidates: tuple[str, ...]
    candidate_count: int
    #: The annual saving unrounded: totals sum these, so a total is rounded once (docs/analysis.md).
    annual_exact: float = field(default=0.0, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "buyer_id": self.buyer_id,
            "product": self.product,
            "supplier_id": self.supplier_id,
            "supplier_zone": self.supplier_zone,
            "value": self.value,
            "landed": self.landed,
            "reference": self.reference,
            "reference_basis": self.reference_basis,
            "unit_saving": self.unit_saving,
            "saving_rate": self.saving_rate,
            "volume": self.volume,
            "annual_saving": self.annual_saving,
            "candidates": list(self.candidates),
            "candidate_count": self.candidate_count,
        }


@dataclass(frozen=True)
class Savings:
    """Realized and potential savings of zone Z."""

    zone: str
    scope: str
    local_saving_rate: float
    realized: tuple[RealizedRow, ...]
    potential: tuple[PotentialRow, ...]
    total_realized: float
    total_potential: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "scope": self.scope,
            "local_saving_rate": self.local_saving_rate,
            "realized": [r.to_dict() for r in self.realized],
            "potential": [p.to_dict() for p in self.potential],
            "total_realized": self.total_realized,
            "total_potential": self.total_potential,
        }


def realized_row(
    buyer_id: str,
    product: str,
    supplier_id: str,
    local_suppliers: tuple[str, ...] | list[str],
    former_suppliers: tuple[str, ...] | list[str],
    before: float,
    after: float,
    volume: float,
) -> RealizedRow:
    """One realized-savings row from its weighted means and volume, rounded as everywhere."""
    unit = before - after
    return RealizedRow(
        buyer_id, product, supplier_id, tuple(sorted(set(local_suppliers))), tuple(sorted(set(former_suppliers))),
        unit_money(before) or 0.0, unit_money(after) or 0.0, unit_money(unit) or 0.0, ratio(unit, before),
        round(volume, 4),
        money(unit * volume) or 0.0, unit * volume,
    )  # fmt: skip


def potential_row(
    buyer_id: str,
    product: str,
    supplier_id: str,
    supplier_zone: str,
    value: float,
    landed: float | None,
    reference: float | None,
    basis: str,
    unit_saving: float | None,
    volume: float | None,
    annual: float,
    candidates: tuple[str, ...] | list[str],
    candidate_count: int,
    *,
    rate: float,
) -> PotentialRow:
    """One potential-savings row, rounded as everywhere (``landed`` None: no unit price)."""
    priced = landed is not None
    return PotentialRow(
        buyer_id, product, supplier_id, supplier_zone, money(value) or 0.0, unit_money(landed) if priced else None,
        unit_money(reference) if priced else None, basis, unit_money(unit_saving) if priced else None,
        ratio(unit_saving or 0.0, landed) if landed is not None else round(rate, 6),
        round(volume or 0.0, 4) if priced else None, money(annual) or 0.0, tuple(candidates)[:MAX_CANDIDATES],
        candidate_count, float(annual),
    )  # fmt: skip


def sort_realized(rows: list[RealizedRow]) -> tuple[RealizedRow, ...]:
    """Largest annual saving first, then buyer and product."""
    return tuple(sorted(rows, key=lambda x: (-x.annual_saving, x.buyer_id, x.product)))


def sort_potential(rows: list[PotentialRow]) -> tuple[PotentialRow, ...]:
    """Largest annual saving first, then buyer, product, supplier and value."""
    return tuple(sorted(rows, key=lambda x: (-x.annual_saving, x.buyer_id, x.product, x.supplier_id, -x.value)))
