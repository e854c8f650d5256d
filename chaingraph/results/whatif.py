"""What-if (definition 9 of docs/analysis.md): the zone before and after a scenario, and what moved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chaingraph.results.closure import ChainCoverage
from chaingraph.results.gaps import GapRow
from chaingraph.results.resilience import ResilienceChange

__all__ = ["DEFAULT_CAPTURE", "GAP_FILL_CAPTURE", "Move", "ProductEffect", "State", "WhatIf"]

#: The share of the zone's outside purchases of its products a landed firm takes over when the
#: scenario's ``capture`` cell is empty: 0, a maker lands but no buyer has switched yet.
DEFAULT_CAPTURE = 0.0

#: The share of a gap's external demand counted as kept local "if the gap is filled" (the
#: attractiveness of the gap matrix, docs/analysis.md "Where to invest"): the same kind of share
#: as ``capture``, but 1 — the gap filled, the zone's outside purchases of it bought locally.
#: :data:`DEFAULT_CAPTURE` (0) would make every gap worth 0.
GAP_FILL_CAPTURE = 1.0


@dataclass(frozen=True)
class State:
    """The headline figures of one side of the comparison (closure's, savings' and gaps' own)."""

    local_sourcing_ratio: float | None
    local_value: float
    total_value: float
    total_realized: float
    total_potential: float
    coverage: tuple[ChainCoverage, ...]
    gaps: tuple[GapRow, ...]
    #: (local, total, realized, potential) unrounded, for the changes (output rounds once).
    exact: tuple[float, float, float, float] = field(default=(0.0, 0.0, 0.0, 0.0), repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"local_sourcing_ratio": self.local_sourcing_ratio, "local_value": self.local_value,
                "total_value": self.total_value, "total_realized": self.total_realized,
                "total_potential": self.total_potential,
                "coverage": [{"chain": c.chain, "end_product": c.end_product, "stage_coverage": c.stage_coverage,
                              "closed": c.closed} for c in self.coverage],
                "gaps": [g.to_dict() for g in self.gaps]}  # fmt: skip


@dataclass(frozen=True)
class Move:
    """Purchases the scenario moves: from outside suppliers of a buyer to a landed (or named) supplier."""

    rule: str
    supplier_id: str
    buyer_id: str
    product: str
    value: float
    local: bool
    replaced: tuple[str, ...]
    share: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "supplier_id": self.supplier_id, "buyer_id": self.buyer_id,
                "product": self.product, "value": self.value, "local": self.local, "replaced": list(self.replaced),
                "share": self.share}  # fmt: skip


@dataclass(frozen=True)
class ProductEffect:
    """One product the scenario touches: does a local maker exist, and is local demand met locally?"""

    product: str
    local_maker_before: bool
    local_maker_after: bool
    local_makers_after: tuple[str, ...]
    purchases_before: float
    purchases_after: float
    local_before: float
    local_after: float
    met_locally_before: float | None
    met_locally_after: float | None
    demand_met_locally: bool

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class WhatIf:
    """Before and after a scenario, what it moved, and what changed."""

    zone: str
    added: tuple[str, ...]
    before: State
    after: State
    changes: dict[str, Any]
    scope: str = "zone"
    capture_default: float = DEFAULT_CAPTURE
    moves: tuple[Move, ...] = ()
    products: tuple[ProductEffect, ...] = ()
    #: Supply concentration before and after, with the warnings (docs/analysis.md, "Resilience").
    resilience: ResilienceChange | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"zone": self.zone, "scope": self.scope, "added": list(self.added),
               "capture_default": self.capture_default, "before": self.before.to_dict(),
               "after": self.after.to_dict(), "changes": self.changes,
               "products": [p.to_dict() for p in self.products], "moves": [m.to_dict() for m in self.moves]}  # fmt: skip
        if self.resilience is not None:
            out["resilience"] = self.resilience.to_dict()
        return out
