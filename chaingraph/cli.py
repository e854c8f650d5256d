"""The ``chaingraph`` command line: thin click wrappers over the library.

The only module that imports click.  Library errors become exit code 2 with
a message; nothing here computes a figure.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from chaingraph.engine import Backend
    from chaingraph.registry import AnalysisSpec

F = TypeVar("F", bound=Callable[..., Any])
P = TypeVar("P")
R = TypeVar("R")

FORMATS = click.Choice(["table", "json", "csv"])


class CliError(click.ClickException):
    """A user error: message and exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        from chaingraph.render.terminal import strip_controls  # a message may quote names from the data

        click.echo(f"Error: {strip_controls(self.format_message())}", err=True)


def _guard(fn: F) -> F:
    """Turn chaingraph's errors into :class:`CliError`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from chaingraph.errors import ChaingraphError

        try:
            return fn(*args, **kwargs)
        except ChaingraphError as err:
            raise CliError(err.worded(_flag)) from None

    return wrapper  # type: ignore[return-value]


def _flag(parameter: str) -> str:
    """The option that sets a library parameter: ``local_saving_rate`` is ``--local-saving-rate``."""
    return "--" + parameter.replace("_", "-")


def _source(fn: F) -> F:
    fn = click.argument("source", default="data", required=False, metavar="[SOURCE]")(fn)
    fn = click.option("--skip-bad", is_flag=True, help="Set rows with problems aside (in a rejects CSV) and go on.")(fn)
    fn = click.option("--ignore-unknown-columns", is_flag=True,
                      help="Read a table whose header misspells a known column (e.g. 物流费用), leaving it out.")(fn)  # fmt: skip
    fn = click.option(
        "--rejects",
        type=click.Path(dir_okay=False),
        default="chaingraph-rejects.csv",
        show_default=True,
        help="Where --skip-bad writes the rows it set aside.",
    )(fn)
    fn = click.option("--user", envvar="NEO4J_USERNAME", default=None, help="Neo4j user (SOURCE a bolt:// URI).")(fn)
    fn = click.option("--password", envvar="NEO4J_PASSWORD", default=None, help="Neo4j password.")(fn)
    fn = click.option("--database", envvar="NEO4J_DATABASE", default=None, help="Neo4j database.")(fn)
    return fn


def _analysis(fn: F) -> F:
    return _analysis_options(fn, zone_required=True)


def _analysis_options_panorama(fn: F) -> F:
    """The analysis options, with ``--format html`` (the default: a page, -o panorama.html) besides the others."""
    return _analysis_options(fn, zone_required=True, formats=click.Choice(["html", "json", "csv", "table"]),
                             default_format="html")  # fmt: skip


def _analysis_options(fn: F, *, zone_required: bool, formats: click.Choice | None = FORMATS,
                      default_format: str = "table") -> F:  # fmt: skip
    """The options every analysis command takes; ``formats`` None: the command writes one fixed form (no --format)."""
    fn = _source(fn)
    fn = click.option("--zone", "-z", required=zone_required, help="The zone Z, e.g. 晋城经开区.")(fn)
    fn = click.option(
        "--scope",
        type=click.Choice(["zone", "city", "province"]),
        default="zone",
        show_default=True,
        help="Which enterprise column --zone names.",
    )(fn)
    fn = click.option("--include-planned", is_flag=True, help="Count planned (拟供) links as active.")(fn)
    fn = click.option(
        "--local-saving-rate",
        type=float,
        default=0.05,
        show_default=True,
        help="Saving assumed for local supply where no price is known.",
    )(fn)
    if formats is not None:
        fn = click.option("--format", "-f", "fmt", type=formats, default=default_format, show_default=True)(fn)
    fn = click.option("--output", "-o", type=click.Path(), default=None, help="Write to this file instead of stdout.")(
        fn
    )
    return _guard(fn)


def _backend(kw: dict[str, Any], *, output: str = "file", inputs: tuple[str | None, ...] = ()) -> Any:
    """:func:`_open` with the options every analysis command takes (``_source``'s), ``-o`` checked first.

    ``output`` says what ``-o`` names: a ``file``, a ``folder`` written into, or a ``report`` folder
    (replaced whole); ``inputs`` are further files the command reads (never written to).
    """
    _check_paths(kw["source"], kw["rejects"], skip_bad=kw["skip_bad"], output=kw["output"], kind=output,
                 inputs=inputs)  # fmt: skip
    return _open(kw["source"], skip_bad=kw["skip_bad"], rejects=kw["rejects"], user=kw["user"],
                 password=kw["password"], database=kw["database"],
                 ignore_unknown_columns=kw["ignore_unknown_columns"])  # fmt: skip


def _check_paths(source: str, rejects: str, *, skip_bad: bool, output: str | None = None, kind: str = "file",
                 inputs: tuple[str | None, ...] = ()) -> None:  # fmt: skip
    """Refuse bad output paths (exit 2) before anything is read or written; never an input file."""
    from chaingraph.outputs import check_file, check_folder, input_files, refuse_inputs
    from chaingraph.sources import is_uri

    found = input_files(None if is_uri(source) else source, inputs)
    if skip_bad and not is_uri(source):
        check_file(rejects, parameter="rejects", inputs=found)
    else:  # not written this run, but naming an input is a mistake worth stopping
        refuse_inputs(rejects, parameter="rejects", inputs=found)
    if output is not None:
        if kind == "file":
            check_file(output, parameter="output", inputs=found)
            if skip_bad and Path(output).resolve() == Path(rejects).resolve():
                raise CliError(f"--output and --rejects both name {output!r}; give them different files.")
        else:
            check_folder(output, parameter="output", inputs=found, replace=kind == "report")


def _open(
    source: str,
    *,
    skip_bad: bool,
    rejects: str,
    user: str | None,
    password: str | None,
    database: str | None,
    ignore_unknown_columns: bool = False,
    quiet: bool = False,
) -> Any:
    from chaingraph.memory_engine import MemoryBackend
    from chaingraph.sources import is_uri, open_backend

    if is_uri(source):
        return open_backend(source, user=user, password=password, database=database)
    _check_paths(source, rejects, skip_bad=skip_bad)
    from chaingraph.load import load_dataset

    ds = load_dataset(source, skip_bad=skip_bad, ignore_unknown_columns=ignore_unknown_columns)
    if not quiet:  # unknown columns, normalised ids, title or hidden rows: said once, by every command
        for w in ds.warnings:
            click.echo(f"warning: {w}", err=True)
    if skip_bad:
        _write_rejects(ds.rejected, rejects)
    return MemoryBackend(ds)


def _write_rejects(problems: tuple[Any, ...], rejects: str) -> None:
    """The rejects file reflects this run: its problems, or (a clean run) an old file emptied to its header."""
    from chaingraph.load import write_rejects
    from chaingraph.outputs import atomic_file

    if not problems and not Path(rejects).is_file():
        return
    with atomic_file(rejects) as tmp:
        write_rejects(problems, tmp)
    if problems:
        click.echo(f"set aside {len(problems)} problem(s), written to {rejects}", err=True)
    else:
        click.echo(f"no problems set aside; emptied the old {rejects} (header only)", err=True)


def _emit(text: str, output: str | None) -> None:
    if output:
        from chaingraph.outputs import write_text

        write_text(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(_for_terminal(text), nl=not text.endswith("\n"))


def _for_terminal(text: str) -> str:
    """Control codes of the data stripped when stdout is a terminal; a pipe or file gets the data as it is."""
    if not sys.stdout.isatty():
        return text
    from chaingraph.render.terminal import strip_controls

    return strip_controls(text)


def _emit_csv(frame: Any, output: str | None) -> None:
    """CSV through the one writer: UTF-8 with BOM to ``-o FILE`` (for Excel), plain to stdout; formula-safe."""
    from chaingraph.spreadsheet import csv_text, write_csv

    if output:
        from chaingraph.outputs import atomic_file

        with atomic_file(output) as tmp:
            write_csv(frame, tmp)
        click.echo(f"wrote {output}", err=True)
    else:
        text = csv_text(frame)
        click.echo(_for_terminal(text), nl=not text.endswith("\n"))


def _print(renderables: list[Any], output: str | None) -> None:
    import io

    from chaingraph.render.terminal import SafeConsole

    if output:
        from chaingraph.outputs import write_text

        buf = io.StringIO()
        SafeConsole(file=buf, width=100, no_color=True).print(*renderables)
        write_text(output, buf.getvalue())
        click.echo(f"wrote {output}", err=True)
        return
    SafeConsole().print(*renderables)


def _options(zone: str, scope: str, include_planned: bool, local_saving_rate: float) -> Any:
    from chaingraph.results.options import Options

    return Options(zone=zone, scope=scope, include_planned=include_planned, local_saving_rate=local_saving_rate)


def _run(spec: AnalysisSpec[P, Any], kw: dict[str, Any], params: P, **open_kw: Any) -> None:
    """Open SOURCE, run the registry's analysis ``spec`` on it, print the result in the chosen format."""
    backend = _backend(kw, **open_kw)
    try:
        opts = _options(kw["zone"], kw["scope"], kw["include_planned"], kw["local_saving_rate"])
        _render(spec, spec.run(backend, opts, params), backend, kw)
    finally:
        backend.close()


def _render(spec: AnalysisSpec[Any, R], result: R, backend: Backend, kw: dict[str, Any]) -> None:
    """``result`` as ``--format`` asks, with the entry's renderers: JSON, CSV (a folder of files when several), table."""
    import pandas as pd

    from chaingraph.render.fmt import to_json

    if kw["fmt"] == "json":
        _emit(to_json(spec.render_json(result, backend)) + "\n", kw["output"])
    elif kw["fmt"] == "csv":
        frames = spec.csv(result)
        if isinstance(frames, pd.DataFrame):
            _emit_csv(frames, kw["output"])
            return
        from chaingraph.outputs import atomic_file
        from chaingraph.spreadsheet import write_csv

        out = Path(kw["output"])
        out.mkdir(exist_ok=True)
        for stem, frame in frames.items():
            with atomic_file(out / f"{stem}.csv") as tmp:
                write_csv(frame, tmp)
        click.echo(f"wrote {', '.join(f'{stem}.csv' for stem in frames)} in {out}", err=True)
    else:
        _print(spec.render_table(result, backend), kw["output"])


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            raise click.exceptions.Exit(1) from None
        except Exception as err:  # a bug, not bad input: say so briefly
            if os.environ.get("CHAINGRAPH_DEBUG"):
                raise
            raise click.ClickException(
                f"internal error ({type(err).__name__}: {err}). Please report it; "
                "CHAINGRAPH_DEBUG=1 shows the traceback."
            ) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="chaingraph")
