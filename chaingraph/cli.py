"""The ``chaingraph`` command line: thin click wrappers over the library.

The only module that imports click.  Library errors become exit code 2 with
a message; nothing here computes a figure.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from chaingraph.engine import Backend
    from chaingraph.registry import AnalysisSpec, Param
    from chaingraph.results.options import Options

F = TypeVar("F", bound=Callable[..., Any])
G = TypeVar("G")
P = TypeVar("P")
R = TypeVar("R")


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


# The options many commands share, each group declared once as a dataclass whose fields are the
# options (field name = the option's parameter name).  A command gets one object per group.  To give
# every command that reads SOURCE a new option (an --engine choice, --master URL), add one field to
# SourceArgs and read it in _open; every analysis command (they are generated from the registry),
# validate, zones, view, report and neo4j load take it.


def _option(*decls: str, **attrs: Any) -> Any:
    """A field of an options group: the click option (or, with no leading dash, argument) it is."""
    return field(metadata={"click": (decls, attrs)})


def _params(group: type, **changed: dict[str, Any]) -> list[click.Parameter]:
    """The group's options in field order; ``changed[field]`` overrides some of that option's attributes."""
    out: list[click.Parameter] = []
    for f in dataclasses.fields(group):
        decls, attrs = f.metadata["click"]
        attrs = {**attrs, **changed.get(f.name, {})}
        out.append(
            click.Option(list(decls), **attrs) if decls[0].startswith("-") else click.Argument(list(decls), **attrs)
        )
    return out


def _take(group: type[G], kw: dict[str, Any]) -> G:
    """The group's values, taken out of a command's keyword arguments."""
    fields: Any = dataclasses.fields(group)  # type: ignore[arg-type]  # a group is a dataclass
    return group(**{f.name: kw.pop(f.name) for f in fields})


@dataclass(frozen=True)
class SourceArgs:
    """SOURCE and how to read it: the options of every command that reads data."""

    source: str = _option("source", default="data", required=False, metavar="[SOURCE]")
    skip_bad: bool = _option(
        "--skip-bad", is_flag=True, help="Set rows with problems aside (in a rejects CSV) and go on."
    )
    ignore_unknown_columns: bool = _option(
        "--ignore-unknown-columns",
        is_flag=True,
        help="Read a table whose header misspells a known column (e.g. 物流费用), leaving it out.",
    )
    rejects: str = _option(
        "--rejects",
        type=click.Path(dir_okay=False),
        default="chaingraph-rejects.csv",
        show_default=True,
        help="Where --skip-bad writes the rows it set aside.",
    )
    engine: str = _option(
        "--engine",
        type=click.Choice(["duckdb", "memory", "spark"]),
        default="duckdb",
        show_default=True,
        help="How a data folder is analysed: duckdb (SQL over the validated Parquet copy), memory (pandas) or spark "
        "(the same SQL on --master; SOURCE any path Spark reads: a folder, file://, hdfs://, s3a:// … of CSV or "
        "Parquet tables). The figures are the same.",
    )
    user: str | None = _option(
        "--user", envvar="NEO4J_USERNAME", default=None, help="Neo4j user (SOURCE a bolt:// URI)."
    )
    password: str | None = _option("--password", envvar="NEO4J_PASSWORD", default=None, help="Neo4j password.")
    database: str | None = _option("--database", envvar="NEO4J_DATABASE", default=None, help="Neo4j database.")
    master: str = _option(
        "--master",
        default="local[*]",
        show_default=True,
        envvar="CHAINGRAPH_SPARK_MASTER",
        help="--engine spark: the Spark master (local[*], spark://HOST:PORT, yarn, k8s://…).",
    )
    spark_memory: str = _option(
        "--spark-memory", default="1g", show_default=True, help="--engine spark: driver and executor heap."
    )


@dataclass(frozen=True)
class ZoneArgs:
    """Which zone, and the options of every analysis of it (the library's :class:`Options`)."""

    zone: str | None = _option("--zone", "-z", required=True, help="The zone Z, e.g. 晋城经开区.")
    scope: str = _option(
        "--scope",
        type=click.Choice(["zone", "city", "province"]),
        default="zone",
        show_default=True,
        help="Which enterprise column --zone names.",
    )
    include_planned: bool = _option("--include-planned", is_flag=True, help="Count planned (拟供) links as active.")
    local_saving_rate: float = _option(
        "--local-saving-rate",
        type=float,
        default=0.05,
        show_default=True,
        help="Saving assumed for local supply where no price is known.",
    )

    def options(self, zone: str | None = None) -> Options:
        from chaingraph.results.options import Options

        return Options(zone=(self.zone or "") if zone is None else zone, scope=self.scope,
                       include_planned=self.include_planned, local_saving_rate=self.local_saving_rate)  # fmt: skip


FORMATS = ["table", "json", "csv", "parquet"]


@dataclass(frozen=True)
class OutputArgs:
    """How and where an analysis' result is written."""

    fmt: str = _option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
    output: str | None = _option(
        "--output", "-o", type=click.Path(), default=None, help="Write to this file instead of stdout."
    )


def _grouped(**groups: type) -> Callable[[F], F]:
    """Add each group's options to a hand-written command, which gets one object per group (``src=SourceArgs``)."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(**kw: Any) -> Any:
            for key, group in groups.items():
                kw[key] = _take(group, kw)
            return fn(**kw)

        memo = wrapper.__dict__.setdefault("__click_params__", [])
        for group in reversed(groups.values()):  # click lists a command's params in reverse order of decoration
            memo.extend(reversed(_params(group)))
        return wrapper  # type: ignore[return-value]

    return decorate


def _backend(src: SourceArgs, output: str | None, *, kind: str = "file", inputs: tuple[str | None, ...] = ()) -> Any:
    """:func:`_open` SOURCE, the output path ``output`` checked first.

    ``kind`` says what ``-o`` names: a ``file``, a ``folder`` written into, or a ``report`` folder
    (replaced whole); ``inputs`` are further files the command reads (never written to).
    """
    _check_paths(src, output=output, kind=kind, inputs=inputs)
    return _open(src)


def _check_paths(src: SourceArgs, *, output: str | None = None, kind: str = "file",
                 inputs: tuple[str | None, ...] = ()) -> None:  # fmt: skip
    """Refuse bad output paths (exit 2) before anything is read or written; never an input file."""
    from chaingraph.outputs import check_file, check_folder, input_files, refuse_inputs
    from chaingraph.sources import is_uri

    source, rejects, skip_bad = src.source, src.rejects, src.skip_bad

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


def _open(src: SourceArgs, *, quiet: bool = False) -> Any:
    """The engine for SOURCE: a folder or workbook on DuckDB (or, ``--engine memory``, in memory; ``--engine spark``,
    on Spark), a ``bolt://`` URI's Neo4j."""
    from chaingraph.sources import is_uri, open_backend

    if is_uri(src.source):
        return open_backend(src.source, user=src.user, password=src.password, database=src.database)
    if src.engine == "spark":
        return _open_spark(src, quiet=quiet)
    _check_paths(src)
    from chaingraph.validated_copy import validated_copy

    # Validated once, then read from the copy while the files are unchanged (docs/analysis.md, "Loading").
    copy = validated_copy(src.source, skip_bad=src.skip_bad, ignore_unknown_columns=src.ignore_unknown_columns)
    if not quiet:  # unknown columns, normalised ids, title or hidden rows: said once, by every command
        for w in copy.warnings:
            click.echo(f"warning: {w}", err=True)
    if src.skip_bad:
        _write_rejects(copy.rejected, src.rejects)
    if src.engine == "duckdb":  # DuckDB reads the copy's Parquet files in place; the frames only when asked for
        from chaingraph.duckdb_engine import DuckDBBackend

        return DuckDBBackend(copy)
    from chaingraph.memory_engine import MemoryBackend

    return MemoryBackend(copy.dataset())


def _open_spark(src: SourceArgs, *, quiet: bool = False) -> Any:
    """The Spark engine over SOURCE, read and checked on the session's cluster (chaingraph.spark_tables)."""
    if src.skip_bad:
        raise CliError("--skip-bad is not available with --engine spark: fix the rows it reports, or use the "
                       "embedded engine to set them aside.")  # fmt: skip
    try:
        from chaingraph.spark_engine import SparkBackend
    except ImportError:  # pragma: no cover (the engine ships with chaingraph; a partial install lacks it)
        raise CliError(
            "this chaingraph has no Spark engine (chaingraph.spark_engine); install chaingraph whole."
        ) from None
    from chaingraph.spark_tables import read_checked

    spark = _spark_session(src.master, src.spark_memory)
    tables, warnings = read_checked(spark, src.source)
    if not quiet:  # the loader's warnings, in its words (found on the executors)
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
    return SparkBackend(tables, session=spark)


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


def _emit_bytes(data: bytes, output: str | None) -> None:
    """:func:`_emit` of UTF-8 text given as its bytes: written as they are (to a pipe or file, no text made)."""
    if not output and sys.stdout.isatty():
        _emit(data.decode("utf-8"), None)  # a terminal: its control codes stripped
    elif output:
        from chaingraph.outputs import atomic_file

        with atomic_file(output) as tmp:
            tmp.write_bytes(data)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(data, nl=False)


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


def _run(spec: AnalysisSpec[P, Any], src: SourceArgs, zone: ZoneArgs, out: OutputArgs, params: P, *,
         kind: str = "file", inputs: tuple[str | None, ...] = ()) -> None:  # fmt: skip
    """Open SOURCE, run the registry's analysis ``spec`` on it, write the result in the chosen format."""
    page = spec.page if out.fmt == "html" else None
    output = out.output or (page.default_output if page else None)  # checked before loading, like every output
    backend = _backend(src, output, kind=kind, inputs=inputs)
    try:
        result = spec.run(backend, zone.options(), params)
        if page is None:
            _render(spec, result, backend, out)
            return
        assert output is not None
        from chaingraph.outputs import atomic_file

        with atomic_file(output) as tmp:
            page.write(result, tmp, backend)
        click.echo(f"wrote {output} ({page.summary(result)})")
    finally:
        backend.close()


def _render(spec: AnalysisSpec[Any, R], result: R, backend: Backend, out: OutputArgs) -> None:
    """``result`` as ``--format`` asks, with the entry's renderers: JSON, CSV (a folder of files when several), table."""
    import pandas as pd

    if out.fmt == "json":
        from chaingraph.render.fmt import to_json_bytes

        _emit_bytes(to_json_bytes(spec.render_json(result, backend), newline=True), out.output)
    elif out.fmt == "csv":
        frames = spec.csv(result)
        if isinstance(frames, pd.DataFrame):
            _emit_csv(frames, out.output)
            return
        from chaingraph.outputs import atomic_file
        from chaingraph.spreadsheet import write_csv

        assert out.output is not None  # the command asked for -o DIR (AnalysisSpec.csv_folder)
        folder = Path(out.output)
        folder.mkdir(exist_ok=True)
        for stem, frame in frames.items():
            with atomic_file(folder / f"{stem}.csv") as tmp:
                write_csv(frame, tmp)
        click.echo(f"wrote {', '.join(f'{stem}.csv' for stem in frames)} in {folder}", err=True)
    elif out.fmt == "parquet":
        _emit_parquet(spec.csv(result), out.output)
    else:
        _print(spec.render_table(result, backend), out.output)


def _emit_parquet(frames: Any, output: str | None) -> None:
    """The ``--format csv`` table(s) as Parquet: one file at ``-o FILE``, or ``stem.parquet`` files in ``-o DIR``."""
    import pandas as pd

    from chaingraph.outputs import atomic_file
    from chaingraph.spreadsheet import write_parquet

    assert output is not None  # the command asked for -o (Parquet is no text for a terminal)
    if isinstance(frames, pd.DataFrame):
        with atomic_file(output) as tmp:
            write_parquet(frames, tmp)
        click.echo(f"wrote {output}", err=True)
        return
    folder = Path(output)
    folder.mkdir(exist_ok=True)
    for stem, frame in frames.items():
        with atomic_file(folder / f"{stem}.parquet") as tmp:
            write_parquet(frame, tmp)
    click.echo(f"wrote {', '.join(f'{stem}.parquet' for stem in frames)} in {folder}", err=True)


class _Group(click.Group):
    """The ``chaingraph`` group: the analysis commands come from the registry, read when first needed
    (the registry imports the analyses and renderers; ``synth`` or ``neo4j status`` need neither)."""

    _analyses_added = False

    def _add_analyses(self) -> None:
        if not self._analyses_added:
            self._analyses_added = True
            from chaingraph import registry

            add_analysis_commands(self, registry.ALL.values())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self._add_analyses()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_analyses()
        return super().list_commands(ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from chaingraph.deferred_import import defer

        defer("pandas")  # imported when a command first uses it: `gaps -f json` on DuckDB never does
        if sys.platform == "linux":  # the wheels' jemalloc hands the validation's memory back (mimalloc, Arrow's
            os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")  # default, peaked 0.1 GB higher at 2M)
        return super().main(*args, **kwargs)

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
@_grouped(src=SourceArgs)
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_guard
def validate(src: SourceArgs, fmt: str) -> None:
    """Load SOURCE (default ./data), report what loaded and every problem."""
    from chaingraph.render.fmt import to_json
    from chaingraph.render.load_summary import load_summary
    from chaingraph.render.tables import validate_view
    from chaingraph.sources import is_uri

    if src.engine == "spark":  # checked on the cluster, row by row; the tables never come to this process
        from chaingraph.spark_tables import read_checked

        tables, warnings = read_checked(_spark_session(src.master, src.spark_memory), src.source)
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
        counts = {k: v.count() for k, v in tables.items() if v is not None}
        _emit(to_json({"engine": "spark", "master": src.master, "source": src.source, "rows": counts}) + "\n"
              if fmt == "json" else f"checked on Spark ({src.master}): no problems in "
              + ", ".join(f"{n:,} {k}" for k, n in counts.items()) + "\n", None)  # fmt: skip
        return
    if not is_uri(src.source):  # the copy's summaries and the columns the summary reads, not every table whole
        from chaingraph.render.load_summary import SUMMARY_COLUMNS
        from chaingraph.validated_copy import validated_copy

        _check_paths(src)
        copy = validated_copy(src.source, skip_bad=src.skip_bad, ignore_unknown_columns=src.ignore_unknown_columns)
        if src.skip_bad:
            _write_rejects(copy.rejected, src.rejects)
        ds = copy.dataset(columns=SUMMARY_COLUMNS)
        if fmt == "json":
            _emit(to_json(load_summary(ds)) + "\n", None)
        else:
            _print(validate_view(ds), None)
        return
    backend = _open(src, quiet=True)
    try:
        ds = backend.dataset
        if fmt == "json":
            _emit(to_json(load_summary(ds)) + "\n", None)
        else:
            _print(validate_view(ds), None)
    finally:
        backend.close()


# The analysis commands: one per registry entry (a variant such as ``rank`` adds its switch,
# ``--rank``, to the command it varies), made by analysis_command from the entry's declarations.
# What a command does beyond its analysis (analyze --all-zones) is an _Extra below.


@dataclass(frozen=True)
class _Extra:
    """Options of an analysis command that are not the analysis' own, and what they do.

    ``before`` runs first with the command's values (groups as ``src``, ``zone``, ``out``) and says
    whether it has done the command's work; ``zone_required`` False: ``--zone`` may be left out.
    """

    params: Callable[[], list[click.Parameter]]
    before: Callable[[dict[str, Any]], bool]
    zone_required: bool = True


def _analyze_first(kw: dict[str, Any]) -> bool:
    """``analyze --all-zones [--detail]``: every zone at once; else one zone, which must be named."""
    all_zones, detail = kw.pop("all_zones"), kw.pop("detail")
    if detail and not (all_zones and kw["out"].fmt == "json"):
        raise CliError("--detail goes with --all-zones -f json (one zone's full analysis: --zone Z).")
    if all_zones:
        _all_zones(kw["src"], kw["zone"], kw["out"], detail=detail)
        return True
    if not kw["zone"].zone:
        raise CliError("give --zone Z, or --all-zones.")
    return False


_EXTRAS: dict[str, _Extra] = {
    "analyze": _Extra(
        lambda: [
            click.Option(
                ["--all-zones"], is_flag=True, help="Every zone at once: one row of headline figures per zone."
            ),
            click.Option(
                ["--detail"], is_flag=True, help="With --all-zones and -f json: every zone's full analysis, streamed."
            ),
        ],
        _analyze_first,
        zone_required=False,
    )
}


def _flag_option(p: Param) -> click.Option:
    """The option of one declared parameter (registry.flag): its flag, help, type and range, default."""
    f = p.flag
    attrs: dict[str, Any] = {"help": f.help, "required": f.required}
    if p.kind is bool:
        attrs["is_flag"] = True
    elif f.parse is not None:  # the text as given, parsed by the registry's parse
        attrs["default"] = None
    else:
        if p.kind in (int, float) and (f.minimum is not None or f.maximum is not None):
            if p.kind is int:
                attrs["type"] = click.IntRange(min=_int(f.minimum), max=_int(f.maximum))
            else:
                attrs["type"] = click.FloatRange(min=f.minimum, max=f.maximum)
        elif f.reads:
            attrs["type"] = click.Path(dir_okay=False)
        else:
            attrs["type"] = p.kind
        if not f.required:
            attrs["default"] = p.default
            attrs["show_default"] = p.default is not None
    return click.Option([f.name, p.name], **attrs)


def _int(x: float | None) -> int | None:
    return None if x is None else int(x)


def analysis_command(specs: Sequence[AnalysisSpec[Any, Any]]) -> click.Command:
    """One command for a registry entry and its variants (entries whose ``command`` is its name).

    Its options: the zone's (:class:`ZoneArgs`), the entry's own parameters, each variant's switch
    and parameters, any :class:`_Extra`, the output format and file, and SOURCE's (:class:`SourceArgs`).
    """
    from chaingraph.registry import params_of

    (main_spec,) = [s for s in specs if s.switch is None]
    variants = [s for s in specs if s.switch is not None]
    name = main_spec.command_name
    extra = _EXTRAS.get(name)
    own: list[click.Parameter] = [_flag_option(p) for p in params_of(main_spec.params)]
    for v in variants:
        assert v.switch is not None
        own.append(click.Option([v.switch.name, v.name], is_flag=True, help=v.switch.help))
        own.extend(_flag_option(p) for p in params_of(v.params))
    if extra is not None:
        own.extend(extra.params())
    formats = (
        ["html", "json", "csv", "table", "parquet"] if main_spec.page else FORMATS
    )  # a page: html, the default, first
    params = [
        *_params(ZoneArgs, zone={"required": extra is None or extra.zone_required}),
        *own,
        *_params(OutputArgs, fmt={"type": click.Choice(formats), "default": formats[0]}),
        *_params(SourceArgs),
    ]
    seen = [p.name for p in params]
    if len(seen) != len(set(seen)):
        raise ValueError(f"{name}: two options set the same parameter: {sorted(n for n in seen if seen.count(n) > 1)}")

    def callback(**kw: Any) -> None:
        for key, group in (("src", SourceArgs), ("zone", ZoneArgs), ("out", OutputArgs)):
            kw[key] = _take(group, kw)
        if extra is not None and extra.before(kw):
            return
        spec = next((v for v in variants if kw.pop(v.name)), main_spec)
        for v in variants:
            kw.pop(v.name, None)
        values = {p.name: kw.pop(p.name) for s in (main_spec, *variants) for p in params_of(s.params)}
        declared = params_of(spec.params)
        args = spec.params(**{p.name: p.flag.parse(values[p.name]) if p.flag.parse else values[p.name]
                              for p in declared})  # fmt: skip
        out: OutputArgs = kw["out"]
        kind = "file"
        if out.fmt in ("csv", "parquet") and spec.csv_folder:
            if not out.output:
                raise CliError(f"--format {out.fmt} for {name} writes {spec.csv_folder}: give a folder with -o DIR.")
            kind = "folder"
        elif out.fmt == "parquet" and not out.output:
            raise CliError("--format parquet writes a file: give one with -o FILE (e.g. -o gaps.parquet).")
        inputs = tuple(values[p.name] for p in declared if p.flag.reads)
        _run(spec, kw["src"], kw["zone"], out, args, kind=kind, inputs=inputs)

    return click.Command(name, params=params, callback=_guard(callback), help=main_spec.help)


def add_analysis_commands(group: click.Group, specs: Iterable[AnalysisSpec[Any, Any]]) -> None:
    """Add to ``group`` a command for every analysis of ``specs`` (the registry's :data:`~chaingraph.registry.ALL`)."""
    by_command: dict[str, list[AnalysisSpec[Any, Any]]] = {}
    for spec in specs:
        by_command.setdefault(spec.command_name, []).append(spec)
    for specs_of in by_command.values():
        group.add_command(analysis_command(specs_of))


def _all_zones(src: SourceArgs, zone: ZoneArgs, out: OutputArgs, *, detail: bool) -> None:
    """Every zone: the summary table (one pass over the data), or with ``detail`` every zone's JSON, streamed."""
    if out.fmt == "parquet" and not (detail or out.output):
        raise CliError("--format parquet writes a file: give one with -o FILE (e.g. -o zones.parquet).")
    backend = _backend(src, out.output)
    try:
        opts = zone.options(zone="")
        if detail:
            _stream_zones(backend, opts, zone.scope, out.output)
            return
        from chaingraph.render.fmt import to_json
        from chaingraph.render.tables import zones_view

        table = backend.zones_summary(opts=opts)
        if out.fmt == "json":
            rows = table.astype(object).where(table.notna(), None).to_dict("records")
            _emit(to_json({"scope": zone.scope, "zones": rows}) + "\n", out.output)
        elif out.fmt == "csv":
            _emit_csv(table, out.output)
        elif out.fmt == "parquet":
            _emit_parquet(table, out.output)
        else:
            _print(zones_view(table.to_dict("records")), out.output)
    finally:
        backend.close()


def _stream_zones(backend: Any, opts: Any, scope: str, output: str | None) -> None:
    """``{"scope", "zones": {zone: analysis}}`` written zone by zone, so memory holds one zone's results."""
    import json
    from dataclasses import replace

    from chaingraph import registry
    from chaingraph.engine import iter_zones
    from chaingraph.outputs import atomic_file
    from chaingraph.render.fmt import to_json

    def stream(write: Callable[[str], Any]) -> None:
        write("{\n  " + json.dumps("scope") + ": " + json.dumps(scope) + ',\n  "zones": {')
        for k, a in enumerate(iter_zones(backend, opts=opts)):
            a = registry.ANALYZE.finish(backend, replace(opts, zone=a.closure.zone), registry.NoParams(), a)
            body = to_json(a.to_dict()).replace("\n", "\n    ")
            write(("," if k else "") + "\n    " + json.dumps(a.closure.zone, ensure_ascii=False) + ": " + body)
        write("\n  }\n}\n")

    if not output:
        stream(lambda t: click.echo(_for_terminal(t), nl=False))
        return
    with atomic_file(output) as tmp, tmp.open("w", encoding="utf-8") as out:
        stream(out.write)
    click.echo(f"wrote {output}", err=True)


@main.command()
@_grouped(src=SourceArgs)
@click.option("--scope", type=click.Choice(["zone", "city", "province"]), default="zone", show_default=True)
@_guard
def zones(src: SourceArgs, scope: str) -> None:
    """List the zones (or cities, provinces) in SOURCE."""
    backend = _open(src)
    try:
        for z in backend.zones(scope=scope):
            click.echo(_for_terminal(z))
    finally:
        backend.close()


@main.command()
@_grouped(src=SourceArgs)
@click.option("--zone", "-z", required=True, help="The zone Z, e.g. 晋城经开区.")
@click.option("--scope", type=click.Choice(["zone", "city", "province"]), default="zone", show_default=True)
@click.option("--focus", default=None, help="Draw one firm's neighbourhood (id, or a unique name).")
@click.option("--hops", type=click.IntRange(min=0), default=2, show_default=True, help="How far from --focus.")
@click.option(
    "--max-nodes", type=click.IntRange(min=1), default=3000, show_default=True, help="Above this, aggregate by zone."
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="graph.html", show_default=True)
@_guard
def view(src: SourceArgs, zone: str, scope: str, focus: str | None, hops: int, max_nodes: int, output: str) -> None:
    """Write an interactive graph (one HTML file that works offline)."""
    from chaingraph.analysis.gaps import gaps as gaps_of
    from chaingraph.outputs import atomic_file
    from chaingraph.render.view import build_view, write_html

    backend = _backend(src, output)
    try:
        opts = ZoneArgs(zone, scope, False, 0.05).options()
        if getattr(backend, "view_dataset", None) is None:  # in memory, Neo4j: the data as tables
            ds = backend.dataset
            g = gaps_of(ds, opts=opts)
        else:  # DuckDB/Spark: the zone's slice, or the focus's neighbourhood walked in SQL; never every link
            g = gaps_of(backend.zone_context(opts), opts=opts)
            ds = backend.view_dataset(opts, g, focus=focus, hops=hops)
        v = build_view(ds, opts=opts, gaps=g, focus=focus, hops=hops, max_nodes=max_nodes)
    finally:
        backend.close()
    if v.aggregated:
        from chaingraph.render.terminal import strip_controls  # the note names zones from the data

        click.echo(strip_controls(v.note), err=True)
    with atomic_file(output) as tmp:
        write_html(v, tmp)
    click.echo(f"wrote {output} ({len(v.nodes)} nodes, {len(v.edges)} edges)")


@main.command()
@_grouped(zone=ZoneArgs, src=SourceArgs)  # a report folder: no --format to ignore
@click.option("--output", "-o", type=click.Path(), default="report", show_default=True,
              help="The report folder (replaced whole).")  # fmt: skip
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
@click.option("--capture", type=float, default=1.0, show_default=True,
              help="Share of a gap's external demand counted as kept local once it is filled, 0-1.")  # fmt: skip
@click.option("--multiplier", type=float, default=1.5, show_default=True,
              help="Output multiplier on the value kept local (at least 1: the firm's own output).")  # fmt: skip
@_guard
def report(src: SourceArgs, zone: ZoneArgs, output: str, max_nodes: int, target_lsr: float, pdf: bool,
           capture: float, multiplier: float) -> None:  # fmt: skip
    """Write a report folder: report.html, workbook.xlsx and graph.html (-o DIR, default ./report)."""
    from chaingraph import registry
    from chaingraph.analysis.zones import zones_summary
    from chaingraph.outputs import atomic_folder
    from chaingraph.render.brief import build_brief
    from chaingraph.render.report import write_report
    from chaingraph.render.view import build_view, write_html
    from chaingraph.render.workbook import write_workbook

    out = Path(output)
    say = lambda m: click.echo(m, err=True)  # noqa: E731
    _check_paths(src, output=output, kind="report")
    if pdf:
        from chaingraph.render.pdf import find_chromium, print_pdf

        if find_chromium() is None:
            raise CliError(
                "--pdf needs Chromium (or Chrome) and none was found: install it or set CHAINGRAPH_CHROMIUM."
            )
    matrix = registry.MatrixParams(capture=capture, multiplier=multiplier)  # the matrix's options, as `matrix` has them
    say("loading data…")
    backend = _backend(src, output, kind="report")
    try:
        opts = zone.options()
        say("computing closure, savings and gaps…")
        result = registry.ANALYZE.run(backend, opts, registry.NoParams())
        names = backend.names()
        context = registry.zone_context(backend, opts)  # the ranking and the panorama share the zone's context
        ranking = registry.RANK.compute(context, registry.RankParams())
        ds = registry.report_data(backend, context)  # on DuckDB/Spark the zone's slice, never every link
        sql = backend.kind in ("duckdb", "spark")  # every zone's figures in SQL there, as --all-zones
        summary = backend.zones_summary(opts=opts) if sql else zones_summary(ds, opts=opts)
        brief = build_brief(result, ranking=ranking, names=names,
                            dataset=ds, summary=summary, target_lsr=target_lsr,
                            panorama=registry.PANORAMA.compute(context, registry.NoParams()),
                            resilience=registry.RESILIENCE.run(backend, opts, registry.ResilienceParams()),
                            benchmark=registry.BENCHMARK.run(backend, opts, registry.BenchmarkParams()),
                            matrix=registry.matrix_of(backend, opts, gaps=result.gaps, params=matrix))  # fmt: skip
        with atomic_folder(out) as tmp:  # built beside the target, swapped in whole: never a half or mixed folder
            say("drawing the graph…")
            drawn = backend.view_dataset(opts, result.gaps) if sql else ds  # DuckDB/Spark: from the engine
            write_html(build_view(drawn, opts=opts, gaps=result.gaps, max_nodes=max_nodes), tmp / "graph.html")
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
def cache() -> None:
    """The validated copies of data folders (校验缓存): reused while the files are unchanged."""


@cache.command("info")
@_guard
def cache_info() -> None:
    """Where the cache is, and each copy: the SOURCE it is of, its size, when last used."""
    import datetime

    from chaingraph.validated_copy import cache_dir
    from chaingraph.validated_copy import cache_info as copies

    found = copies()
    click.echo(f"cache folder: {cache_dir()} ({len(found)} copies, {sum(c.bytes for c in found) / 1e6:,.2f} MB)")
    for c in found:
        used = datetime.datetime.fromtimestamp(c.last_used).strftime("%Y-%m-%d %H:%M")
        click.echo(_for_terminal(f"  {c.key[:12]}  {c.bytes / 1e6:>10,.2f} MB  last used {used}  {c.source}"))


@cache.command("clear")
@_guard
def cache_clear() -> None:
    """Remove every copy (the next command on a folder validates it again)."""
    from chaingraph.validated_copy import cache_dir, clear_cache

    removed, freed = clear_cache()
    click.echo(f"removed {removed} copies ({freed / 1e6:,.2f} MB) from {cache_dir()}")


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
@_grouped(src=SourceArgs)
@click.option("--uri", envvar="NEO4J_URI", default=None, help="Neo4j to load into (default bolt://127.0.0.1:7687).")
@click.option("--replace", is_flag=True, help="Delete what an earlier load wrote before loading.")
@click.option("--batch", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows per transaction.")
@click.option("--bulk", is_flag=True,
              help="Replace the local server's database in one offline import (neo4j-admin): fastest for a "
                   "first or full load; restarts the server started by `chaingraph neo4j up`.")  # fmt: skip
@_guard
def neo4j_load(src: SourceArgs, uri: str | None, replace: bool, batch: int, bulk: bool) -> None:
    """Load SOURCE (a data folder) into Neo4j: idempotent, batched, resumable."""
    from chaingraph.neo4j.connect import driver, settings
    from chaingraph.neo4j.load import load

    if bulk and (uri or src.database):
        raise CliError("--bulk imports into the local server of `chaingraph neo4j up`; leave out --uri/--database.")
    ds = _open(dataclasses.replace(src, user=None, password=None, database=None)).dataset
    if bulk:
        from chaingraph.neo4j.bulk import bulk_load
        from chaingraph.neo4j.server import configured

        result = bulk_load(ds, say=lambda m: click.echo(m, err=True))
        _say_counts(f"bolt://127.0.0.1:{configured()[0]}", result)
        return
    conn = settings(uri, user=src.user, password=src.password, database=src.database)
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


# --- Spark and invoice input (issue 21) -------------------------------------------------------------------------


def _spark_options(fn: F) -> F:
    """``--master`` and ``--spark-memory``: where a Spark engine runs (local mode by default)."""
    fn = click.option("--spark-memory", default="1g", show_default=True,
                      help="Spark's driver and executor heap (small: the machine may be shared).")(fn)  # fmt: skip
    fn = click.option("--master", default="local[*]", show_default=True, envvar="CHAINGRAPH_SPARK_MASTER",
                      help="Spark master: local[*], spark://HOST:PORT (a standalone cluster), yarn, k8s://…")(fn)  # fmt: skip
    return fn


def _spark_session(master: str, memory: str) -> Any:
    """A SparkSession for this command, stopped when the command ends (registered on the click context)."""
    from chaingraph.spark_session import open_session, stop_session

    spark = open_session(master, memory=memory)
    click.get_current_context().call_on_close(lambda: stop_session(spark))
    return spark


@main.group()
def ingest() -> None:
    """Turn source records into chaingraph's tables (invoice rows into links.csv)."""


@ingest.command("invoices")
@click.argument("files", nargs=-1, required=True, metavar="FILES...")
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False),
              help="The folder links.csv is written into (created if its parent exists).")  # fmt: skip
@click.option("--year", type=click.IntRange(1900, 2999), default=None,
              help="Sum the invoices of this calendar year (default: the one year the invoices are in).")  # fmt: skip
@click.option("--period", default=None, metavar="YYYY-MM",
              help="Sum the twelve months from this month instead (a fiscal year: 2024-07 is 2024-07..2025-06).")  # fmt: skip
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
              help="duckdb: embedded, no server; spark: on --master (FILES any path Spark reads).")  # fmt: skip
