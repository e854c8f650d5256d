"""What-if (definition 9 of docs/analysis.md): a promotion target lands in the zone; what changes."""

from __future__ import annotations

from chaingraph.analysis.closure import closure
from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.analysis.gaps import gaps
from chaingraph.analysis.savings import savings
from chaingraph.model import Dataset
from chaingraph.results.money import money
from chaingraph.results.options import Options
from chaingraph.results.whatif import State, WhatIf

__all__ = ["whatif"]


def _state(z: ZoneContext) -> State:
    c, s, g = closure(z), savings(z), gaps(z)
    return State(c.local_sourcing_ratio, s.total_realized, s.total_potential, g.gaps)


def whatif(data: Dataset | ZoneContext, scenario: Dataset, *, opts: Options | None = None) -> WhatIf:
    """Compare the zone in ``data`` and in ``scenario`` (the same data plus the firms that would land).

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
    z = zone_of(data, opts)
    ds = z.dataset
    before, after = _state(z), _state(ZoneContext.of(scenario, z.opts))
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
    return WhatIf(z.opts.zone, added, before, after, changes)
