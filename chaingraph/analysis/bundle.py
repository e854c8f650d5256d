"""All three answers for one zone at once (``chaingraph analyze``, the report)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from chaingraph.analysis.closure import Closure
from chaingraph.analysis.gaps import Gaps
from chaingraph.analysis.savings import Savings

if TYPE_CHECKING:
    from chaingraph.analysis.common import Options
    from chaingraph.backend import Backend

__all__ = ["Analysis", "analyze", "iter_zones", "summary_row"]


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


def summary_row(a: Analysis) -> dict[str, Any]:
    """One zone's headline figures: a row of :func:`~chaingraph.analysis.zones.zones_summary`."""
    return {
        "zone": a.closure.zone, "local_sourcing_ratio": a.closure.local_sourcing_ratio,
        "local_value": a.closure.local_value, "total_value": a.closure.total_value,
        "total_realized": a.savings.total_realized, "total_potential": a.savings.total_potential,
        "gaps": len(a.gaps.gaps), **{k: sum(1 for g in a.gaps.gaps if g.kind == k) for k in ("missing", "weak", "empty")},
    }  # fmt: skip


def iter_zones(backend: Backend, *, opts: Options) -> Iterator[Analysis]:
    """The three answers for every zone of the data, one zone at a time (``opts.zone`` is ignored).

    The in-memory engine shares its per-dataset work (zone codes, the product
    flow graph and what is up- and downstream of each product, listed
    products) across zones; yielding zone by zone keeps memory at one zone's
    results however many zones there are.
    """
    for z in backend.zones(scope=opts.scope):
        yield analyze(backend, opts=replace(opts, zone=z))
