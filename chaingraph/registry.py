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
  output format (``page``: also one HTML page, as the panorama);
* ``params`` and ``help``: the analysis' own parameters, a frozen dataclass
  whose fields each say how a user asks for them (:func:`flag`: flag name,
  help text, range; no click here), and what the analysis is for.

The CLI makes one command of every entry from these declarations (the
options every analysis shares, SOURCE, zone, format, output, are the CLI's,
declared once there) and renders with the entry's functions: it never picks
a function by name.  Adding an analysis is one analysis module, one Cypher
file or none (the fallback), one entry here, and tests: the command appears.
docs/architecture.md has the recipe.
"""

from __future__ import annotations

import dataclasses
import importlib
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar, cast

from chaingraph.results.analysis import Analysis
from chaingraph.results.benchmark import Benchmark, parse_peers
from chaingraph.results.closure import Closure
from chaingraph.results.gaps import Gaps
from chaingraph.results.leaders import Leaders
from chaingraph.results.matrix import DEFAULT_MULTIPLIER, GapMatrix, check_capture, check_multiplier
from chaingraph.results.options import Options
from chaingraph.results.panorama import Panorama
from chaingraph.results.rank import Ranking, Weights
from chaingraph.results.resilience import DEFAULT_HHI_THRESHOLD, Resilience
from chaingraph.results.routes import Routes
from chaingraph.results.savings import Savings
from chaingraph.results.whatif import DEFAULT_CAPTURE, GAP_FILL_CAPTURE, WhatIf

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType

    from chaingraph.analysis.context import ZoneContext
    from chaingraph.engine import Backend
    from chaingraph.model import Dataset
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
    "Flag",
    "LeadersParams",
    "MatrixParams",
    "NoParams",
    "Page",
    "Param",
    "RankParams",
    "ResilienceParams",
    "RoutesParams",
    "WhatIfParams",
    "flag",
    "params_of",
    "zone_context",
]

P = TypeVar("P")
R = TypeVar("R")

#: What a CSV renderer gives: one table, or (``analyze``) several, by file stem.
CsvOut: TypeAlias = "pd.DataFrame | Mapping[str, pd.DataFrame]"


def _lazy(target: str) -> Callable[..., Any]:
    """The function ``module:name``, imported when first called: a command loads only the analysis and renderers it
    runs (``chaingraph gaps -f json`` never imports the what-if, the panorama or rich).

    >>> f = _lazy("math:hypot")
    >>> f(3, 4), f.__name__
    (5.0, 'hypot')
    """
    module, _, name = target.partition(":")
    found: list[Callable[..., Any]] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        if not found:
            found.append(getattr(importlib.import_module(module), name))
        return found[0](*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{target}, imported when first called."
    return call


# The computations and renderers, each imported when a command first calls it.
closure = _lazy("chaingraph.analysis.closure:closure")
savings = _lazy("chaingraph.analysis.savings:savings")
gaps = _lazy("chaingraph.analysis.gaps:gaps")
leaders = _lazy("chaingraph.analysis.leaders:leaders")
routes = _lazy("chaingraph.analysis.routes:routes")
rank_gaps = _lazy("chaingraph.analysis.rank:rank_gaps")
whatif = _lazy("chaingraph.analysis.whatif:whatif")
resilience = _lazy("chaingraph.analysis.resilience:resilience")
benchmark = _lazy("chaingraph.analysis.benchmark:benchmark")
gap_matrix = _lazy("chaingraph.analysis.matrix:gap_matrix")
zone_quadrants = _lazy("chaingraph.analysis.matrix:zone_quadrants")
panorama = _lazy("chaingraph.analysis.panorama:panorama")
analyze = _lazy("chaingraph.engine:analyze")
with_quadrants = _lazy("chaingraph.results.matrix:with_quadrants")
ranking_dict = _lazy("chaingraph.render.explain:ranking_dict")


def _frame(name: str) -> Callable[..., Any]:
    """A CSV renderer of chaingraph.render.csv_frames, imported when first called."""
    return _lazy("chaingraph.render.csv_frames:" + name)


def _view(name: str) -> Callable[..., Any]:
    """A terminal renderer of chaingraph.render.tables (rich), imported when first called."""
    return _lazy("chaingraph.render.tables:" + name)


def _resilience(name: str) -> Callable[..., Any]:
    return _lazy("chaingraph.render.resilience:" + name)


def _benchmark(name: str) -> Callable[..., Any]:
    return _lazy("chaingraph.render.benchmark:" + name)


@dataclass(frozen=True)
class Flag:
    """How a user asks for one parameter of an analysis; front ends read it (the CLI makes an option of it).

    Parameters
    ----------
    name
        The flag, ``--top``.
    help
        What it sets, as the command's help shows it.
    minimum, maximum
        The values accepted (inclusive), when limited.
    required
        Whether the command needs it.
    reads
        The value names a file the command reads (never one it writes).
    parse
        Turns the text given (``None``: not given) into the parameter's value, when it is not
        the text itself (``--weights demand=0.4,…`` is a :class:`Weights`).
    """

    name: str
    help: str
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    reads: bool = False
    parse: Callable[[str | None], Any] | None = None


def flag(name: str, help: str, *, default: Any = dataclasses.MISSING, **kw: Any) -> Any:
    """A params dataclass field that a user sets with ``name`` (see :class:`Flag`; no default: required).

    >>> @dataclass(frozen=True)
    ... class Toy:
    ...     top: int = flag("--top", "How many.", default=10, minimum=1)
    >>> [(p.name, p.kind, p.default, p.flag.name, p.flag.minimum) for p in params_of(Toy)]
    [('top', <class 'int'>, 10, '--top', 1)]
    """
    meta = {"flag": Flag(name, help, required=default is dataclasses.MISSING, **kw)}
    if default is dataclasses.MISSING:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Param:
    """One parameter of an analysis as a front end sees it: field name, value type, default, how it is asked for."""

    name: str
    kind: type
    default: Any
    flag: Flag


def params_of(params: type) -> tuple[Param, ...]:
    """The declared parameters of a params dataclass, in field order (``str | None``: kind ``str``, default None)."""
    hints = typing.get_type_hints(params)
    out = []
    for f in dataclasses.fields(params):
        kind = hints[f.name]
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        if args:  # X | None
            kind = args[0]
        default = f.default if f.default is not dataclasses.MISSING else None
        out.append(Param(f.name, kind, default, f.metadata["flag"]))
    return tuple(out)


@dataclass(frozen=True)
class NoParams:
    """The parameters of an analysis that has none beyond the :class:`Options`."""


@dataclass(frozen=True)
class LeadersParams:
    """``leaders``: how many leaders' outside suppliers make the invitation list."""

    top: int = flag("--top", "Leaders whose outside suppliers to invite.", default=10, minimum=1)


