"""Spark as a product: the session, invoice ingest on Spark equal to the embedded engine's, a standalone master.

Needs pyspark and Java 17/21 (local mode); the standalone test also a master, started by .ci/servers
(`chaingraph spark up`) and named by CHAINGRAPH_TEST_SPARK_MASTER. Skipped without them, except in CI
(CHAINGRAPH_REQUIRE_ALL=1), where that fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaingraph.errors import BackendError, InputError
from chaingraph.invoices import Period, ingest_invoices
from tests.conftest import require
from tests.test_invoices import BAD, BAD_TEXT, FORMULA_LINKS, FORMULAS, ROWS
from tests.test_zone_slice import routed_datasets

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
    # the sample's imports routed through 深圳通诚 (via), re-routed through 兰花保税 (citing their lines); the
    # tracer (gaps --rank) is compared on the small data below (the sample's ranked list costs a minute on Spark)
    reroute = ("兰花保税物流中心", "深圳通诚国际货运")
    assert _routed(on_spark, o.zone, reroute, rank=False) == _routed(mem, o.zone, reroute, rank=False)


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


# --- intermediaries (via) and lines on a CSV source ----------------------------------------------------------------

#: A zone 甲区 buying steel routed through a trader and a logistics firm, chips from a trader (a maker behind it).
ROUTED_ENTERPRISES = ("id,name,zone,kind,products\nA,甲厂,甲区,manufacturer,箱体\nB,乙厂,甲区,manufacturer,\n"
                      "T1,深贸,深圳市,trader,\nL1,港运,香港,logistics,\nL2,新运,深圳市,logistics,\n"
                      "M,芯源,深圳市,manufacturer,芯片\nS,钢源,太原市,manufacturer,钢\n")  # fmt: skip
#: via written as people write it: ；, spaces, a trailing separator, full-width letters, a duplicate; a blank line.
ROUTED_LINKS = ('supplier_id,buyer_id,product,annual_value,status,途经\nS,A,钢,500000,active,"T1 ； L1;"\n\n'
                "S,B,钢,200000,active,Ｌ１\nT1,A,芯片,800000,active,\u3000L1\u200b\nM,T1,芯片,900000,active,\n"
                "M,B,芯片,100000,former,L1;;L1\nA,B,箱体,300000,active,\n")  # fmt: skip


def _routed(backend: Any, zone: str, reroute: tuple[str, str] | None, *, rank: bool = True) -> dict[str, str]:
    """The CLI's JSON of routes (and a re-route, citing the moved links' lines) and of gaps --rank (its tracer)."""
    from chaingraph import registry
    from chaingraph.render.fmt import to_json
    from chaingraph.results.options import Options

    o = Options(zone=zone)
    out = {name: to_json(registry.ALL[name].render_json(registry.ALL[name].run(backend, o, params), backend))
           for name, params in (("routes", registry.RoutesParams()), ("rank", registry.RankParams()))
           if rank or name != "rank"}  # fmt: skip
    if reroute is not None:
        out["reroute"] = to_json(registry.ROUTES.run(backend, o, registry.RoutesParams(*reroute)).to_dict())
    return out


def _on_spark(spark: Any, folder: Path) -> Any:
    from chaingraph.spark_engine import SparkBackend
    from chaingraph.spark_tables import read_source

    return SparkBackend(read_source(spark, str(folder)), session=spark)


def test_via_and_line_read_on_spark_as_the_loader_reads_them(spark: Any, tmp_path: Path) -> None:
    """A CSV source on Spark: routes, the re-route's cited lines and the ranked list's tracer equal memory's."""
    from chaingraph.load import load_dataset
    from chaingraph.memory_engine import MemoryBackend

    (tmp_path / "enterprises.csv").write_text(ROUTED_ENTERPRISES, encoding="utf-8")
    (tmp_path / "links.csv").write_text(ROUTED_LINKS, encoding="utf-8")
    ds = load_dataset(tmp_path)
    assert ds.links["via"].tolist() == ["T1;L1", "L1", "L1", "", "L1;L1", ""]
    on_spark = _on_spark(spark, tmp_path)
    got, want = _routed(on_spark, "甲区", ("L2", "L1")), _routed(MemoryBackend(ds), "甲区", ("L2", "L1"))
    assert got == want
    moved = json.loads(want["reroute"])["rerouted_links"]
    assert [(m["supplier_id"], m["line"]) for m in moved] == [("T1", 5), ("S", 2), ("S", 4)]
    chips = next(r for r in json.loads(want["rank"])["ranked"] if r["product"] == "芯片")
    assert [t["id"] for t in chips["targets"]] == ["M"]  # the maker behind the trader, found by the tracer
    links = on_spark.session.table("links_all").orderBy("rn").toPandas()
    assert links[["via", "line"]].values.tolist() == ds.links[["via", "line"]].values.tolist()


