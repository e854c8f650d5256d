"""The ``chaingraph`` command line: thin click wrappers over the library.

The only module that imports click.  Library errors become exit code 2 with
a message; nothing here computes a figure.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = click.Choice(["table", "json", "csv"])


class CliError(click.ClickException):
    """A user error: message and exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def _guard(fn: F) -> F:
    """Turn chaingraph's errors into :class:`CliError`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from chaingraph.errors import ChaingraphError

        try:
            return fn(*args, **kwargs)
        except ChaingraphError as err:
            raise CliError(str(err)) from None

    return wrapper  # type: ignore[return-value]


def _source(fn: F) -> F:
    fn = click.argument("source", default="data", required=False, metavar="[SOURCE]")(fn)
    fn = click.option("--skip-bad", is_flag=True, help="Set rows with problems aside (in a rejects CSV) and go on.")(fn)
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
    fn = _source(fn)
    fn = click.option("--zone", "-z", required=True, help="The zone Z, e.g. 晋城经开区.")(fn)
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
    fn = click.option("--format", "-f", "fmt", type=FORMATS, default="table", show_default=True)(fn)
    fn = click.option("--output", "-o", type=click.Path(), default=None, help="Write to this file instead of stdout.")(
        fn
    )
    return _guard(fn)


def _open(
    source: str, *, skip_bad: bool, rejects: str, user: str | None, password: str | None, database: str | None
) -> Any:
    from chaingraph.backend import MemoryBackend, is_uri, open_backend

    if is_uri(source):
        return open_backend(source, user=user, password=password, database=database)
    from chaingraph.load import load_dataset, write_rejects

    ds = load_dataset(source, skip_bad=skip_bad)
    if ds.rejected:
        write_rejects(ds.rejected, rejects)
        click.echo(f"set aside {len(ds.rejected)} problem(s), written to {rejects}", err=True)
    return MemoryBackend(ds)


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _print(renderables: list[Any], output: str | None) -> None:
    from rich.console import Console

    if output:
        with open(output, "w", encoding="utf-8") as fh:
            Console(file=fh, width=100, no_color=True).print(*renderables)
        click.echo(f"wrote {output}", err=True)
        return
    Console(highlight=False).print(*renderables)


def _options(zone: str, scope: str, include_planned: bool, local_saving_rate: float) -> Any:
    from chaingraph.analysis.common import Options

    return Options(zone=zone, scope=scope, include_planned=include_planned, local_saving_rate=local_saving_rate)


def _run(kind: str, kw: dict[str, Any]) -> None:
    from chaingraph.render import flat, tables
    from chaingraph.render.fmt import to_json

    backend = _open(
        kw["source"],
        skip_bad=kw["skip_bad"],
        rejects=kw["rejects"],
        user=kw["user"],
        password=kw["password"],
        database=kw["database"],
    )
    try:
        opts = _options(kw["zone"], kw["scope"], kw["include_planned"], kw["local_saving_rate"])
        result = getattr(backend, kind)(opts=opts)
        if kw["fmt"] == "json":
            _emit(to_json(result.to_dict()) + "\n", kw["output"])
        elif kw["fmt"] == "csv":
            _emit(getattr(flat, f"{kind}_frame")(result).to_csv(index=False), kw["output"])
        else:
            _print(getattr(tables, f"{kind}_view")(result, backend.names()), kw["output"])
    finally:
        backend.close()


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
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
    source: str, skip_bad: bool, rejects: str, user: str | None, password: str | None, database: str | None, fmt: str
) -> None:
    """Load SOURCE (default ./data), report what loaded and every problem."""
    from chaingraph.render.fmt import to_json
    from chaingraph.render.summary import load_summary
    from chaingraph.render.tables import validate_view

    ds = _open(source, skip_bad=skip_bad, rejects=rejects, user=user, password=password, database=database).dataset
    if fmt == "json":
        _emit(to_json(load_summary(ds)) + "\n", None)
    else:
        _print(validate_view(ds), None)


@main.command()
@_analysis
def closure(**kw: Any) -> None:
    """How closed is the zone's chain: local sourcing ratio, stage coverage, local chains."""
    _run("closure", kw)


@main.command()
@_analysis
def savings(**kw: Any) -> None:
    """What local supply saves: realized and potential savings."""
    _run("savings", kw)


@main.command()
@_analysis
def gaps(**kw: Any) -> None:
    """Missing links: what the zone buys from outside, and whom to invite."""
    _run("gaps", kw)


@main.command()
@_analysis
def analyze(**kw: Any) -> None:
    """Closure, savings and gaps in one pass (csv writes three files into -o DIR)."""
    from chaingraph.analysis.bundle import analyze as analyze_all
    from chaingraph.render import flat, tables
    from chaingraph.render.fmt import to_json

    backend = _open(
        kw["source"],
        skip_bad=kw["skip_bad"],
        rejects=kw["rejects"],
        user=kw["user"],
        password=kw["password"],
        database=kw["database"],
    )
    try:
        result = analyze_all(
            backend, opts=_options(kw["zone"], kw["scope"], kw["include_planned"], kw["local_saving_rate"])
        )
        if kw["fmt"] == "json":
            _emit(to_json(result.to_dict()) + "\n", kw["output"])
        elif kw["fmt"] == "csv":
            if not kw["output"]:
                raise CliError("--format csv for analyze writes three files: give a folder with -o DIR.")
            out = Path(kw["output"])
            out.mkdir(parents=True, exist_ok=True)
            for kind in ("closure", "savings", "gaps"):
                getattr(flat, f"{kind}_frame")(getattr(result, kind)).to_csv(out / f"{kind}.csv", index=False)
            click.echo(f"wrote closure.csv, savings.csv, gaps.csv in {out}", err=True)
        else:
            names = backend.names()
            _print(
                [
                    *tables.closure_view(result.closure, names),
                    *tables.savings_view(result.savings, names),
                    *tables.gaps_view(result.gaps, names),
                ],
                kw["output"],
            )
    finally:
        backend.close()


@main.command()
@_source
@click.option("--scope", type=click.Choice(["zone", "city", "province"]), default="zone", show_default=True)
@_guard
def zones(
    source: str, skip_bad: bool, rejects: str, user: str | None, password: str | None, database: str | None, scope: str
) -> None:
    """List the zones (or cities, provinces) in SOURCE."""
    backend = _open(source, skip_bad=skip_bad, rejects=rejects, user=user, password=password, database=database)
    try:
        for z in backend.zones(scope=scope):
            click.echo(z)
    finally:
        backend.close()


if __name__ == "__main__":  # pragma: no cover
    main()
