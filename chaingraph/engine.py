"""The engine interface: what every engine answers, and the questions asked of any engine.

An engine computes the analyses over one data source and returns the typed
results of :mod:`chaingraph.results`: the in-memory engine
(:class:`chaingraph.memory_engine.MemoryBackend`, pandas/numpy over a loaded
:class:`~chaingraph.model.Dataset`) and Neo4j
(:class:`chaingraph.neo4j.engine.Neo4jBackend`, the Cypher in ``queries/``).
:func:`chaingraph.sources.open_backend` picks one from SOURCE.  This module
imports neither engine.

A further engine (an embedded columnar one, Spark) implements
:class:`Backend`; an analysis it does not compute natively is computed in
memory over its :attr:`Backend.dataset` (see :mod:`chaingraph.registry`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, runtime_checkable

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

__all__ = ["Backend", "Forking", "analyze", "iter_zones"]


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


@runtime_checkable
class Forking(Protocol):
    """An engine that can be asked several questions at once (DuckDB): :meth:`forks` gives engines over the same
    data, each on a connection of its own, so one runs a query while another shapes its rows in Python."""

    def forks(self, n: int) -> tuple[Backend, ...]: ...

    def interrupt(self) -> None:
        """Stop the queries running on the forks now (each raises on its own thread)."""
        ...


def analyze(backend: Backend, *, opts: Options) -> Analysis:
    """Ask ``backend`` the three questions for ``opts.zone``.

    On an engine that forks (:class:`Forking`) closure and gaps are asked on two forks, each on a thread of its
    own, while savings is asked here: the queries of one run while another's rows are shaped.  The answers are
    the same, and so is what fails: an error is raised as asking the three in turn would raise it (closure's
    first, then savings', then gaps').
    """
    if not isinstance(backend, Forking):
        return Analysis(backend.closure(opts=opts), backend.savings(opts=opts), backend.gaps(opts=opts))
    first, last = backend.forks(2)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="chaingraph-analyze") as pool:
        closure = pool.submit(first.closure, opts=opts)
        gaps = pool.submit(last.gaps, opts=opts)
        try:
            try:
                savings = backend.savings(opts=opts)
            except Exception:
                closure.result()  # closure's own error first
                raise
            return Analysis(closure.result(), savings, gaps.result())
        except BaseException as e:
            if not isinstance(e, Exception):  # Ctrl-C, exit: the forks stop now, not once their queries end
                backend.interrupt()
            raise


def iter_zones(backend: Backend, *, opts: Options) -> Iterator[Analysis]:
    """The three answers for every zone of the data, one zone at a time (``opts.zone`` is ignored).

    The in-memory engine shares its per-dataset work (zone codes, the product
    flow graph and what is up- and downstream of each product, listed
    products) across zones; yielding zone by zone keeps memory at one zone's
    results however many zones there are.
    """
    for z in backend.zones(scope=opts.scope):
        yield analyze(backend, opts=replace(opts, zone=z))
