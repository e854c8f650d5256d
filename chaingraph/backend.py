"""The engine interface: what every engine answers, and the questions asked of any engine.

An engine computes the analyses over one data source and returns the typed
results of :mod:`chaingraph.results`: the in-memory engine
(:class:`chaingraph.memory.MemoryBackend`, pandas/numpy over a loaded
:class:`~chaingraph.model.Dataset`) and Neo4j
(:class:`chaingraph.neo4j.backend.Neo4jBackend`, the Cypher in ``queries/``).
:func:`chaingraph.sources.open_backend` picks one from SOURCE.  This module
imports neither engine.

A further engine (an embedded columnar one, Spark) implements
:class:`Backend`; an analysis it does not compute natively is computed in
memory over its :attr:`Backend.dataset` (see :mod:`chaingraph.registry`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from chaingraph.results.analysis import Analysis

if TYPE_CHECKING:
    import pandas as pd

    from chaingraph.model import Dataset
    from chaingraph.results.closure import Closure
    from chaingraph.results.gaps import Gaps
    from chaingraph.results.leaders import Leaders
    from chaingraph.results.options import Options
    from chaingraph.results.routes import Routes
    from chaingraph.results.savings import Savings

__all__ = ["Backend", "analyze", "iter_zones"]


class Backend(Protocol):
    """What every engine answers."""

    #: The engine's name: ``memory``, ``neo4j`` (the registry's engine support names these).
    kind: str

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


def analyze(backend: Backend, *, opts: Options) -> Analysis:
    """Ask ``backend`` the three questions for ``opts.zone``."""
    return Analysis(backend.closure(opts=opts), backend.savings(opts=opts), backend.gaps(opts=opts))


def iter_zones(backend: Backend, *, opts: Options) -> Iterator[Analysis]:
    """The three answers for every zone of the data, one zone at a time (``opts.zone`` is ignored).

    The in-memory engine shares its per-dataset work (zone codes, the product
    flow graph and what is up- and downstream of each product, listed
    products) across zones; yielding zone by zone keeps memory at one zone's
    results however many zones there are.
    """
    for z in backend.zones(scope=opts.scope):
        yield analyze(backend, opts=replace(opts, zone=z))