@_spark_options
@_guard
def ingest_invoices(files: tuple[str, ...], output: str, year: int | None, period: str | None, engine: str,
                    master: str, spark_memory: str) -> None:  # fmt: skip
    """Invoice rows (销方/购方纳税人识别号, 货物或应税劳务名称, 金额, 开票日期) into links.csv, one yearly value per link."""
    from chaingraph import invoices

    if year is not None and period is not None:
        raise CliError("give --year or --period, not both.")
    chosen = invoices.Period.parse(period if period is not None else str(year)) if (year or period) else None
    spark = _spark_session(master, spark_memory) if engine == "spark" else None
    summary = invoices.ingest_invoices(list(files), output, period=chosen, engine=engine, spark=spark)
    for line in summary.lines():
        click.echo(line)


@main.group()
def spark() -> None:
    """A standalone Spark master and worker on this machine (127.0.0.1), for --master spark://127.0.0.1:7077."""


def _spark_ports(fn: F) -> F:
    fn = click.option("--port", type=click.IntRange(1, 65535), default=7077, show_default=True,
                      help="The master's port.")(fn)  # fmt: skip
    fn = click.option("--ui-port", type=click.IntRange(1, 65535), default=18080, show_default=True,
                      help="The master's web UI.")(fn)  # fmt: skip
    return fn


