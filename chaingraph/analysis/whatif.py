"""What-if (DOMAIN.md definition 9): a promotion target lands in the zone; what changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chaingraph.analysis.closure import closure
from chaingraph.analysis.common import Options, money
from chaingraph.analysis.gaps import GapRow, gaps
from chaingraph.analysis.savings import savings
from chaingraph.model import Dataset

__all__ = ["State", "WhatIf", "whatif"]


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


def _state(ds: Dataset, opts: Options) -> State:
    c, s, g = closure(ds, opts=opts), savings(ds, opts=opts), gaps(ds, opts=opts)
    return State(c.local_sourcing_ratio, s.total_realized, s.total_potential, g.gaps)


def whatif(ds: Dataset, scenario: Dataset, *, opts: Options) -> WhatIf:
    """Compare the zone in ``ds`` and in ``scenario`` (``ds`` plus the firms that would land).

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> import pandas as pd
    >>> ds = load_dataset("data")
    >>> new = ds.enterprises.iloc[:1].assign(id="NEW-1", name="功率模块新厂", zone="晋城经开区", products="功率模块")
    >>> scen = Dataset(pd.concat([ds.enterprises, new], ignore_index=True), ds.links, ds.chains)
    >>> w = whatif(ds, scen, opts=Options(zone="晋城经开区"))
    >>> [c for c in w.changes["gaps_changed"] if c["product"] == "功率模块"]  # a maker now, still bought outside
    [{'product': '功率模块', 'before': 'missing', 'after': 'weak'}]
    """
    before, after = _state(ds, opts), _state(scenario, opts)
    added = tuple(sorted(set(scenario.enterprises["id"]) - set(ds.enterprises["id"])))
    kinds_before = {g.product: g.kind for g in before.gaps}
    kinds_after = {g.product: g.kind for g in after.gaps}
    lsr_b, lsr_a = before.local_sourcing_ratio, after.local_sourcing_ratio
    changes = {
        "local_sourcing_ratio": None if lsr_b is None or lsr_a is None else round(lsr_a - lsr_b, 6),
        "total_potential": money(after.total_potential - before.total_potential),
        "gaps_closed": sorted(p for p in kinds_before if p not in kinds_after),
        "gaps_opened": sorted(p for p in kinds_after if p not in kinds_before),
        "gaps_changed": [{"product": p, "before": kinds_before[p], "after": kinds_after[p]}
                         for p in sorted(kinds_before) if p in kinds_after and kinds_before[p] != kinds_after[p]],
        "external_demand_now_served_locally": money(sum(
            g.external_demand for g in before.gaps if g.product not in kinds_after)),
    }  # fmt: skip
    return WhatIf(opts.zone, added, before, after, changes)
