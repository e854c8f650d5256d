"""The in-memory engine: the analyses of :mod:`chaingraph.analysis` over a loaded :class:`~chaingraph.model.Dataset`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from chaingraph.analysis.context import ZoneContext

if TYPE_CHECKING:
    import pandas as pd

    from chaingraph.model import Dataset
    from chaingraph.results.closure import Closure
    from chaingraph.results.gaps import Gaps
    from chaingraph.results.leaders import Leaders
    from chaingraph.results.options import Options
    from chaingraph.results.routes import Routes
    from chaingraph.results.savings import Savings

__all__ = ["MemoryBackend"]


class MemoryBackend:
    """Analyses computed in this process over a loaded :class:`Dataset`.

    The zone's :class:`ZoneContext` of the last options asked about is kept,
    so ``analyze`` (closure, savings and gaps of one zone) builds it once;
    ``--all-zones`` asks zone after zone and holds one zone at a time.
    """

    kind = "memory"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._zone: ZoneContext | None = None

    def zone(self, opts: Options) -> ZoneContext:
        """The context of ``opts.zone`` (the last one is kept)."""
        if self._zone is None or self._zone.opts != opts:
            self._zone = ZoneContext.of(self.dataset, opts)
        return self._zone

    def closure(self, *, opts: Options) -> Closure:
        from chaingraph.analysis.closure import closure

        return closure(self.zone(opts))

    def savings(self, *, opts: Options) -> Savings:
        from chaingraph.analysis.savings import savings

        return savings(self.zone(opts))

    def gaps(self, *, opts: Options) -> Gaps:
        from chaingraph.analysis.gaps import gaps

        return gaps(self.zone(opts))

    def leaders(self, *, opts: Options, top: int = 10) -> Leaders:
        from chaingraph.analysis.leaders import leaders

        return leaders(self.zone(opts), top=top)

    def routes(self, *, opts: Options, reroute_via: str | None = None, replacing: str | None = None) -> Routes:
        from chaingraph.analysis.routes import routes

        return routes(self.zone(opts), reroute_via=reroute_via, replacing=replacing)

    def zones_summary(self, *, opts: Options) -> pd.DataFrame:
        from chaingraph.analysis.zones import zones_summary

        return zones_summary(self.dataset, opts=opts)

    def names(self) -> Mapping[str, str]:
        return dict(
            zip(self.dataset.enterprises["id"].tolist(), self.dataset.enterprises["name"].tolist(), strict=True)
        )

    def zones(self, *, scope: str) -> list[str]:
        return sorted({str(z) for z in self.dataset.enterprises[scope].tolist() if z})

    def close(self) -> None:
        return None