def test_an_unknown_intermediary_is_named_on_spark_in_the_loaders_words(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI on Spark: every problem at once (an unknown via beside the row's other problems), the loader's text."""
    from click.testing import CliRunner

    from chaingraph import spark_session
    from chaingraph.cli import main

    monkeypatch.setattr(spark_session, "stop_session", lambda s: None)  # the CLI's session is this module's
    (tmp_path / "enterprises.csv").write_text(ROUTED_ENTERPRISES, encoding="utf-8")
    (tmp_path / "links.csv").write_text(ROUTED_LINKS + "S,A,钢,-1,active,L1；Ｘ９\nS,B,钢,5,active,T1;;\nM,A,芯片,9,,Q\n",
                                        encoding="utf-8")  # fmt: skip
    args = ["routes", str(tmp_path), "--zone", "甲区", "-f", "json"]
    mem = CliRunner().invoke(main, [*args, "--engine", "memory"])
    run = CliRunner().invoke(main, [*args, "--engine", "spark", "--master", "local[2]"])
    assert (run.exit_code, mem.exit_code) == (2, 2)
    f = tmp_path / "links.csv"
    problems = [
        f"  {f}, line 9, column 'annual_value', value '-1': negative amount. Amounts are yuan >= 0; write a former "
        "supply as status 'former'.",
        f"  {f}, line 9, column '途经', value 'L1;X9': unknown intermediary id. Add the enterprise to enterprises.csv "
        "or correct the id.",
        f"  {f}, line 11, column '途经', value 'Q': unknown intermediary id. Add the enterprise to enterprises.csv or "
        "correct the id.",
    ]
    assert run.output.splitlines()[1:4] == mem.output.splitlines()[1:4] == problems
    assert run.output.splitlines()[0] == mem.output.splitlines()[0] == "Error: 3 problems in the input:"


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=routed_datasets(), spelling=st.lists(st.sampled_from([" ； ", "；", ";;", "; "]), min_size=1, max_size=4))
def test_random_routed_csv_equal_on_spark(spark: Any, rows: dict[str, Any], spelling: list[str]) -> None:
    """Random data with traders, logistics firms and intermediaries, via spelt as people write it: routes (a
    re-route of the first intermediary) and gaps --rank of a CSV source on Spark equal memory's."""
    from chaingraph.load import load_dataset
    from chaingraph.memory_engine import MemoryBackend
    from tests.test_zone_slice import write_routed

    links = [(*r[:-1], spelling[i % len(spelling)].join(r[-1].split(";")) + (" ；" if i % 3 == 0 else ""))
             for i, r in enumerate(rows["links"])]  # fmt: skip
    firms = [(f[0], f[1], f[2] or "外地", *f[3:]) for f in rows["firms"]]  # every row loads: a clean source
    with tempfile.TemporaryDirectory() as d:
        folder = write_routed({**rows, "firms": firms, "links": links}, Path(d))
        ds = load_dataset(folder)
        mem = MemoryBackend(ds)
        on_spark = _on_spark(spark, folder)
        for z in mem.zones(scope="zone")[:1]:
            first = json.loads(_routed(mem, z, None)["routes"])["intermediaries"][:1]
            reroute = (next(f[0] for f in firms if f[0] != first[0]["id"]), first[0]["id"]) if first else None
            assert _routed(on_spark, z, reroute) == _routed(mem, z, reroute)


# --- a CSV source read on Spark as the loader reads it: ids, warnings, problem order, every column ---------------

#: Zero-width and bidi characters the loader removes from ids (and warns about in names and zones).
_INVISIBLES = ["\u200b", "\u200d", "\u2060", "\ufeff", "\u202a"]


@st.composite
def _spelt(draw: Any, base: str) -> str:
    """``base`` (an id) as people write it: full-width letters and digits, U+3000 for a space, invisible characters,
    white space at the ends; the loader reads it back as ``base``."""
    out = []
    for c in base:
        if c == " ":
            out.append(draw(st.sampled_from([" ", "\u3000"])))
        elif c.isascii() and draw(st.booleans()):
            out.append(chr(ord(c) + 0xFEE0))
        else:
            out.append(c)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(_INVISIBLES)))
    ends = st.sampled_from(["", "", " ", "\u3000", "\u00a0", "\t", "\u3000\u200b"])
    return draw(ends) + "".join(out) + draw(ends)