@spark.command("up")
@_spark_ports
@click.option("--cores", type=click.IntRange(min=1), default=2, show_default=True, help="The worker's cores.")
@click.option("--memory", default="2g", show_default=True, help="What the worker offers executors.")
@_guard
def spark_up(port: int, ui_port: int, cores: int, memory: str) -> None:
    """Start a master and one worker (pyspark's own Spark; logs under ~/.chaingraph/spark)."""
    from chaingraph import spark_standalone

    st = spark_standalone.up(port=port, ui_port=ui_port, cores=cores, memory=memory,
                             say=lambda m: click.echo(m, err=True))  # fmt: skip
    click.echo(f"Spark master running at {st.master_url} ({st.workers} worker, {st.cores} cores, "
               f"{st.memory_mb} MB free); web UI {st.ui_url}")  # fmt: skip


@spark.command("down")
@_guard
def spark_down() -> None:
    """Stop the master and worker started by `chaingraph spark up`."""
    from chaingraph import spark_standalone

    click.echo("Spark master and worker stopped" if spark_standalone.down() else "no local Spark master was running")


@spark.command("status")
@_spark_ports
@_guard
def spark_status(port: int, ui_port: int) -> None:
    """Tell whether the local Spark master runs, and its workers."""
    from chaingraph import spark_standalone

    st = spark_standalone.status(port=port, ui_port=ui_port)
    if st.running:
        click.echo(f"running: {st.master_url}, {st.workers} worker(s), {st.cores} cores and {st.memory_mb} MB free, "
                   f"web UI {st.ui_url}")  # fmt: skip
    else:
        click.echo(f"not running (home {st.home})")


if __name__ == "__main__":  # pragma: no cover
    main()