@dataclass(frozen=True)
class RoutesParams:
    """``routes``: re-route what passes ``replacing`` through ``reroute_via`` (both, or neither)."""

    reroute_via: str | None = flag(
        "--reroute-via", "X: the intermediary that would take over (id or unique name).", default=None
    )
    replacing: str | None = flag("--replacing", "Y: the intermediary it replaces (id or unique name).", default=None)


@dataclass(frozen=True)
class RankParams:
    """``gaps --rank``: the weights of the score's parts."""

    weights: Weights = flag(  # noqa: RUF009  # Weights is frozen: one shared default is safe
        "--weights",
        "With --rank: e.g. demand=0.4,buyers=0.2,dependents=0.2,relatedness=0.2",
        default=Weights(),
        parse=Weights.parse,
    )


@dataclass(frozen=True)
class WhatIfParams:
    """``whatif``: the scenario's files and the default capture share."""

    scenario: str = flag("--scenario", "Firms that would land (enterprises.csv columns).", reads=True)
    scenario_links: str | None = flag(
        "--scenario-links",
        "Their links (links.csv columns, plus replaces: the outside suppliers each link takes over, or new).",
        default=None,
        reads=True,
    )
    capture: float = flag(
        "--capture",
        "Share of the zone's outside purchases of its products a landed firm takes over where the scenario's "
        "capture column is empty (0: a maker lands, buyers have not switched yet).",
        default=DEFAULT_CAPTURE,
        minimum=0,
        maximum=1,
    )
    hhi_threshold: float = flag(
        "--hhi-threshold",
        "HHI (0-1) above which a product's supply is highly concentrated (0.25 = 2500 points).",
        default=DEFAULT_HHI_THRESHOLD,
    )