@st.composite
def _spelt_datasets(draw: Any) -> dict[str, Any]:
    """:func:`routed_datasets` with each firm's id ``F3``, ``F 3`` or ``F\\u00a03`` (NBSP inside an id is kept: a
    different id), every occurrence spelt by :func:`_spelt`; names with invisible characters, products with spaces."""
    rows = draw(routed_datasets())
    bases = {f[0]: f[0][0] + draw(st.sampled_from(["", " ", "\u00a0"])) + f[0][1:] for f in rows["firms"]}

    def spell(i: str) -> str:
        return draw(_spelt(bases[i]))

    firms = [(spell(f[0]), f[1] + draw(st.sampled_from(["", "", "\u200b", "\u200e"])), f[2] or "外地", *f[3:])
             for f in rows["firms"]]  # fmt: skip
    links = []
    for r in rows["links"]:
        via = draw(st.sampled_from([";", "；", " ; "])).join(spell(v) for v in r[-1].split(";") if v)
        product = draw(st.sampled_from(["", " ", "\u3000"])) + r[2] + draw(st.sampled_from(["", "\u00a0", "\u200b"]))
        links.append((spell(r[0]), spell(r[1]), product, *r[3:-1], via))
    return {**rows, "firms": firms, "links": links}


@settings(max_examples=1, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_spelt_datasets())
def test_random_spelt_ids_read_on_spark_as_the_loader_reads_them(spark: Any, rows: dict[str, Any]) -> None:
    """Ids with full-width forms, U+3000 (inside too), zero-width characters, NBSP: on Spark the figures, routes,
    the ranked list and the warnings equal the loader's and the in-memory engine's."""
    from chaingraph.load import load_dataset
    from chaingraph.memory_engine import MemoryBackend
    from chaingraph.results.options import Options
    from chaingraph.spark_engine import SparkBackend
    from chaingraph.spark_tables import read_checked
    from tests.test_zone_slice import write_routed

    with tempfile.TemporaryDirectory() as d:
        folder = write_routed(rows, Path(d))
        ds = load_dataset(folder)
        mem = MemoryBackend(ds)
        tables, warnings = read_checked(spark, str(folder))
        assert [str(w) for w in warnings] == [str(w) for w in ds.warnings]
        on_spark = SparkBackend(tables, session=spark)
        for z in mem.zones(scope="zone")[:1]:
            o = Options(zone=z)
            for name in ("closure", "gaps"):
                assert getattr(on_spark, name)(opts=o).to_dict() == getattr(mem, name)(opts=o).to_dict(), name
            first = json.loads(_routed(mem, z, None)["routes"])["intermediaries"][:1]
            reroute = (next(i for i in ds.enterprises["id"] if i != first[0]["id"]), first[0]["id"]) if first else None
            assert _routed(on_spark, z, reroute, rank=False) == _routed(mem, z, reroute, rank=False)


#: Ids read otherwise (22 full-width ids: 20 named, 2 counted), U+3000 inside an id, invisible characters in a name
#: and a zone, a title row; park, coordinates and a note, which the graph page and the loader keep.
SPELT_ENTERPRISES = ("2024年企业名录\nid,name,zone,park,lat,lon,kind\n"
                     + "".join(f"{chr(0xFF25)}{''.join(chr(ord(d) + 0xFEE0) for d in str(i))},企业{i},外地,,,,\n"
                               for i in range(22))
                     + "A 1,甲\u200b厂,甲区,东片区,35.49,112.85,manufacturer\nB1,乙厂,甲区\u200e,西片区,35.5,112.9,\n"
                     "T1,深贸,深圳市,,,,trader\n")  # fmt: skip
SPELT_LINKS = ("supplier_id,buyer_id,product,annual_value,status,via,note\n"
               "E0,A\u30001,钢,500000,active,T1,合同\nＥ１,B1,钢,200000,active,,\nA 1,B1,箱体,300000,active,,备注\n"
               "E2,A 1,芯片,90000,planned,Ｔ１,\n")  # fmt: skip