def main() -> None:
    """chaingraph: 产业链本地配套分析 — closure, savings and missing links of a development zone."""


@main.command()
@_source
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_guard
def validate(
    source: str,
    skip_bad: bool,
    ignore_unknown_columns: bool,
    rejects: str,
    user: str | None,
    password: str | None,
    database: str | None,
    fmt: str,
) -> None:
    """Load SOURCE (default ./data), report what loaded and every problem."""
    from chaingraph.render.fmt import to_json
    from chaingraph.render.load_summary import load_summary
    from chaingraph.render.tables import validate_view

    backend = _open(source, skip_bad=skip_bad, rejects=rejects, user=user, password=password, database=database,
                    ignore_unknown_columns=ignore_unknown_columns, quiet=True)  # fmt: skip
    try:
        ds = backend.dataset
        if fmt == "json":
            _emit(to_json(load_summary(ds)) + "\n", None)
        else:
            _print(validate_view(ds), None)
    finally:
        backend.close()


@main.command()
@_analysis
def closure(**kw: Any) -> None:
    """How closed is the zone's chain: local sourcing ratio, stage coverage, local chains."""
    from chaingraph import registry

    _run(registry.CLOSURE, kw, registry.NoParams())


@main.command()
@_analysis
def savings(**kw: Any) -> None:
    """What local supply saves: realized and potential savings."""
    from chaingraph import registry

    _run(registry.SAVINGS, kw, registry.NoParams())


