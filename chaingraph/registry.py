"""Every analysis a user can ask for, in one typed table: what computes it, on which engine, and how it is shown.

An entry (:class:`AnalysisSpec`) names the analysis and holds

* ``compute``: the in-memory computation over a zone's
  :class:`~chaingraph.analysis.context.ZoneContext` and the analysis' own
  parameters (a frozen dataclass, :class:`NoParams` when there are none);
* ``native``: per engine kind (``neo4j``, ``duckdb``, ``spark``), the
  engine's own computation.  On an engine without one, the analysis is
  computed in memory over the engine's :attr:`~chaingraph.engine.Backend.dataset`
  (the declared in-memory fallback), so every analysis runs on every engine;
* ``result``: the result type of :mod:`chaingraph.results`;
* ``json``, ``csv`` and ``table``: how the result is written for each
  ``--format``.

The CLI asks :meth:`AnalysisSpec.run` and renders with the entry's functions:
it never picks a function by name.  Adding an analysis is one analysis
module, one Cypher file or none (the fallback), one entry here, and tests;
docs/architecture.md has the recipe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import pandas as pd

from chaingraph.analysis.benchmark import benchmark
from chaingraph.analysis.closure import closure
from chaingraph.analysis.context import ZoneContext
from chaingraph.analysis.gaps import gaps
from chaingraph.analysis.leaders import leaders
from chaingraph.analysis.matrix import gap_matrix
from chaingraph.analysis.panorama import Panorama, panorama
from chaingraph.analysis.rank import rank_gaps
from chaingraph.analysis.resilience import resilience
from chaingraph.analysis.routes import routes
from chaingraph.analysis.savings import savings
from chaingraph.analysis.whatif import whatif
from chaingraph.engine import Backend, analyze
from chaingraph.memory_engine import MemoryBackend
from chaingraph.render import benchmark as benchmark_page
from chaingraph.render import csv_frames, tables
from chaingraph.render import panorama as panorama_page
from chaingraph.render import resilience as resilience_page
from chaingraph.render.explain import ranking_dict
from chaingraph.results.analysis import Analysis
from chaingraph.results.benchmark import Benchmark
from chaingraph.results.closure import Closure
from chaingraph.results.gaps import Gaps
from chaingraph.results.leaders import Leaders
from chaingraph.results.matrix import DEFAULT_MULTIPLIER, GapMatrix, check_capture, check_multiplier, with_quadrants
from chaingraph.results.options import Options
from chaingraph.results.rank import Ranking, Weights
from chaingraph.results.resilience import DEFAULT_HHI_THRESHOLD, Resilience
from chaingraph.results.routes import Routes
from chaingraph.results.savings import Savings
from chaingraph.results.whatif import DEFAULT_CAPTURE, GAP_FILL_CAPTURE, WhatIf

if TYPE_CHECKING:
    from rich.console import RenderableType

    from chaingraph.neo4j.engine import Neo4jBackend

__all__ = [
    "ALL",
    "ANALYZE",
    "BENCHMARK",
    "CLOSURE",
    "GAPS",
    "LEADERS",
    "MATRIX",
    "PANORAMA",
    "RANK",
    "RESILIENCE",
    "ROUTES",
    "SAVINGS",
    "WHATIF",
    "AnalysisSpec",
    "BenchmarkParams",
    "LeadersParams",
    "MatrixParams",
    "NoParams",
    "RankParams",
    "ResilienceParams",
    "RoutesParams",
    "WhatIfParams",
    "zone_context",
]

P = TypeVar("P")
R = TypeVar("R")

#: What a CSV renderer gives: one table, or (``analyze``) several, by file stem.
CsvOut = pd.DataFrame | Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class NoParams:
    """The parameters of an analysis that has none beyond the :class:`Options`."""


@dataclass(frozen=True)
class LeadersParams:
    """``leaders``: how many leaders' outside suppliers make the invitation list."""

    top: int = 10


@dataclass(frozen=True)
class RoutesParams:
    """``routes``: re-route what passes ``replacing`` through ``reroute_via`` (both, or neither)."""

    reroute_via: str | None = None
    replacing: str | None = None


@dataclass(frozen=True)
class RankParams:
    """``gaps --rank``: the weights of the score's parts."""

    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class WhatIfParams:
    """``whatif``: the scenario's files and the default capture share."""

    scenario: str
    scenario_links: str | None = None
    capture: float = DEFAULT_CAPTURE
    hhi_threshold: float = DEFAULT_HHI_THRESHOLD


@dataclass(frozen=True)
class BenchmarkParams:
    """``benchmark``: the peer zones to compare with (``None``: every other zone with local purchases)."""

    peers: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ResilienceParams:
    """``resilience``: the HHI (0–1) past which a product's supply is highly concentrated."""

    hhi_threshold: float = DEFAULT_HHI_THRESHOLD


