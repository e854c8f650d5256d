"""All three answers for one zone (``chaingraph analyze``, the report), and the headline row of each zone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chaingraph.results.closure import Closure
from chaingraph.results.gaps import Gaps
from chaingraph.results.savings import Savings

__all__ = ["SUMMARY_COLUMNS", "Analysis", "summary_row"]

#: The columns of :func:`zones_summary`, in order.
SUMMARY_COLUMNS = [
    "zone",
    "local_sourcing_ratio",
    "local_value",
    "total_value",
    "total_realized",
    "total_potential",
    "gaps",
    "missing",
    "weak",
    "empty",
]


@dataclass(frozen=True)
class Analysis:
    """Closure, savings and gaps of one zone."""

    closure: Closure
    savings: Savings
    gaps: Gaps

    def to_dict(self) -> dict[str, Any]:
        return {
            "zone": self.closure.zone,
            "closure": self.closure.to_dict(),
            "savings": self.savings.to_dict(),
            "gaps": self.gaps.to_dict(),
        }


def summary_row(a: Analysis) -> dict[str, Any]:
    """One zone's headline figures: a row of :func:`~chaingraph.analysis.zones.zones_summary`."""
    return {
        "zone": a.closure.zone, "local_sourcing_ratio": a.closure.local_sourcing_ratio,
        "local_value": a.closure.local_value, "total_value": a.closure.total_value,
        "total_realized": a.savings.total_realized, "total_potential": a.savings.total_potential,
        "gaps": len(a.gaps.gaps), **{k: sum(1 for g in a.gaps.gaps if g.kind == k) for k in ("missing", "weak", "empty")},
    }  # fmt: skip
