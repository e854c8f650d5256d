"""The analyses: pure functions over a :class:`~chaingraph.model.Dataset`.

Each takes the dataset and keyword-only options and returns a frozen,
typed result with ``to_dict()`` for JSON.  None prints or changes its input.
"""

from chaingraph.analysis.closure import Closure, closure
from chaingraph.analysis.common import Options, zone_members
from chaingraph.analysis.gaps import Gaps, gaps
from chaingraph.analysis.savings import Savings, savings

__all__ = ["Closure", "Gaps", "Options", "Savings", "closure", "gaps", "savings", "zone_members"]