@dataclass(frozen=True)
class MatrixParams:
    """``matrix``: the share of a gap's external demand counted as kept local, and the output multiplier."""

    capture: float = GAP_FILL_CAPTURE
    multiplier: float = DEFAULT_MULTIPLIER

    def __post_init__(self) -> None:
        check_capture(self.capture)
        check_multiplier(self.multiplier)


class _Names(Mapping[str, str]):
    """Id → name from the engine, asked for only when a renderer reads it (Neo4j: one query)."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._names: Mapping[str, str] | None = None

    def _get(self) -> Mapping[str, str]:
        if self._names is None:
            self._names = self._backend.names()
        return self._names

    def __getitem__(self, key: str) -> str:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def zone_context(backend: Backend, opts: Options) -> ZoneContext:
    """The zone's context for an in-memory computation: the memory engine's own, else over the engine's data."""
    if isinstance(backend, MemoryBackend):
        return backend.zone(opts)
    return ZoneContext.of(backend.dataset, opts)


def _plain_json(result: Any, names: Mapping[str, str]) -> dict[str, Any]:
    return dict(result.to_dict())


@dataclass(frozen=True)
class AnalysisSpec(Generic[P, R]):
    """One analysis: its computation, engines, result type and renderers (see the module's text)."""

    name: str
    result: type[R]
    compute: Callable[[ZoneContext, P], R]
    csv: Callable[[R], CsvOut]
    table: Callable[[R, Mapping[str, str]], list[RenderableType]]
    json: Callable[[R, Mapping[str, str]], dict[str, Any]] = _plain_json
    native: Mapping[str, Callable[[Backend, Options, P], R]] = field(default_factory=dict)
    #: What is added to the result on every engine, after it is computed (natively or in memory):
    #: the gap lists get the matrix's quadrant column this way.
    then: Callable[[Backend, Options, P, R], R] | None = None

    @property
    def engines(self) -> tuple[str, ...]:
        """The engines that compute it themselves (``memory`` always; elsewhere it is computed in memory)."""
        return ("memory", *sorted(self.native))

    def run(self, backend: Backend, opts: Options, params: P) -> R:
        """The result for ``opts.zone`` from ``backend``: natively where the engine has it, else in memory."""
        own = self.native.get(backend.kind)
        result = own(backend, opts, params) if own is not None else self.compute(zone_context(backend, opts), params)
        return self.finish(backend, opts, params, result)

    def finish(self, backend: Backend, opts: Options, params: P, result: R) -> R:
        """``result`` with what :attr:`then` adds on every engine (for a result computed elsewhere, e.g. zone by zone)."""
        return result if self.then is None else self.then(backend, opts, params, result)

    def render_json(self, result: R, backend: Backend) -> dict[str, Any]:
        return self.json(result, _Names(backend))

    def render_table(self, result: R, backend: Backend) -> list[RenderableType]:
        return self.table(result, _Names(backend))


def _on_every_engine(f: Callable[[Backend, Options, P], R]) -> dict[str, Callable[[Backend, Options, P], R]]:
    """The same engine method as the native computation of Neo4j, DuckDB and Spark (closure, savings, gaps, analyze)."""
    return {"neo4j": f, "duckdb": f, "spark": f}


def matrix_of(backend: Backend, opts: Options, *, gaps: Gaps | None = None,
              params: MatrixParams | None = None) -> GapMatrix:  # fmt: skip
    """The zone's gap matrix from ``backend`` (natively where it has it), reusing ``gaps`` when given."""
    p = params or MatrixParams()
    if backend.kind in MATRIX.native:
        own: Any = backend  # an engine with a native matrix has a ``matrix`` method taking these
        return own.matrix(opts=opts, capture=p.capture, multiplier=p.multiplier, gaps=gaps)
    return gap_matrix(zone_context(backend, opts), capture=p.capture, multiplier=p.multiplier, gaps=gaps)


def _gaps_quadrants(backend: Backend, opts: Options, p: Any, g: Gaps) -> Gaps:
    """The gap list with the matrix's quadrant column (computed by the same engine as the matrix)."""
    return with_quadrants(g, matrix_of(backend, opts, gaps=g))


def _analysis_quadrants(backend: Backend, opts: Options, p: Any, a: Analysis) -> Analysis:
    return Analysis(a.closure, a.savings, _gaps_quadrants(backend, opts, p, a.gaps))


def _whatif(z: ZoneContext, p: WhatIfParams) -> WhatIf:
    from chaingraph.load import load_scenario

    return whatif(z, load_scenario(z.dataset, p.scenario, p.scenario_links), capture=p.capture,
                  hhi_threshold=p.hhi_threshold)  # fmt: skip


def _analysis_csv(a: Analysis) -> dict[str, pd.DataFrame]:
    return {"closure": csv_frames.closure_frame(a.closure), "savings": csv_frames.savings_frame(a.savings),
            "gaps": csv_frames.gaps_frame(a.gaps)}  # fmt: skip