@main.command()
@_analysis
@click.option("--rank", is_flag=True, help="Rank the gaps as an invitation list, each score explained.")
@click.option("--weights", default=None, help="With --rank: e.g. demand=0.4,buyers=0.2,dependents=0.2,relatedness=0.2")
def gaps(rank: bool, weights: str | None, **kw: Any) -> None:
    """Missing links: what the zone buys from outside, and whom to invite."""
    from chaingraph import registry

    if not rank:
        _run(registry.GAPS, kw, registry.NoParams())
        return
    from chaingraph.results.rank import Weights

    _run(registry.RANK, kw, registry.RankParams(Weights.parse(weights)))


@main.command()
@_analysis
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Leaders whose outside suppliers to invite.",
)
def leaders(top: int, **kw: Any) -> None:
    """Chain leaders (链主): firms ranked by the supply value they anchor; their outside suppliers to invite."""
    from chaingraph import registry

    _run(registry.LEADERS, kw, registry.LeadersParams(top=top))


@main.command()
@_analysis
@click.option("--reroute-via", default=None, help="X: the intermediary that would take over (id or unique name).")
@click.option("--replacing", default=None, help="Y: the intermediary it replaces (id or unique name).")
def routes(reroute_via: str | None, replacing: str | None, **kw: Any) -> None:
    """Trade routes: the value passing each intermediary; --reroute-via X --replacing Y for what X would gain."""
    from chaingraph import registry

    _run(registry.ROUTES, kw, registry.RoutesParams(reroute_via=reroute_via, replacing=replacing))