@dataclass(frozen=True)
class BenchmarkParams:
    """``benchmark``: the peer zones to compare with (``None``: every other zone with local purchases)."""

    peers: tuple[str, ...] | None = flag(
        "--peers",
        "The zones to compare with, comma-separated (default: every other zone).",
        default=None,
        parse=parse_peers,
    )


@dataclass(frozen=True)
class ResilienceParams:
    """``resilience``: the HHI (0–1) past which a product's supply is highly concentrated."""

    hhi_threshold: float = flag(
        "--hhi-threshold",
        "HHI (0-1) above which a product's supply is highly concentrated (0.25 = 2500 points).",
        default=DEFAULT_HHI_THRESHOLD,
    )


@dataclass(frozen=True)
class Page(Generic[R]):
    """An analysis shown as one HTML page (the default output format): file name, writer, what the CLI says after."""

    default_output: str
    write: Callable[[R, Path, Backend], None]
    summary: Callable[[R], str]


@dataclass(frozen=True)
class MatrixParams:
    """``matrix``: the share of a gap's external demand counted as kept local, and the output multiplier."""

    capture: float = flag(
        "--capture", "Share of a gap's external demand counted as kept local once it is filled, 0-1.",
        default=GAP_FILL_CAPTURE,
    )  # fmt: skip
    multiplier: float = flag(
        "--multiplier", "Output multiplier on the value kept local (at least 1: the firm's own output).",
        default=DEFAULT_MULTIPLIER,
    )  # fmt: skip

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
    """The zone's context for an in-memory computation: the memory engine's own, a SQL engine's slice of the zone
    (its links and firms, chaingraph.relational.zone_slice: never all links), else over the engine's data (Neo4j)."""
    from chaingraph.analysis.context import ZoneContext
    from chaingraph.memory_engine import MemoryBackend

    if isinstance(backend, MemoryBackend):
        return backend.zone(opts)
    own = getattr(backend, "zone_context", None)
    if own is not None:
        context: ZoneContext = own(opts)
        return context
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
    #: The params dataclass (its fields declared with :func:`flag`) and what the command does.
    params: type[P] = NoParams  # type: ignore[assignment]
    help: str = ""
    #: A variant of another analysis' command, chosen there by the boolean flag ``switch`` (``gaps --rank``).
    command: str | None = None
    switch: Flag | None = None
    #: The CSV is several files written into a folder (``-o DIR``): what they are, for the message asking for one.
    csv_folder: str | None = None
    page: Page[R] | None = None

    @property
    def command_name(self) -> str:
        """The command that runs it: its own name, or for a variant the command it varies."""
        return self.command or self.name

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


def _own_matrix(backend: Any, opts: Options, p: MatrixParams, gaps: Gaps | None = None) -> GapMatrix:
    """An engine's own matrix: engines listed in ``MATRIX.native`` have a ``matrix`` method taking these."""
    result: GapMatrix = backend.matrix(opts=opts, capture=p.capture, multiplier=p.multiplier, gaps=gaps)
    return result


def matrix_of(backend: Backend, opts: Options, *, gaps: Gaps | None = None,
              params: MatrixParams | None = None) -> GapMatrix:  # fmt: skip
    """The zone's gap matrix from ``backend`` (natively where it has it), reusing ``gaps`` when given."""
    p = params or MatrixParams()
    if backend.kind in MATRIX.native:
        return _own_matrix(backend, opts, p, gaps)
    return gap_matrix(zone_context(backend, opts), capture=p.capture, multiplier=p.multiplier, gaps=gaps)


def _gaps_quadrants(backend: Backend, opts: Options, p: Any, g: Gaps) -> Gaps:
    """The gap list with the matrix's quadrant column (computed by the same engine as the matrix).

    No gaps, no column to fill: the matrix is not computed (at 100M links its product flow over every link is
    most of a zone's `gaps`)."""
    if not g.gaps:
        return g
    return with_quadrants(g, quadrants_of(backend, opts, gaps=g))


def quadrants_of(backend: Backend, opts: Options, *, gaps: Gaps) -> GapMatrix | Mapping[str, str]:
    """Each gap's quadrant on the zone's matrix (default capture), as :func:`matrix_of` places it: on the SQL engines
    and in memory without the matrix's relatedness and drivers (a quadrant never depends on them)."""
    capture = MatrixParams().capture
    if backend.kind in ("duckdb", "spark"):
        return cast(Any, backend).quadrants(opts=opts, capture=capture, gaps=gaps)
    if backend.kind in MATRIX.native:
        return matrix_of(backend, opts, gaps=gaps)
    return zone_quadrants(zone_context(backend, opts), capture=capture, gaps=gaps)