def test_warnings_and_columns_on_spark_are_the_loaders(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI on Spark prints the loader's warnings, word for word, and the figures, routes and graph page (park
    clusters) equal the in-memory engine's with park, coordinates and note present."""
    from click.testing import CliRunner

    from chaingraph import spark_session
    from chaingraph.cli import main
    from chaingraph.load import load_dataset
    from chaingraph.memory_engine import MemoryBackend
    from chaingraph.validated_copy import CACHE_ENV
    from tests.test_zone_slice import views

    monkeypatch.setattr(spark_session, "stop_session", lambda s: None)  # the CLI's session is this module's
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    (data / "enterprises.csv").write_text(SPELT_ENTERPRISES, encoding="utf-8")
    (data / "links.csv").write_text(SPELT_LINKS, encoding="utf-8")
    args = ["routes", str(data), "--zone", "甲区", "-f", "json"]
    with warnings.catch_warnings():  # pyspark's own (pandas 3) would be printed with the output
        warnings.simplefilter("ignore")
        mem = CliRunner().invoke(main, [*args, "--engine", "memory"])
        run = CliRunner().invoke(main, [*args, "--engine", "spark", "--master", "local[2]"])
    assert (run.exit_code, mem.exit_code) == (0, 0), run.output
    assert run.output == mem.output
    e, f = data / "enterprises.csv", data / "links.csv"
    lines = run.output.splitlines()
    assert lines[:2] == [f"warning: {e}, line 1, value '2024年企业名录': read as a title above the header, not as data.",
                         f"warning: {e}, line 3, column 'id', value 'Ｅ０': id read as 'E0'. Full-width letters and "
                         "digits are read as ASCII, invisible characters removed."]  # fmt: skip
    assert f"warning: {e}, line 23, column 'id', value '': and 2 more ids read in the same way." in lines
    assert (
        f"warning: {e}, line 25, column 'name', value '\\\\u7532\\\\u200b\\\\u5382': invisible control characters "
        "removed (U+200B). They can reorder or hide what a name shows (bidi controls, zero-width spaces)."
    ) in lines
    assert f"warning: {f}, line 2, column 'buyer_id', value 'A\\u30001': id read as 'A 1'. Full-width letters and " \
        "digits are read as ASCII, invisible characters removed." in lines  # fmt: skip
    ds = load_dataset(data)
    on_spark = _on_spark(spark, data)
    assert views(on_spark, ["甲区"], []) == views(MemoryBackend(ds), ["甲区"], [])
    assert "东片区" in views(on_spark, ["甲区"], [])["甲区 None"]


def test_problems_on_spark_in_the_loaders_order(spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A row with an empty product and an unknown supplier, a firm "supplying itself" that no enterprise is: the
    loader's problems in its order, the same text on both engines."""
    from click.testing import CliRunner

    from chaingraph import spark_session
    from chaingraph.cli import main

    monkeypatch.setattr(spark_session, "stop_session", lambda s: None)
    (tmp_path / "enterprises.csv").write_text("id,name,zone\nA,甲,Z\nB,乙,Z\n", encoding="utf-8")
    (tmp_path / "links.csv").write_text("supplier_id,buyer_id,product,annual_value\nX,A,,5\nQ,Q,钢,1\nA,B,钢,2\n",
                                        encoding="utf-8")  # fmt: skip
    args = ["closure", str(tmp_path), "--zone", "Z"]
    mem = CliRunner().invoke(main, [*args, "--engine", "memory"])
    run = CliRunner().invoke(main, [*args, "--engine", "spark", "--master", "local[2]"])
    f = tmp_path / "links.csv"
    unknown = "unknown enterprise id. Add the enterprise to enterprises.csv or correct the id."
    # the last line differs on purpose: --skip-bad is not offered on Spark
    assert run.output.splitlines()[:-1] == mem.output.splitlines()[:-1] == [
        "Error: 5 problems in the input:",
        f"  {f}, line 2, column 'product', value '': a required value is empty. Fill in 'product' or delete the row.",
        f"  {f}, line 2, column 'supplier_id', value 'X': {unknown}",
        f"  {f}, line 3, column 'supplier_id', value 'Q': {unknown}",
        f"  {f}, line 3, column 'buyer_id', value 'Q': {unknown}",
        f"  {f}, line 3, column 'buyer_id', value 'Q': an enterprise cannot supply itself. Correct supplier_id or "
        "buyer_id.",
    ]  # fmt: skip
    assert run.output.splitlines()[-1] == "Fix the problems above."