@main.command()
@_analysis
@click.option(
    "--scenario",
    required=True,
    type=click.Path(dir_okay=False),
    help="Firms that would land (enterprises.csv columns).",
)
@click.option(
    "--scenario-links",
    type=click.Path(dir_okay=False),
    default=None,
    help="Their links (links.csv columns, plus replaces: the outside suppliers each link takes over, or new).",
)
@click.option(
    "--capture",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Share of the zone's outside purchases of its products a landed firm takes over where the scenario's "
    "capture column is empty (0: a maker lands, buyers have not switched yet).",
)
@click.option("--hhi-threshold", type=float, default=0.25, show_default=True,
              help="HHI (0-1) above which a product's supply is highly concentrated (0.25 = 2500 points).")  # fmt: skip
def whatif(scenario: str, scenario_links: str | None, capture: float, hhi_threshold: float, **kw: Any) -> None:
    """What-if: land the scenario's firms in the zone; they take over outside purchases, they do not add them."""
    from chaingraph import registry

    _run(registry.WHATIF, kw, registry.WhatIfParams(scenario, scenario_links, capture, hhi_threshold),
         inputs=(scenario, scenario_links))  # fmt: skip


@main.command()
@_analysis
@click.option("--hhi-threshold", type=float, default=0.25, show_default=True,
              help="HHI (0-1) above which a product's supply is highly concentrated (0.25 = 2500 points).")  # fmt: skip
def resilience(hhi_threshold: float, **kw: Any) -> None:
    """Supply resilience: per product the zone buys, suppliers' shares, HHI, single points of failure."""
    from chaingraph import registry

    _run(registry.RESILIENCE, kw, registry.ResilienceParams(hhi_threshold))


@main.command()
@_analysis
@click.option("--peers", default=None, help="The zones to compare with, comma-separated (default: every other zone).")
def benchmark(peers: str | None, **kw: Any) -> None:
    """Peer zones (对标): the zone against the others; for each gap, the peers' makers of it."""
    from chaingraph import registry
    from chaingraph.results.benchmark import parse_peers

    _run(registry.BENCHMARK, kw, registry.BenchmarkParams(parse_peers(peers)))


@main.command()
@functools.partial(_analysis_options, zone_required=False)
@click.option("--all-zones", is_flag=True, help="Every zone at once: one row of headline figures per zone.")
@click.option("--detail", is_flag=True, help="With --all-zones and -f json: every zone's full analysis, streamed.")
def analyze(all_zones: bool, detail: bool, **kw: Any) -> None:
    """Closure, savings and gaps in one pass (csv writes three files into -o DIR)."""
    from chaingraph import registry

    if detail and not (all_zones and kw["fmt"] == "json"):
        raise CliError("--detail goes with --all-zones -f json (one zone's full analysis: --zone Z).")
    if all_zones:
        _all_zones(kw, detail=detail)
        return
    if not kw["zone"]:
        raise CliError("give --zone Z, or --all-zones.")
    if kw["fmt"] == "csv" and not kw["output"]:
        raise CliError("--format csv for analyze writes three files: give a folder with -o DIR.")
    _run(registry.ANALYZE, kw, registry.NoParams(), output="folder" if kw["fmt"] == "csv" else "file")


def _all_zones(kw: dict[str, Any], *, detail: bool) -> None:
    """Every zone: the summary table (one pass over the data), or with ``detail`` every zone's JSON, streamed."""
    backend = _backend(kw)
    try:
        opts = _options("", kw["scope"], kw["include_planned"], kw["local_saving_rate"])
        if detail:
            _stream_zones(backend, opts, kw)
            return
        from chaingraph.render.fmt import to_json
        from chaingraph.render.tables import zones_view

        table = backend.zones_summary(opts=opts)
        if kw["fmt"] == "json":
            rows = table.astype(object).where(table.notna(), None).to_dict("records")
            _emit(to_json({"scope": kw["scope"], "zones": rows}) + "\n", kw["output"])
        elif kw["fmt"] == "csv":
            _emit_csv(table, kw["output"])
        else:
            _print(zones_view(table.to_dict("records")), kw["output"])
    finally:
        backend.close()