def _analysis_quadrants(backend: Backend, opts: Options, p: Any, a: Analysis) -> Analysis:
    return Analysis(a.closure, a.savings, _gaps_quadrants(backend, opts, p, a.gaps))


def _whatif(z: ZoneContext, p: WhatIfParams) -> WhatIf:
    from chaingraph.load import load_scenario

    return whatif(z, load_scenario(z.dataset, p.scenario, p.scenario_links), capture=p.capture,
                  hhi_threshold=p.hhi_threshold)  # fmt: skip


def _sliced_whatif(backend: Backend, opts: Options, p: WhatIfParams) -> WhatIf:
    """What-if on a SQL engine: over the zone's slice widened by the firms the scenario names (never all links)."""
    from chaingraph.load import scenario_ids

    return _whatif(cast(Any, backend).zone_context(opts, keys=scenario_ids(p.scenario, p.scenario_links)), p)


def _analysis_csv(a: Analysis) -> dict[str, pd.DataFrame]:
    from chaingraph.render import csv_frames

    return {"closure": csv_frames.closure_frame(a.closure), "savings": csv_frames.savings_frame(a.savings),
            "gaps": csv_frames.gaps_frame(a.gaps)}  # fmt: skip


def _analysis_table(a: Analysis, names: Mapping[str, str]) -> list[RenderableType]:
    from chaingraph.render import tables

    return [*tables.closure_view(a.closure, names), *tables.savings_view(a.savings, names),
            *tables.gaps_view(a.gaps, names)]  # fmt: skip


CLOSURE: AnalysisSpec[NoParams, Closure] = AnalysisSpec(
    "closure", Closure, lambda z, p: closure(z), _frame("closure_frame"), _view("closure_view"),
    native=_on_every_engine(lambda b, o, p: b.closure(opts=o)),
    help="How closed is the zone's chain: local sourcing ratio, stage coverage, local chains.",
)  # fmt: skip
SAVINGS: AnalysisSpec[NoParams, Savings] = AnalysisSpec(
    "savings", Savings, lambda z, p: savings(z), _frame("savings_frame"), _view("savings_view"),
    native=_on_every_engine(lambda b, o, p: b.savings(opts=o)),
    help="What local supply saves: realized and potential savings.",
)  # fmt: skip
GAPS: AnalysisSpec[NoParams, Gaps] = AnalysisSpec(
    "gaps", Gaps, lambda z, p: gaps(z), _frame("gaps_frame"), _view("gaps_view"),
    native=_on_every_engine(lambda b, o, p: b.gaps(opts=o)), then=_gaps_quadrants,
    help="Missing links: what the zone buys from outside, and whom to invite.",
)  # fmt: skip
LEADERS: AnalysisSpec[LeadersParams, Leaders] = AnalysisSpec(
    "leaders", Leaders, lambda z, p: leaders(z, top=p.top), _frame("leaders_frame"), _view("leaders_view"),
    native={e: lambda b, o, p: b.leaders(opts=o, top=p.top) for e in ("neo4j", "duckdb", "spark")},
    params=LeadersParams,
    help="Chain leaders (链主): firms ranked by the supply value they anchor; their outside suppliers to invite.",
)  # fmt: skip
ROUTES: AnalysisSpec[RoutesParams, Routes] = AnalysisSpec(
    "routes", Routes, lambda z, p: routes(z, reroute_via=p.reroute_via, replacing=p.replacing),
    _frame("routes_frame"), _view("routes_view"),
    native=_on_every_engine(lambda b, o, p: b.routes(opts=o, reroute_via=p.reroute_via, replacing=p.replacing)),
    params=RoutesParams,
    help="Trade routes: the value passing each intermediary; --reroute-via X --replacing Y for what X would gain.",
)  # fmt: skip
ANALYZE: AnalysisSpec[NoParams, Analysis] = AnalysisSpec(
    "analyze", Analysis, lambda z, p: Analysis(closure(z), savings(z), gaps(z)), _analysis_csv, _analysis_table,
    native=_on_every_engine(lambda b, o, p: analyze(b, opts=o)), then=_analysis_quadrants, csv_folder="three files",
    help="Closure, savings and gaps in one pass (csv writes three files into -o DIR).",
)  # fmt: skip
RANK: AnalysisSpec[RankParams, Ranking] = AnalysisSpec(
    "rank", Ranking, lambda z, p: rank_gaps(z, weights=p.weights), _frame("ranking_frame"), _view("ranking_view"),
    json=ranking_dict, params=RankParams, command="gaps",
    switch=Flag("--rank", "Rank the gaps as an invitation list, each score explained."),
)  # fmt: skip
WHATIF: AnalysisSpec[WhatIfParams, WhatIf] = AnalysisSpec(
    "whatif", WhatIf, _whatif, _frame("whatif_frame"), _view("whatif_view"), params=WhatIfParams,
    json=_resilience("whatif_dict"), native={e: _sliced_whatif for e in ("duckdb", "spark")},
    help="What-if: land the scenario's firms in the zone; they take over outside purchases, they do not add them.",
)  # fmt: skip
RESILIENCE: AnalysisSpec[ResilienceParams, Resilience] = AnalysisSpec(
    "resilience", Resilience, lambda z, p: resilience(z, threshold=p.hhi_threshold), _resilience("resilience_frame"),
    _resilience("resilience_view"), json=_resilience("resilience_dict"),
    native={"neo4j": lambda b, o, p: cast("Neo4jBackend", b).resilience(opts=o, threshold=p.hhi_threshold)},
    params=ResilienceParams,
    help="Supply resilience: per product the zone buys, suppliers' shares, HHI, single points of failure.",
)  # fmt: skip
BENCHMARK: AnalysisSpec[BenchmarkParams, Benchmark] = AnalysisSpec(
    "benchmark", Benchmark, lambda z, p: benchmark(z, peers=p.peers), _benchmark("benchmark_frame"),
    _benchmark("benchmark_view"),
    native={e: lambda b, o, p: cast(Any, b).benchmark(opts=o, peers=p.peers) for e in ("neo4j", "duckdb", "spark")},
    params=BenchmarkParams,
    help="Peer zones (对标): the zone against the others; for each gap, the peers' makers of it.",
)  # fmt: skip
MATRIX: AnalysisSpec[MatrixParams, GapMatrix] = AnalysisSpec(
    "matrix", GapMatrix, lambda z, p: gap_matrix(z, capture=p.capture, multiplier=p.multiplier),
    _frame("matrix_frame"), _view("matrix_view"), params=MatrixParams,
    help="Where to invest: the zone's gaps by feasibility (relatedness density) and attractiveness "
         "(value kept local), in four quadrants.",
    native={e: lambda b, o, p: _own_matrix(b, o, p) for e in ("neo4j", "duckdb", "spark")},
)  # fmt: skip


