"""Spark as a product: the session, invoice ingest on Spark equal to the embedded engine's, a standalone master.

Needs pyspark and Java 17/21 (local mode); the standalone test also a master, started by .ci/servers
(`chaingraph spark up`) and named by CHAINGRAPH_TEST_SPARK_MASTER. Skipped without them, except in CI
(CHAINGRAPH_REQUIRE_ALL=1), where that fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chaingraph.errors import BackendError, InputError
from chaingraph.invoices import Period, ingest_invoices
from tests.conftest import require
from tests.test_invoices import BAD, BAD_TEXT, FORMULA_LINKS, FORMULAS, ROWS

pytestmark = [pytest.mark.spark, pytest.mark.timeout(900)]


def _has_java() -> bool:
    try:
        from chaingraph.spark_session import find_java_home

        find_java_home()
    except BackendError:
        return False
    return True


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        require("", "pyspark is not installed (pip install -e '.[test]')")
    if not _has_java():
        require("", "no Java 17/21 for Spark")
    from chaingraph.spark_session import open_session, stop_session

    session = open_session("local[2]", memory="768m")
    yield session
    stop_session(session)


def test_a_newer_jdk_in_java_home_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from chaingraph import spark_session

    fake = tmp_path / "jdk-25" / "bin"
    fake.mkdir(parents=True)
    (fake / "java").write_text("#!/bin/sh\necho 'openjdk version \"25.0.1\" 2025-10-21' >&2\n")
    (fake / "java").chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(fake.parent))
    with pytest.raises(BackendError, match=r"JAVA_HOME is .*jdk-25 \(Java 25\); Spark runs on Java 17 or 21"):
        spark_session.find_java_home()


def test_a_master_url_is_checked_before_spark_starts() -> None:
    from chaingraph.spark_session import open_session

    with pytest.raises(BackendError, match="'http://x:7077' is not a Spark master URL"):
        open_session("http://x:7077")


def test_ingest_on_spark_writes_the_embedded_engines_file(spark: Any, tmp_path: Path) -> None:
    """The same SQL on both engines: byte-identical links.csv, the same summary."""
    f = tmp_path / "发票.csv"
    f.write_text(ROWS, encoding="utf-8")
    a = ingest_invoices([f], tmp_path / "duck", period=Period.parse("2024"))
    b = ingest_invoices([f], tmp_path / "spark", period=Period.parse("2024"), engine="spark", spark=spark)
    assert (tmp_path / "spark" / "links.csv").read_bytes() == (tmp_path / "duck" / "links.csv").read_bytes()
    assert (b.rows, b.blank_lines, b.in_period, b.outside, b.refunds, b.links, b.not_positive, b.total_value) == (
        a.rows, a.blank_lines, a.in_period, a.outside, a.refunds, a.links, a.not_positive, a.total_value)  # fmt: skip
    assert b.lines()[1:-1] == a.lines()[1:-1]


def test_formula_cells_on_spark_are_guarded_and_read_back_as_the_invoices_text(spark: Any, tmp_path: Path) -> None:
    """Spark writes the embedded engine's guarded links.csv, and Spark's reader takes the guard off again."""
    from chaingraph.spark_tables import read_source

    f = tmp_path / "i.csv"
    f.write_text(FORMULAS, encoding="utf-8")
    ingest_invoices([f], tmp_path / "duck", period=Period.parse("2024"))
    ingest_invoices([f], tmp_path / "spark", period=Period.parse("2024"), engine="spark", spark=spark)
    assert (tmp_path / "spark" / "links.csv").read_bytes() == (tmp_path / "duck" / "links.csv").read_bytes()
    (tmp_path / "spark" / "enterprises.csv").write_text("id,name,zone\n=S1,甲,Z\n'-S2,乙,Z\nS3,丙,Z\nB1,丁,Z\n"
                                                        "'@B2,戊,Z\n", encoding="utf-8")  # fmt: skip
    links = read_source(spark, str(tmp_path / "spark"))["links"]
    assert links is not None
    got = [[r["supplier_id"], r["buyer_id"], r["product"]] for r in links.collect()]
    assert sorted(got) == sorted(FORMULA_LINKS)


def test_spark_names_every_bad_row_as_the_loader_does(spark: Any, tmp_path: Path) -> None:
    """File, line (counted on Spark from each block's position), column, value: the embedded engine's text."""
    f = tmp_path / "bad.csv"
    f.write_text(BAD, encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest_invoices([f], tmp_path / "out", period=Period.parse("2024"), engine="spark", spark=spark)
    assert str(err.value) == BAD_TEXT.format(f=f)
    assert not (tmp_path / "out" / "links.csv").exists()


def _master() -> str:
    master = os.environ.get("CHAINGRAPH_TEST_SPARK_MASTER")
    if not master:
        require("", "no standalone Spark master (chaingraph spark up; CHAINGRAPH_TEST_SPARK_MASTER=spark://…)")
    return str(master)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "chaingraph.cli", *args], capture_output=True, text=True, env=env,
                          timeout=800)  # fmt: skip


def test_ingest_on_a_standalone_master(tmp_path: Path) -> None:
    """The cluster's code path: tasks shipped to an executor the worker started, the same file as DuckDB's."""
    master = _master()
    f = tmp_path / "发票.csv"
    f.write_text(ROWS, encoding="utf-8")
    duck = _cli("ingest", "invoices", str(f), "-o", str(tmp_path / "duck"), "--year", "2024")
    assert duck.returncode == 0, duck.stderr
    run = _cli("ingest", "invoices", str(f), "-o", str(tmp_path / "spark"), "--year", "2024", "--engine", "spark",
               "--master", master, "--spark-memory", "512m")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "read 8 invoice rows from 1 file(s) (spark)"
    assert (tmp_path / "spark" / "links.csv").read_bytes() == (tmp_path / "duck" / "links.csv").read_bytes()


BAD_ENTERPRISES = "id,name,zone\nA,甲,Z\nB,乙,Z\nA,丙,Z\n,丁,Z\nＣ,戊,\n"
BAD_LINKS = ("supplier_id,buyer_id,product,annual_value,unit_price,status\nA,B,钢,100,,active\nA,A,钢,1,,\n"
             'A,X,钢,"1,5",,\nB,A,钢,,,在供\nB,A,钢,-3,,foo\nC,A,铁,2万,,\nC,A,铁,1,2,3,4\n')  # fmt: skip


def test_source_rows_checked_on_spark_as_the_loader_does(spark: Any, tmp_path: Path) -> None:
    """Every problem the loader reports for these rows, in its words, lines counted on Spark."""
    from chaingraph.load import load_dataset
    from chaingraph.spark_tables import read_source

    (tmp_path / "enterprises.csv").write_text(BAD_ENTERPRISES, encoding="utf-8")
    (tmp_path / "links.csv").write_text(BAD_LINKS, encoding="utf-8")
    with pytest.raises(InputError) as on_spark:
        read_source(spark, str(tmp_path))
    with pytest.raises(InputError) as loader:
        load_dataset(tmp_path)
    assert [str(p) for p in on_spark.value.problems] == [str(p) for p in loader.value.problems]
    e, links = tmp_path / "enterprises.csv", tmp_path / "links.csv"
    assert str(on_spark.value).splitlines()[:3] == [
        "10 problems in the input:",
        f"  {e}, line 4, column 'id', value 'A': duplicate enterprise id. The id is first used on line 2; merge the "
        "rows or give a new id.",
        f"  {e}, line 5, column 'id', value '': a required value is empty. Fill in 'id' or delete the row.",
    ]
    assert str(on_spark.value).splitlines()[-2:] == [
        f"  {links}, line 8: the row has more fields than the header's 6. Remove the extra commas, or quote the cell "
        "that holds a comma.",
        "Fix the problems above.",
    ]


def test_sample_data_read_on_spark_equals_the_loaders_tables(spark: Any) -> None:
    from chaingraph.load import load_dataset
    from chaingraph.spark_tables import read_source
    from tests.conftest import DATA

    tables = read_source(spark, str(DATA))
    ds = load_dataset(DATA)
    cols = ["supplier_id", "buyer_id", "product", "status", "value", "landed", "vol"]
    on_spark = tables["links"].toPandas()[cols].fillna(-1.0).sort_values(cols).values.tolist()
    loaded = ds.links[cols].fillna(-1.0).sort_values(cols).values.tolist()
    assert on_spark == loaded
    assert sorted(tables["enterprises"].toPandas()["id"]) == sorted(ds.enterprises["id"])
    assert tables["chains"] is not None and tables["chains"].count() == len(ds.chains)


def test_analyses_on_spark_equal_the_in_memory_ones(spark: Any) -> None:
    """SOURCE read and checked on Spark, figures by the Spark engine: equal to the in-memory engine's."""
    engine = pytest.importorskip("chaingraph.spark_engine", reason="the Spark engine (issue 20) not merged")
    from chaingraph.load import load_dataset
    from chaingraph.memory_engine import MemoryBackend
    from chaingraph.results.options import Options
    from chaingraph.spark_tables import read_source
    from tests.conftest import DATA

    on_spark = engine.SparkBackend(read_source(spark, str(DATA)), session=spark)
    mem = MemoryBackend(load_dataset(DATA))
    o = Options(zone="晋城经开区")
    assert on_spark.closure(opts=o).to_dict() == mem.closure(opts=o).to_dict()
    assert on_spark.savings(opts=o).to_dict() == mem.savings(opts=o).to_dict()
    assert on_spark.gaps(opts=o).to_dict() == mem.gaps(opts=o).to_dict()


def test_analyze_on_a_standalone_master_equals_memory(tmp_path: Path) -> None:
    """`analyze --engine spark --master spark://…`: the cluster's code path, the in-memory engine's JSON."""
    from tests.conftest import DATA

    pytest.importorskip("chaingraph.spark_engine", reason="the Spark engine (issue 20) not merged")
    master = _master()
    mem = _cli("analyze", str(DATA), "--zone", "晋城经开区", "-f", "json", "--engine", "memory")
    assert mem.returncode == 0, mem.stderr
    run = _cli("analyze", str(DATA), "--zone", "晋城经开区", "-f", "json", "--engine", "spark", "--master", master,
               "--spark-memory", "512m")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout == mem.stdout
