"""What-if (definition 9 of docs/analysis.md): the zone before and after a scenario."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chaingraph.results.gaps import GapRow

__all__ = ["State", "WhatIf"]


@dataclass(frozen=True)
class State:
    """The headline figures of one side of the comparison."""

    local_sourcing_ratio: float | None
    total_realized: float
    total_potential: float
    gaps: tuple[GapRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"local_sourcing_ratio": self.local_sourcing_ratio, "total_realized": self.total_realized,
                "total_potential": self.total_potential, "gaps": [g.to_dict() for g in self.gaps]}  # fmt: skip


@dataclass(frozen=True)
class WhatIf:
    """Before and after a scenario, and what changed."""

    zone: str
    added: tuple[str, ...]
    before: State
    after: State
    changes: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "added": list(self.added), "before": self.before.to_dict(),
                "after": self.after.to_dict(), "changes": self.changes}  # fmt: skip