def _stream_zones(backend: Any, opts: Any, kw: dict[str, Any]) -> None:
    """``{"scope", "zones": {zone: analysis}}`` written zone by zone, so memory holds one zone's results."""
    import json
    from dataclasses import replace

    from chaingraph import registry
    from chaingraph.engine import iter_zones
    from chaingraph.outputs import atomic_file
    from chaingraph.render.fmt import to_json

    def stream(write: Callable[[str], Any]) -> None:
        write("{\n  " + json.dumps("scope") + ": " + json.dumps(kw["scope"]) + ',\n  "zones": {')
        for k, a in enumerate(iter_zones(backend, opts=opts)):
            a = registry.ANALYZE.finish(backend, replace(opts, zone=a.closure.zone), registry.NoParams(), a)
            body = to_json(a.to_dict()).replace("\n", "\n    ")
            write(("," if k else "") + "\n    " + json.dumps(a.closure.zone, ensure_ascii=False) + ": " + body)
        write("\n  }\n}\n")

    if not kw["output"]:
        stream(lambda t: click.echo(_for_terminal(t), nl=False))
        return
    with atomic_file(kw["output"]) as tmp, tmp.open("w", encoding="utf-8") as out:
        stream(out.write)
    click.echo(f"wrote {kw['output']}", err=True)


@main.command()
@_source
@click.option("--scope", type=click.Choice(["zone", "city", "province"]), default="zone", show_default=True)
@_guard
def zones(
    source: str,
    skip_bad: bool,
    ignore_unknown_columns: bool,
    rejects: str,
    user: str | None,
    password: str | None,
    database: str | None,
    scope: str,
) -> None:
    """List the zones (or cities, provinces) in SOURCE."""
    backend = _open(source, skip_bad=skip_bad, rejects=rejects, user=user, password=password, database=database,
                    ignore_unknown_columns=ignore_unknown_columns)  # fmt: skip
    try:
        for z in backend.zones(scope=scope):
            click.echo(_for_terminal(z))
    finally:
        backend.close()


@main.command()
@_source
@click.option("--zone", "-z", required=True, help="The zone Z, e.g. 晋城经开区.")
@click.option("--scope", type=click.Choice(["zone", "city", "province"]), default="zone", show_default=True)
@click.option("--focus", default=None, help="Draw one firm's neighbourhood (id, or a unique name).")
@click.option("--hops", type=click.IntRange(min=0), default=2, show_default=True, help="How far from --focus.")
@click.option(
    "--max-nodes", type=click.IntRange(min=1), default=3000, show_default=True, help="Above this, aggregate by zone."
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="graph.html", show_default=True)
@_guard
def view(
    source: str,
    skip_bad: bool,
    ignore_unknown_columns: bool,
    rejects: str,
    user: str | None,
    password: str | None,
    database: str | None,
    zone: str,
    scope: str,
    focus: str | None,
    hops: int,
    max_nodes: int,
    output: str,
) -> None:
    """Write an interactive graph (one HTML file that works offline)."""
    from chaingraph.analysis.gaps import gaps as gaps_of
    from chaingraph.outputs import atomic_file
    from chaingraph.render.view import build_view, write_html

    _check_paths(source, rejects, skip_bad=skip_bad, output=output)
    backend = _open(source, skip_bad=skip_bad, rejects=rejects, user=user, password=password, database=database,
                    ignore_unknown_columns=ignore_unknown_columns)  # fmt: skip
    try:
        ds = backend.dataset
        opts = _options(zone, scope, False, 0.05)
        v = build_view(ds, opts=opts, gaps=gaps_of(ds, opts=opts), focus=focus, hops=hops, max_nodes=max_nodes)
    finally:
        backend.close()
    if v.aggregated:
        from chaingraph.render.terminal import strip_controls  # the note names zones from the data

        click.echo(strip_controls(v.note), err=True)
    with atomic_file(output) as tmp:
        write_html(v, tmp)
    click.echo(f"wrote {output} ({len(v.nodes)} nodes, {len(v.edges)} edges)")


