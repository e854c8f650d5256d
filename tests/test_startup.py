"""A command loads only what it runs (issue 20 point 1): the registry names every analysis, but imports none.

Each case runs the real CLI in a fresh process over a kept validated copy (the first run writes it) and lists
the modules that process imported.  A module-level import of an analysis or renderer in chaingraph/registry.py
or chaingraph/cli.py, or of the loader on the warm path, makes these fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ZONE = "晋城经开区"

#: Runs the CLI's main with the given arguments, then prints the names of the modules it imported.
SCRIPT = """
import sys
from chaingraph.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
"""

#: Never needed by one zone's closure, savings or gaps as JSON over a kept copy.
NEVER = {
    "chaingraph.analysis.whatif",
    "chaingraph.analysis.benchmark",
    "chaingraph.analysis.leaders",
    "chaingraph.analysis.panorama",
    "chaingraph.analysis.routes",
    "chaingraph.analysis.resilience",
    "chaingraph.analysis.rank",
    "chaingraph.render.tables",
    "chaingraph.render.csv_frames",
    "chaingraph.render.panorama",
    "chaingraph.render.resilience",
    "chaingraph.render.benchmark",
    "chaingraph.render.explain",
    "chaingraph.memory_engine",
    "chaingraph.load",
    "chaingraph.validate",
    "chaingraph.xlsx",
    "chaingraph.neo4j",
    "chaingraph.spark_engine",
    "rich",
    "neo4j",
    "pyspark",
    "openpyxl",
}


def _modules(*args: str, cache: Path) -> set[str]:
    env = {**os.environ, "CHAINGRAPH_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    line = done.stderr.rsplit("MODULES ", 1)[1]
    return set(line.split())


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("startup-cache")
    first = _modules("gaps", str(DATA), "--zone", ZONE, "-f", "json", cache=folder)  # writes the copy
    assert "chaingraph.load" in first  # the cold run validates the files: the loader is needed there
    return folder


@pytest.mark.parametrize("command", ["gaps", "closure", "savings", "analyze"])
def test_a_warm_command_imports_only_what_it_runs(command: str, cache: Path) -> None:
    got = _modules(command, str(DATA), "--zone", ZONE, "-f", "json", cache=cache)
    assert "chaingraph.relational.engine" in got  # it did run, on the default engine
    assert sorted(m for m in got if m in NEVER or m.split(".")[0] in NEVER) == []


def test_the_terminal_table_imports_its_renderer_and_no_other(cache: Path) -> None:
    got = _modules("gaps", str(DATA), "--zone", ZONE, cache=cache)
    assert {"chaingraph.render.tables", "rich"} <= got
    assert not got & {"chaingraph.analysis.whatif", "chaingraph.render.panorama", "chaingraph.load"}


@pytest.mark.parametrize("command", ["gaps", "closure", "savings", "analyze"])
def test_a_warm_command_imports_no_graph_library(command: str, cache: Path) -> None:
    """networkx is for the validation of a cold run: closure's local chains are plain dicts and sets."""
    assert "networkx" not in _modules(command, str(DATA), "--zone", ZONE, "-f", "json", cache=cache)


@pytest.mark.parametrize("command", ["gaps", "closure", "savings", "analyze"])
def test_a_warm_command_as_json_never_runs_pandas(command: str, cache: Path, tmp_path: Path) -> None:
    """The CLI defers pandas (chaingraph.deferred_import): a warm command as JSON on DuckDB makes no frame, so
    pandas (0.4 s of every command) and pyarrow, which it would bring, are never run.  A CSV is written by
    pandas, so ``-f csv`` does run it."""
    got = _modules(command, str(DATA), "--zone", ZONE, "-f", "json", cache=cache)
    assert "chaingraph.relational.engine" in got and "pandas" in got  # it ran, with pandas deferred
    assert sorted(m for m in got if m.startswith(("pandas.", "pyarrow"))) == []
    into = ["-o", str(tmp_path / "csv")] if command == "analyze" else []  # analyze writes three files
    assert "pandas.core.frame" in _modules(command, str(DATA), "--zone", ZONE, "-f", "csv", *into, cache=cache)


def test_the_cli_validates_with_arrows_jemalloc_on_linux(tmp_path: Path) -> None:
    """On Linux the CLI asks Arrow for its jemalloc pool (unless ARROW_DEFAULT_MEMORY_POOL says otherwise): the
    cold run at 2M links peaked at 0.90 GB with it, 1.0 GB with mimalloc, Arrow's default."""
    import pyarrow as pa

    if sys.platform != "linux":
        pytest.skip("the CLI leaves Arrow's pool alone outside Linux")
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow has no jemalloc")
    script = ("import sys\nfrom chaingraph.cli import main\nmain(sys.argv[1:], standalone_mode=False)\n"
              "import pyarrow\nprint(pyarrow.default_memory_pool().backend_name)")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    done = subprocess.run([sys.executable, "-c", script, "validate", str(DATA), "-f", "json"], cwd=ROOT,
                          env={**env, "CHAINGRAPH_CACHE": str(tmp_path)}, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.rsplit("\n", 2)[-2] == "jemalloc"


def test_a_deferred_module_runs_once_whichever_thread_asks_first() -> None:
    """Eight threads read a deferred module's attributes at once: each sees the module whole, run once."""
    import threading

    from chaingraph.deferred_import import defer, is_deferred

    name = "chaingraph.results.routes"
    was = sys.modules.pop(name, None)
    try:
        assert defer(name) and is_deferred(name)
        module = sys.modules[name]
        seen: list[object] = []
        threads = [threading.Thread(target=lambda: seen.append(module.Routes)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not is_deferred(name) and len(seen) == 8 and len({id(x) for x in seen}) == 1
        assert defer(name) is False  # imported now: nothing to defer
    finally:
        sys.modules.pop(name, None)
        if was is not None:
            sys.modules[name] = was


def test_a_lazy_entry_computes_what_the_function_it_names_computes() -> None:
    from chaingraph import registry
    from chaingraph.analysis.context import ZoneContext
    from chaingraph.analysis.gaps import gaps
    from chaingraph.load import load_dataset
    from chaingraph.render.tables import gaps_view
    from chaingraph.results.options import Options

    z = ZoneContext.of(load_dataset(DATA), Options(zone=ZONE))
    assert registry.GAPS.compute(z, registry.NoParams()) == gaps(z)
    assert registry.GAPS.table.__name__ == gaps_view.__name__ == "gaps_view"