def _write_panorama(result: Panorama, path: Path, backend: Backend) -> None:
    from chaingraph.render import panorama as panorama_page

    counts = getattr(backend, "counts", None)  # a SQL engine counts its rows; it never reads the tables whole
    source = panorama_page.source_line(**counts()) if counts is not None else panorama_page.source_text(backend.dataset)
    panorama_page.write_panorama(result, path, source=source)


def report_data(backend: Backend, context: ZoneContext) -> Dataset:
    """The data a report reads beside its results (firms' cities, what was loaded): the engine's data, or on a SQL
    engine the zone's slice with the firms its invitation targets name (never all links)."""
    wide = getattr(context, "wide", None)
    if wide is not None:
        data: Dataset = wide
        return data
    return backend.dataset


PANORAMA: AnalysisSpec[NoParams, Panorama] = AnalysisSpec(
    "panorama", Panorama, lambda z, p: panorama(z), _lazy("chaingraph.render.panorama:panorama_frame"),
    lambda r, names: _lazy("chaingraph.render.panorama:panorama_view")(r),
    page=Page("panorama.html", _write_panorama,
              lambda r: f"{len(r.chains)} chains, {sum(len(c.stages) for c in r.chains)} stages"),
    help="The chain panorama (产业链全景图): each chain upstream → downstream, stage by stage (-o panorama.html).",
)  # fmt: skip

#: Every analysis by name.
ALL: dict[str, AnalysisSpec[Any, Any]] = {
    a.name: a
    for a in (CLOSURE, SAVINGS, GAPS, RANK, MATRIX, LEADERS, ROUTES, WHATIF, ANALYZE, PANORAMA, RESILIENCE, BENCHMARK)
}