@main.command()
@_analysis_options_panorama
def panorama(**kw: Any) -> None:
    """The chain panorama (产业链全景图): each chain upstream → downstream, stage by stage (-o panorama.html)."""
    from chaingraph import registry

    if kw["fmt"] != "html":
        _run(registry.PANORAMA, kw, registry.NoParams())
        return
    from chaingraph.outputs import atomic_file
    from chaingraph.render import panorama as page

    kw["output"] = kw["output"] or "panorama.html"  # checked before loading, like every output
    backend = _backend(kw)
    try:
        opts = _options(kw["zone"], kw["scope"], kw["include_planned"], kw["local_saving_rate"])
        result = registry.PANORAMA.run(backend, opts, registry.NoParams())
        with atomic_file(kw["output"]) as tmp:
            page.write_panorama(result, tmp, source=page.source_text(backend.dataset))  # Neo4j: the graph read back
        stages = sum(len(c.stages) for c in result.chains)
        click.echo(f"wrote {kw['output']} ({len(result.chains)} chains, {stages} stages)")
    finally:
        backend.close()


@main.command()
@functools.partial(_analysis_options, zone_required=True, formats=None)  # a report folder: no --format to ignore
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=3000,
    show_default=True,
    help="Graph: above this, aggregate by zone.",
)
@click.option("--target-lsr", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="The local sourcing ratio the zone is held against, 0-1 (0.5 = 50%).")  # fmt: skip
@click.option("--pdf", is_flag=True, help="Also print report.pdf (A4) through Chromium, when installed.")
def report(max_nodes: int, target_lsr: float, pdf: bool, **kw: Any) -> None:
    """Write a report folder: report.html, workbook.xlsx and graph.html (-o DIR, default ./report)."""
    from chaingraph import registry
    from chaingraph.analysis.zones import zones_summary
    from chaingraph.outputs import atomic_folder
    from chaingraph.render.brief import build_brief
    from chaingraph.render.report import write_report
    from chaingraph.render.view import build_view, write_html
    from chaingraph.render.workbook import write_workbook

    kw["output"] = kw["output"] or "report"
    out = Path(kw["output"])
    say = lambda m: click.echo(m, err=True)  # noqa: E731
    _check_paths(kw["source"], kw["rejects"], skip_bad=kw["skip_bad"], output=kw["output"], kind="report")
    if pdf:
        from chaingraph.render.pdf import find_chromium, print_pdf

        if find_chromium() is None:
            raise CliError(
                "--pdf needs Chromium (or Chrome) and none was found: install it or set CHAINGRAPH_CHROMIUM."
            )
    say("loading data…")
    backend = _backend(kw, output="report")
    try:
        opts = _options(kw["zone"], kw["scope"], kw["include_planned"], kw["local_saving_rate"])
        say("computing closure, savings and gaps…")
        result = registry.ANALYZE.run(backend, opts, registry.NoParams())
        names = backend.names()
        ds = backend.dataset
        zone = registry.zone_context(backend, opts)  # the ranking and the panorama share the zone's context
        brief = build_brief(result, ranking=registry.RANK.compute(zone, registry.RankParams()), names=names,
                            dataset=ds, summary=zones_summary(ds, opts=opts), target_lsr=target_lsr,
                            panorama=registry.PANORAMA.compute(zone, registry.NoParams()),
                            resilience=registry.RESILIENCE.run(backend, opts, registry.ResilienceParams()),
                            benchmark=registry.BENCHMARK.run(backend, opts, registry.BenchmarkParams()))  # fmt: skip
        with atomic_folder(out) as tmp:  # built beside the target, swapped in whole: never a half or mixed folder
            say("drawing the graph…")
            write_html(build_view(ds, opts=opts, gaps=result.gaps, max_nodes=max_nodes), tmp / "graph.html")
            say("writing workbook.xlsx and report.html…")
            book = write_workbook(brief, tmp / "workbook.xlsx")
            if book.controls_replaced:
                say(f"workbook.xlsx: control characters replaced by visible symbols in {book.controls_replaced} "
                    "cell(s) (Excel cannot store them)")  # fmt: skip
            write_report(brief, tmp / "report.html", graph="graph.html", workbook="workbook.xlsx")
            (tmp / "analysis.json").write_text(to_json_text(result), encoding="utf-8")
            if pdf:
                say("printing report.pdf…")
                print_pdf(tmp / "report.html", tmp / "report.pdf")
    finally:
        backend.close()
    click.echo(f"wrote {out / 'report.html'}, {out / 'workbook.xlsx'}, {out / 'graph.html'}"
               + (f", {out / 'report.pdf'}" if pdf else ""))  # fmt: skip