def _analysis_table(a: Analysis, names: Mapping[str, str]) -> list[RenderableType]:
    return [*tables.closure_view(a.closure, names), *tables.savings_view(a.savings, names),
            *tables.gaps_view(a.gaps, names)]  # fmt: skip


CLOSURE: AnalysisSpec[NoParams, Closure] = AnalysisSpec(
    "closure", Closure, lambda z, p: closure(z), csv_frames.closure_frame, tables.closure_view,
    native=_on_every_engine(lambda b, o, p: b.closure(opts=o)),
)  # fmt: skip
SAVINGS: AnalysisSpec[NoParams, Savings] = AnalysisSpec(
    "savings", Savings, lambda z, p: savings(z), csv_frames.savings_frame, tables.savings_view,
    native=_on_every_engine(lambda b, o, p: b.savings(opts=o)),
)  # fmt: skip
GAPS: AnalysisSpec[NoParams, Gaps] = AnalysisSpec(
    "gaps", Gaps, lambda z, p: gaps(z), csv_frames.gaps_frame, tables.gaps_view,
    native=_on_every_engine(lambda b, o, p: b.gaps(opts=o)), then=_gaps_quadrants,
)  # fmt: skip
LEADERS: AnalysisSpec[LeadersParams, Leaders] = AnalysisSpec(
    "leaders", Leaders, lambda z, p: leaders(z, top=p.top), csv_frames.leaders_frame, tables.leaders_view,
    native={"neo4j": lambda b, o, p: b.leaders(opts=o, top=p.top)},
)  # fmt: skip
ROUTES: AnalysisSpec[RoutesParams, Routes] = AnalysisSpec(
    "routes", Routes, lambda z, p: routes(z, reroute_via=p.reroute_via, replacing=p.replacing),
    csv_frames.routes_frame, tables.routes_view,
    native={"neo4j": lambda b, o, p: b.routes(opts=o, reroute_via=p.reroute_via, replacing=p.replacing)},
)  # fmt: skip
ANALYZE: AnalysisSpec[NoParams, Analysis] = AnalysisSpec(
    "analyze", Analysis, lambda z, p: Analysis(closure(z), savings(z), gaps(z)), _analysis_csv, _analysis_table,
    native=_on_every_engine(lambda b, o, p: analyze(b, opts=o)), then=_analysis_quadrants,
)  # fmt: skip
RANK: AnalysisSpec[RankParams, Ranking] = AnalysisSpec(
    "rank", Ranking, lambda z, p: rank_gaps(z, weights=p.weights), csv_frames.ranking_frame, tables.ranking_view,
    json=ranking_dict,
)  # fmt: skip
WHATIF: AnalysisSpec[WhatIfParams, WhatIf] = AnalysisSpec(
    "whatif", WhatIf, _whatif, csv_frames.whatif_frame, tables.whatif_view, json=resilience_page.whatif_dict
)
RESILIENCE: AnalysisSpec[ResilienceParams, Resilience] = AnalysisSpec(
    "resilience", Resilience, lambda z, p: resilience(z, threshold=p.hhi_threshold), resilience_page.resilience_frame,
    resilience_page.resilience_view, json=resilience_page.resilience_dict,
    native={"neo4j": lambda b, o, p: cast("Neo4jBackend", b).resilience(opts=o, threshold=p.hhi_threshold)},
)  # fmt: skip
BENCHMARK: AnalysisSpec[BenchmarkParams, Benchmark] = AnalysisSpec(
    "benchmark", Benchmark, lambda z, p: benchmark(z, peers=p.peers), benchmark_page.benchmark_frame,
    benchmark_page.benchmark_view,
    native={"neo4j": lambda b, o, p: cast("Neo4jBackend", b).benchmark(opts=o, peers=p.peers)},
)  # fmt: skip
MATRIX: AnalysisSpec[MatrixParams, GapMatrix] = AnalysisSpec(
    "matrix", GapMatrix, lambda z, p: gap_matrix(z, capture=p.capture, multiplier=p.multiplier),
    csv_frames.matrix_frame, tables.matrix_view,
)  # fmt: skip
PANORAMA: AnalysisSpec[NoParams, Panorama] = AnalysisSpec(
    "panorama", Panorama, lambda z, p: panorama(z), panorama_page.panorama_frame,
    lambda r, names: panorama_page.panorama_view(r),
)  # fmt: skip

#: Every analysis by name.
ALL: dict[str, AnalysisSpec[Any, Any]] = {
    a.name: a
    for a in (CLOSURE, SAVINGS, GAPS, RANK, MATRIX, LEADERS, ROUTES, WHATIF, ANALYZE, PANORAMA, RESILIENCE, BENCHMARK)
}
