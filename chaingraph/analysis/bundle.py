"""All three answers for one zone at once (``chaingraph analyze``, the report)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chaingraph.analysis.closure import Closure
from chaingraph.analysis.gaps import Gaps
from chaingraph.analysis.savings import Savings

if TYPE_CHECKING:
    from chaingraph.analysis.common import Options
    from chaingraph.backend import Backend

__all__ = ["Analysis", "analyze"]


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


def analyze(backend: Backend, *, opts: Options) -> Analysis:
    """Ask ``backend`` the three questions for ``opts.zone``."""
    return Analysis(backend.closure(opts=opts), backend.savings(opts=opts), backend.gaps(opts=opts))