def to_json_text(result: Any) -> str:
    from chaingraph.render.fmt import to_json

    return to_json(result.to_dict()) + "\n"


@main.command()
@click.argument("out", type=click.Path(file_okay=False))
@click.option("--links", "n_links", type=click.IntRange(min=1), default=10_000, show_default=True)
@click.option("--zones", type=click.IntRange(min=1), default=5, show_default=True, help="Development zones.")
@click.option("--layers", type=click.IntRange(min=2), default=5, show_default=True, help="Product layers.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same files.")
@click.option("--gbk", is_flag=True, help="Write GB18030, as Excel on Chinese Windows saves CSV.")
@click.option("--no-chains", is_flag=True, help="Leave out chains.csv.")
@click.option("--format", "-f", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True,
              help="CSV files, or Parquet files (enterprises.parquet …).")  # fmt: skip
@_guard
def synth(out: str, n_links: int, zones: int, layers: int, seed: int, gbk: bool, no_chains: bool, fmt: str) -> None:
    """Write synthetic enterprises.csv, links.csv (and chains.csv) of any size into OUT."""
    from chaingraph.synth import SynthSpec, write_synth

    if gbk and fmt == "parquet":
        raise CliError("--gbk is for CSV files; Parquet text is always UTF-8.")
    spec = SynthSpec(links=n_links, zones=zones, layers=layers, seed=seed, chains=not no_chains)
    folder = write_synth(spec, out, encoding="gb18030" if gbk else "utf-8", fmt=fmt)
    click.echo(f"wrote {n_links:,} links for {zones} zones into {folder}")


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="模板.xlsx", show_default=True)
@click.option("--force", is_flag=True, help="Replace the file if it exists (it may hold data already filled in).")
@_guard
def template(output: str, force: bool) -> None:
    """Write an Excel workbook to fill in: 说明, 企业, 供应关系, 产业链 (loads as it is, and once filled in)."""
    from chaingraph.outputs import atomic_file, check_file
    from chaingraph.template import write_template

    if Path(output).exists() and not force:
        raise CliError(f"{output!r} exists (it may hold data filled in already); pass --force to replace it.")
    check_file(output, parameter="output")
    with atomic_file(output) as tmp:
        write_template(tmp)
    click.echo(f"wrote {output}: fill in 企业 and 供应关系 (产业链 optional), then run chaingraph validate {output}")


@main.group()
def neo4j() -> None:
    """A local Neo4j server and loading data into any Neo4j."""


def _ports(fn: F) -> F:
    fn = click.option("--bolt-port", type=click.IntRange(1, 65535), default=7687, show_default=True)(fn)
    fn = click.option("--http-port", type=click.IntRange(1, 65535), default=7474, show_default=True)(fn)
    return fn


@neo4j.command()
@_ports
@click.option("--heap", default="2g", show_default=True, help="Java heap of the server.")
@_guard
def up(bolt_port: int, http_port: int, heap: str) -> None:
    """Start a local Neo4j Community 5.26 (127.0.0.1 only, auth on)."""
    from chaingraph.neo4j import server

    st = server.up(bolt_port=bolt_port, http_port=http_port, heap=heap, say=lambda m: click.echo(m, err=True))
    click.echo(f"Neo4j {st.version} is running (pid {st.pid})\n  Bolt:    {st.bolt_uri}\n  Browser: {st.browser_url}")
    click.echo(f"  user neo4j; password in {st.home / 'password'} (or NEO4J_PASSWORD)")


@neo4j.command()
@_guard
def down() -> None:
    """Stop the local Neo4j server."""
    from chaingraph.neo4j import server

    click.echo("Neo4j stopped" if server.down() else "no local Neo4j was running")


@neo4j.command()
@_ports
@_guard
def status(bolt_port: int, http_port: int) -> None:
    """Tell whether the local Neo4j server is running."""
    from chaingraph.neo4j import server

    st = server.status(bolt_port=bolt_port, http_port=http_port)
    if st.running:
        click.echo(f"running: Neo4j {st.version}, pid {st.pid}, {st.bolt_uri}, {st.browser_url}")
    else:
        click.echo(f"not running (home {st.home})")


