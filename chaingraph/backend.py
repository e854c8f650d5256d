"""One interface, two engines: the in-memory (pandas/networkx) one and Neo4j.

:func:`open_backend` picks the engine from SOURCE: a folder loads the CSV
files; a ``bolt://`` or ``neo4j://`` URI computes server-side with the Cypher
in ``queries/``.  Both return the same typed results.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from chaingraph.analysis.closure import Closure
    from chaingraph.analysis.common import Options
    from chaingraph.analysis.gaps import Gaps
    from chaingraph.analysis.leaders import Leaders
    from chaingraph.analysis.routes import Routes
    from chaingraph.analysis.savings import Savings
    from chaingraph.model import Dataset

__all__ = ["Backend", "MemoryBackend", "is_uri", "open_backend"]

URI_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def is_uri(source: str) -> bool:
    """Whether SOURCE names a Neo4j server rather than a folder.

    >>> is_uri("bolt://127.0.0.1:7687"), is_uri("data")
    (True, False)
    """
    return source.startswith(URI_SCHEMES)


class Backend(Protocol):
    """What every engine answers."""

    @property
    def dataset(self) -> Dataset:
        """The data as tables (Neo4j: the graph read back), for analyses computed in memory."""
        ...

    def closure(self, *, opts: Options) -> Closure: ...
    def savings(self, *, opts: Options) -> Savings: ...
    def gaps(self, *, opts: Options) -> Gaps: ...
    def leaders(self, *, opts: Options, top: int = 10) -> Leaders: ...
    def routes(self, *, opts: Options, reroute_via: str | None = None, replacing: str | None = None) -> Routes: ...
    def zones_summary(self, *, opts: Options) -> pd.DataFrame:
        """Every zone's headline figures (``opts.zone`` ignored), one row per zone."""
        ...

    def names(self) -> Mapping[str, str]: ...
    def zones(self, *, scope: str) -> list[str]: ...
    def close(self) -> None: ...


class MemoryBackend:
    """Analyses computed in this process over a loaded :class:`Dataset`."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def closure(self, *, opts: Options) -> Closure:
        from chaingraph.analysis.closure import closure

        return closure(self.dataset, opts=opts)

    def savings(self, *, opts: Options) -> Savings:
        from chaingraph.analysis.savings import savings

        return savings(self.dataset, opts=opts)

    def gaps(self, *, opts: Options) -> Gaps:
        from chaingraph.analysis.gaps import gaps

        return gaps(self.dataset, opts=opts)

    def leaders(self, *, opts: Options, top: int = 10) -> Leaders:
        from chaingraph.analysis.leaders import leaders

        return leaders(self.dataset, opts=opts, top=top)

    def routes(self, *, opts: Options, reroute_via: str | None = None, replacing: str | None = None) -> Routes:
        from chaingraph.analysis.routes import routes

        return routes(self.dataset, opts=opts, reroute_via=reroute_via, replacing=replacing)

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


def open_backend(
    source: str,
    *,
    skip_bad: bool = False,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> Backend:
    """Open SOURCE: a data folder, or a Neo4j URI."""
    if is_uri(source):
        from chaingraph.neo4j.backend import Neo4jBackend

        return Neo4jBackend(source, user=user, password=password, database=database)
    from chaingraph.load import load_dataset

    return MemoryBackend(load_dataset(source, skip_bad=skip_bad))
