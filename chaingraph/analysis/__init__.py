"""The in-memory engine's analyses: pure functions over a per-zone :class:`ZoneContext`.

Each takes the zone's context (or a :class:`~chaingraph.model.Dataset` and
keyword-only :class:`Options`, from which the context is built) and returns
a frozen, typed result of :mod:`chaingraph.results` with ``to_dict()`` for
JSON.  None prints or changes its input.
"""

from chaingraph.analysis.closure import closure
from chaingraph.analysis.context import ZoneContext, zone_members
from chaingraph.analysis.gaps import gaps
from chaingraph.analysis.savings import savings
from chaingraph.results.closure import Closure
from chaingraph.results.gaps import Gaps
from chaingraph.results.options import Options
from chaingraph.results.savings import Savings

__all__ = ["Closure", "Gaps", "Options", "Savings", "ZoneContext", "closure", "gaps", "savings", "zone_members"]