@neo4j.command("load")
@_source
@click.option("--uri", envvar="NEO4J_URI", default=None, help="Neo4j to load into (default bolt://127.0.0.1:7687).")
@click.option("--replace", is_flag=True, help="Delete what an earlier load wrote before loading.")
@click.option("--batch", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows per transaction.")
@click.option("--bulk", is_flag=True,
              help="Replace the local server's database in one offline import (neo4j-admin): fastest for a "
                   "first or full load; restarts the server started by `chaingraph neo4j up`.")  # fmt: skip
@_guard
def neo4j_load(
    source: str,
    skip_bad: bool,
    ignore_unknown_columns: bool,
    rejects: str,
    user: str | None,
    password: str | None,
    database: str | None,
    uri: str | None,
    replace: bool,
    batch: int,
    bulk: bool,
) -> None:
    """Load SOURCE (a data folder) into Neo4j: idempotent, batched, resumable."""
    from chaingraph.neo4j.connect import driver, settings
    from chaingraph.neo4j.load import load

    if bulk and (uri or database):
        raise CliError("--bulk imports into the local server of `chaingraph neo4j up`; leave out --uri/--database.")
    ds = _open(source, skip_bad=skip_bad, rejects=rejects, user=None, password=None, database=None,
               ignore_unknown_columns=ignore_unknown_columns).dataset  # fmt: skip
    if bulk:
        from chaingraph.neo4j.bulk import bulk_load
        from chaingraph.neo4j.server import configured

        result = bulk_load(ds, say=lambda m: click.echo(m, err=True))
        _say_counts(f"bolt://127.0.0.1:{configured()[0]}", result)
        return
    conn = settings(uri, user=user, password=password, database=database)
    drv = driver(conn)
    bars: dict[str, Any] = {}

    def progress(step: str, done: int, total: int) -> None:
        if step not in bars:
            for bar in bars.values():
                bar.render_finish()
            bars.clear()
            bars[step] = click.progressbar(length=max(total, 1), label=f"{step:>14}", file=sys.stderr, show_pos=True)
            bars[step].render_progress()
        bar = bars[step]
        bar.update(done - bar.pos)

    try:
        result = load(ds, drv, database=conn.database, replace=replace, batch=batch, progress=progress)
    finally:
        for bar in bars.values():
            bar.render_finish()
        drv.close()
    _say_counts(conn.uri, result)


@neo4j.command("guide")
@click.option("--port", type=click.IntRange(0, 65535), default=8474, show_default=True, help="Port on localhost.")
@click.option(
    "--write",
    "folder",
    type=click.Path(file_okay=False),
    default=None,
    help="Write chaingraph.html and chaingraph.grass into FOLDER (to host elsewhere) instead of serving.",
)
@click.option("--base-url", default=None, help="With --write: the URL the files will be served from.")
@click.option("--uri", envvar="NEO4J_URI", default=None, help="Neo4j whose zones the guide lists.")
@click.option("--user", envvar="NEO4J_USERNAME", default=None, help="Neo4j user.")
@click.option("--password", envvar="NEO4J_PASSWORD", default=None, help="Neo4j password.")
@click.option("--database", envvar="NEO4J_DATABASE", default=None, help="Neo4j database.")
@_guard
def neo4j_guide(port: int, folder: str | None, base_url: str | None, uri: str | None, user: str | None,
                password: str | None, database: str | None) -> None:  # fmt: skip
    """Serve the Neo4j Browser guide (导览) on localhost: then run the printed :play line in Browser."""
    from chaingraph.errors import BackendError
    from chaingraph.neo4j import guide

    zones: list[str] = []
    try:
        from chaingraph.neo4j.engine import Neo4jBackend

        backend = Neo4jBackend(uri or "bolt://127.0.0.1:7687", user=user, password=password, database=database)
        try:
            zones = backend.zones(scope="zone")
        finally:
            backend.close()
    except BackendError as err:
        click.echo(f"the guide lists no zones ({err}); it shows the sample's 晋城经开区", err=True)
    if folder:
        for path in guide.write_guide(folder, base=base_url or f"http://localhost:{port}", zones=zones):
            click.echo(f"wrote {path}")
        return
    server = guide.GuideServer(port=port, zones=zones)
    click.echo(f"In Neo4j Browser run:  :play {server.url}\n(serving on localhost:{server.port}; Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _say_counts(uri: str, result: Any) -> None:
    click.echo(f"loaded into {uri}")
    click.echo("  nodes: " + ", ".join(f"{k} {v}" for k, v in result.nodes.items()))
    click.echo("  relationships: " + ", ".join(f"{k} {v}" for k, v in result.relationships.items()))


if __name__ == "__main__":  # pragma: no cover
    main()
