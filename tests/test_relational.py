"""The shared SQL on DuckDB: every figure equal to the in-memory engine's, to the last bit.

Byte-identical JSON on data/ and on ``chaingraph synth`` data (with and
without a chain map), a property test over random small datasets, the exact
sums on amounts where a plain float sum rounds to another fen, and the
refusal of a sum that the chunked integers could not hold exactly.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaingraph.duckdb_engine import DuckDBBackend
from chaingraph.engine import analyze
from chaingraph.load import load_dataset
from chaingraph.memory_engine import MemoryBackend
from chaingraph.relational import CHUNKS, InexactSum, exact_values, sql
from chaingraph.results.analysis import Analysis
from chaingraph.results.options import Options
from chaingraph.synth import SynthSpec, write_synth
from tests.conftest import DATA, MakeData
from tests.relational_data import datasets, figures, load


def _equal(ds: object, **kw: object) -> None:
    mem, duck = figures(MemoryBackend(ds), **kw), figures(DuckDBBackend(ds), **kw)  # type: ignore[arg-type]
    assert mem.keys() == duck.keys()
    for k in mem:
        assert duck[k] == mem[k], k


def test_sample_data_every_figure_equal() -> None:
    """Every zone of data/; cities and provinces, with planned links too, on a few."""
    ds = load_dataset(DATA)
    _equal(ds, scopes=("zone",), planned=(False,))
    _equal(ds, scopes=("city", "province"), planned=(True,), zones=3)


@pytest.mark.parametrize("chains", [True, False])
def test_synth_data_every_figure_equal(tmp_path: Path, chains: bool) -> None:
    write_synth(SynthSpec(links=3000, zones=3, seed=7, chains=chains), tmp_path)
    _equal(load_dataset(tmp_path), zones=4, planned=(False,))


@settings(max_examples=15)
@given(datasets())
def test_random_data_every_figure_equal(rows: dict[str, object]) -> None:
    _equal(load(rows), scopes=("zone",))


def test_the_validated_copy_gives_the_same_figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default engine reads the Parquet copy in place (no frames in Python): the same figures."""
    from chaingraph.validated_copy import CACHE_ENV, validated_copy

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    duck = DuckDBBackend(validated_copy(DATA))
    assert duck._dataset is None  # nothing read into pandas
    kw = {"planned": (False,), "scopes": ("zone",), "zones": 4}
    assert figures(duck, **kw) == figures(MemoryBackend(load_dataset(DATA)), **kw)
    assert duck._dataset is None


def test_exact_sums_where_a_plain_float_sum_rounds_to_another_fen(make_data: MakeData) -> None:
    """0.967 + 47337.04 + 9371.268 is 56709.275 exactly; added one by one in floats it is 56709.274999999994."""
    values = [0.967, 47337.04, 9371.268]
    plain = 0.0
    for v in values:
        plain += v
    assert round(plain, 2) == 56709.27 and round(math.fsum(values), 2) == 56709.28  # the trap is real
    folder = make_data(
        [("A", "甲", "Z", ""), ("X", "乙", "外地", "钢")],
        [("X", "A", "钢", v, None, None, None, "active") for v in values],
    )
    ds = load_dataset(folder)
    for backend in (MemoryBackend(ds), DuckDBBackend(ds)):
        o = Options(zone="Z")
        c, g = backend.closure(opts=o), backend.gaps(opts=o)
        assert (c.total_value, c.local_value, c.local_sourcing_ratio) == (56709.28, 0.0, 0.0)
        assert [(r.product, r.kind, r.external_demand, r.suppliers[0]["value"]) for r in g.gaps] == [
            ("钢", "missing", 56709.28, 56709.28)
        ]
        assert backend.zones_summary(opts=o).set_index("zone").loc["Z", "total_value"] == 56709.28


def test_exact_values_decodes_the_chunks() -> None:
    """Chunk k holds bits [b_k, b_k + 32) of each term; the decoded sum is rounded once."""
    frame = pd.DataFrame({f"v__{k}": [0, 0] for k in range(len(CHUNKS))} | {"v__bad": [0, 0]})
    frame.loc[0, "v__2"] = 7  # 7 × 2^0
    frame.loc[0, "v__3"] = 2**30  # 2^30 × 2^-32 = 0.25
    frame.loc[1, "v__1"] = 1  # 2^32
    assert exact_values(frame, "v").tolist() == [7.25, 4294967296.0]
    frame.loc[1, "v__bad"] = 1
    with pytest.raises(InexactSum):
        exact_values(frame, "v")


def test_a_term_outside_the_exact_range_is_refused() -> None:
    """A term with bits below 2^-96 is counted as inexact by the SQL itself, never summed silently."""
    import duckdb

    from chaingraph.relational import _expand

    con = duckdb.connect()
    con.execute("CREATE TABLE zl AS SELECT * FROM (VALUES ('Z', 1e-30), ('Z', 2.0), ('Y', 2.0)) t(b_zone, value)")
    text = _expand("SELECT b_zone, EXACT_SUM(value) AS total FROM zl GROUP BY b_zone ORDER BY b_zone")
    rows = con.execute(text).df()
    assert rows["total__bad"].tolist() == [0, 1]
    assert exact_values(rows.iloc[[0]], "total").tolist() == [2.0]
    with pytest.raises(InexactSum):
        exact_values(rows, "total")


def test_an_inexact_sum_falls_back_to_memory(make_data: MakeData) -> None:
    """With an amount of 10^-30 元 the DuckDB engine computes that analysis in memory: still the same figures."""
    folder = make_data(
        [("A", "甲", "Z", ""), ("B", "乙", "Z", "钢"), ("X", "丙", "外地", "钢")],
        [("B", "A", "钢", 1e-30, None, None, None, "active"), ("X", "A", "钢", 5.0, None, None, None, "active")],
    )
    ds = load_dataset(folder)
    assert figures(DuckDBBackend(ds)) == figures(MemoryBackend(ds))


def test_an_inexact_all_zones_sum_on_a_cluster_engine_refuses_rather_than_collects(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an amount of 10^-30 元 a cluster engine (not :attr:`~SqlBackend.embedded`: Spark) says so and never
    brings every link to the driver for the all-zones summary; the embedded engine sums it in memory."""
    from chaingraph.errors import BackendError
    from chaingraph.relational.engine import SqlBackend
    from chaingraph.spark_engine import SparkBackend

    assert SparkBackend.embedded is False and DuckDBBackend.embedded is True
    folder = make_data(
        [("A", "甲", "Z", ""), ("B", "乙", "Z", "钢"), ("X", "丙", "外地", "钢")],
        [("B", "A", "钢", 1e-30, None, None, None, "active"), ("X", "A", "钢", 5.0, None, None, None, "active")],
    )
    ds = load_dataset(folder)
    opts = Options(zone="Z")
    assert DuckDBBackend(ds).zones_summary(opts=opts).equals(MemoryBackend(ds).zones_summary(opts=opts))
    cluster = DuckDBBackend(ds)
    monkeypatch.setattr(cluster, "embedded", False)

    def whole(self: object) -> None:
        raise AssertionError("every link brought to the driver")

    monkeypatch.setattr(SqlBackend, "dataset", property(whole))
    monkeypatch.setattr(DuckDBBackend, "dataset", property(whole))
    with pytest.raises(BackendError) as e:
        cluster.zones_summary(opts=opts)
    assert str(e.value) == (
        "the all-zones summary cannot be summed exactly on the duckdb engine: a term of total lies outside "
        "[2^-96, 2^96) or is negative (amounts from about 10^-14 to 10^28 元 sum exactly). Check the links' values "
        "and volumes, or run it on the embedded engine (engine duckdb, the default), which sums them in memory."
    )


def test_engine_option_same_output_and_duckdb_the_default(tmp_path: Path) -> None:
    """``--engine memory|duckdb`` on every analysis command; without it DuckDB answers; the output is the same."""
    from click.testing import CliRunner

    from chaingraph import cli

    runner = CliRunner()
    outs = {}
    for engine in ("duckdb", "memory", None):
        args = ["gaps", str(DATA), "-z", "晋城经开区", "-f", "json", *(["--engine", engine] if engine else [])]
        r = runner.invoke(cli.main, args)
        assert r.exit_code == 0, r.output
        outs[engine] = r.stdout
    assert outs["duckdb"] == outs["memory"] == outs[None]
    r = runner.invoke(cli.main, ["closure", str(DATA), "-z", "晋城经开区", "--engine", "polars"])
    assert r.exit_code == 2
    assert "Invalid value for '--engine': 'polars' is not one of 'duckdb', 'memory', 'spark'." in r.output
    seen: list[str] = []
    real = cli._open

    def spy(src: cli.SourceArgs, **kw: object) -> object:
        backend = real(src, **kw)  # type: ignore[arg-type]
        seen.append(backend.kind)
        return backend

    import unittest.mock

    with unittest.mock.patch.object(cli, "_open", spy):
        assert runner.invoke(cli.main, ["savings", str(DATA), "-z", "晋城经开区", "-f", "json"]).exit_code == 0
        assert runner.invoke(cli.main, ["savings", str(DATA), "-z", "晋城经开区", "--engine", "memory"]).exit_code == 0
    assert seen == ["duckdb", "memory"]


def test_unknown_zone_same_error_on_duckdb() -> None:
    from click.testing import CliRunner

    from chaingraph import cli

    runner = CliRunner()
    a = runner.invoke(cli.main, ["gaps", str(DATA), "-z", "晋城", "--engine", "duckdb"])
    b = runner.invoke(cli.main, ["gaps", str(DATA), "-z", "晋城", "--engine", "memory"])
    assert a.exit_code == b.exit_code == 2
    assert a.output == b.output and "晋城经开区" in a.output


def test_sql_parameters_are_bound_not_formatted() -> None:
    """Every value is a parameter marker: no zone name, rate or status list is ever written into the text."""
    duck, spark = sql("potential", dialect="duckdb"), sql("potential", dialect="spark")
    assert "$zone" in duck and "$planned" in duck and ":zone" not in duck
    assert ":zone" in spark and "$zone" not in spark
    assert "晋城" not in duck


EDGES = [0.0, 2.0**-96, 3 * 2.0**-97, 2.0**96, 2.0**96 - 2.0**43, 2.0**64 + 2.0**12, 4294967295.75, 4294967296.0,
         0.1, 12345.67, 1e-30, 5e-29]  # fmt: skip
TERMS = st.one_of(
    st.floats(min_value=0.0, max_value=2.0**100, allow_nan=False, allow_infinity=False),
    st.sampled_from(EDGES),
    st.builds(lambda m, e: m * 2.0**e, st.integers(1, 2**53), st.integers(-160, 60)),
)


def _sums(frame: pd.DataFrame, name: str) -> list[int | None]:
    """Each row's exact sum ``name`` as the whole number of 2^-96 its chunks hold, or ``None`` where it is refused
    (the two forms lay a sum out in chunk columns differently; what they hold is the same)."""
    from chaingraph.relational import _LOW

    held: list[int | None] = []
    for _, row in frame.iterrows():
        chunks = [row[f"{name}__{k}"] for k in range(len(CHUNKS))]
        whole = sum((0 if pd.isna(c) else int(c)) << (b - _LOW) for c, b in zip(chunks, CHUNKS, strict=True))
        held.append(None if row[f"{name}__bad"] > 0 else whole)
    return held


@given(st.lists(TERMS, min_size=1, max_size=40))
def test_both_chunk_forms_give_the_same_integers(values: list[float]) -> None:
    """DuckDB's form (two HUGEINT sums) holds the same exact sums and refuses the same terms as the ``%`` chunk
    form Spark runs, so it equals math.fsum wherever the sum is exact."""
    import duckdb

    from chaingraph.relational import _expand

    con = duckdb.connect()
    con.register("t", pd.DataFrame({"g": [i % 3 for i in range(len(values))], "value": values}))
    text = "SELECT g, EXACT_SUM(value) AS s FROM t GROUP BY g ORDER BY g"
    fast, portable = con.execute(_expand(text, dialect="duckdb")).df(), con.execute(_expand(text, dialect="spark")).df()
    assert "%" not in _expand(text, dialect="duckdb") and "%" in _expand(text, dialect="spark")
    assert _sums(fast, "s") == _sums(portable, "s")
    for g, row in fast.iterrows():
        terms = [v for i, v in enumerate(values) if i % 3 == row["g"]]
        if row["s__bad"] == 0:
            assert exact_values(fast.iloc[[g]], "s").tolist() == [math.fsum(terms)]
        else:
            assert any(v >= 2.0**96 or v * 2.0**96 != math.floor(v * 2.0**96) for v in terms)


def test_random_chunk_sums_equal_fsum() -> None:
    """The chunked integer sums equal math.fsum on random amounts of every magnitude (10^-6 to 10^15 元)."""
    import duckdb

    rng = np.random.default_rng(3)
    groups = rng.integers(0, 50, 20_000)
    magnitudes, places = 10.0 ** rng.uniform(-6, 15, 20_000), rng.integers(0, 7, 20_000)
    values = np.array([round(float(v), int(d)) for v, d in zip(magnitudes, places, strict=True)])
    con = duckdb.connect()
    frame = pd.DataFrame({"g": groups, "value": values})
    con.register("t", frame)
    from chaingraph.relational import _expand

    rows = con.execute(_expand("SELECT g, EXACT_SUM(value) AS s FROM t GROUP BY g ORDER BY g")).df()
    expected = [math.fsum(values[groups == g].tolist()) for g in rows["g"]]
    assert exact_values(rows, "s").tolist() == expected


def test_duckdb_exact_sum_form_gives_the_portable_forms_integers() -> None:
    """DuckDB's EXACT_SUM (two HUGEINT sums, no floating remainder) holds the exact sums and refuses the terms of
    the chunk form Spark runs, on terms of every binary magnitude (2^-125 to 2^110: in range and out of it,
    negative ones too), cents, products of two columns and NULLs: so the same figures and the same refusal
    (InexactSum)."""
    import duckdb

    from chaingraph.relational import _exact_sum

    rng = np.random.default_rng(11)
    n = 60_000
    v = np.ldexp(rng.random(n) + 1.0, rng.integers(-125, 110, n))
    cents = rng.random(n) < 0.3
    v[cents] = np.round(rng.random(int(cents.sum())) * 1e7, 2)
    v[rng.random(n) < 0.01] *= -1
    w = rng.random(n) * 1000
    w[rng.random(n) < 0.05] = np.nan  # NULL once registered
    con = duckdb.connect()
    frame = pd.DataFrame({"g": rng.integers(0, 20_000, n), "v": v, "w": pd.array(w, dtype="Float64")})
    frame.loc[frame["w"].isna(), "w"] = pd.NA
    con.register("t", frame)
    for expr in ("v", "v * w", "w"):
        portable, duck = (con.execute(f"SELECT g, {_exact_sum(expr, 's', dialect=d)} FROM t GROUP BY g ORDER BY g").df()
                          for d in ("spark", "duckdb"))  # fmt: skip
        assert ((portable["s__bad"] > 0) == (duck["s__bad"] > 0)).all()
        good = portable["s__bad"] == 0
        assert good.sum() > 1000 and (portable["s__bad"] > 0).sum() > (100 if expr != "w" else -1)
        assert _sums(portable[good], "s") == _sums(duck[good], "s")
        assert exact_values(duck[good], "s").tolist() == exact_values(portable[good], "s").tolist()
    assert "%" not in sql("potential_ref", dialect="duckdb") and "%" in sql("potential_ref", dialect="spark")


# -- analyze on DuckDB: closure and gaps on two forks while savings runs (chaingraph.engine.analyze) --------------
def _in_turn(backend: object, opts: Options) -> dict[str, object]:
    b: Any = backend
    return Analysis(b.closure(opts=opts), b.savings(opts=opts), b.gaps(opts=opts)).to_dict()


@pytest.mark.parametrize("source", ["copy", "frames"])
def test_analyze_on_forks_gives_what_asking_in_turn_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    from chaingraph.validated_copy import CACHE_ENV, validated_copy

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    write_synth(SynthSpec(links=3000, zones=3, seed=7), tmp_path / "d")
    ds = load_dataset(tmp_path / "d")
    mem = MemoryBackend(ds)
    duck = DuckDBBackend(validated_copy(tmp_path / "d") if source == "copy" else ds)
    asked: list[str] = []
    fetch = DuckDBBackend._fetch
    monkeypatch.setattr(
        DuckDBBackend, "_fetch", lambda self, name, params: asked.append(name) or fetch(self, name, params)
    )
    first: tuple[object, ...] = ()
    for scope in ("zone", "city"):
        for z in mem.zones(scope=scope):
            opts = Options(zone=z, scope=scope)
            asked.clear()
            assert analyze(duck, opts=opts).to_dict() == _in_turn(mem, opts), (scope, z)
            assert asked.count("makers") == 1  # all three read the zone's makers: computed once for the forks
            first = first or duck.forks(2)
            assert duck.forks(2) == first  # the forks are kept from zone to zone
    cons = [f.con for f in first]  # type: ignore[attr-defined]
    duck.close()
    for con in cons:
        with pytest.raises(duckdb.ConnectionException):
            con.execute("SELECT 1")


def test_analyze_on_forks_raises_what_asking_in_turn_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    from chaingraph.errors import UnknownZoneError

    duck, mem = DuckDBBackend(load_dataset(DATA)), MemoryBackend(load_dataset(DATA))
    with pytest.raises(UnknownZoneError) as asked:
        mem.closure(opts=Options(zone="晋城"))
    for backend in (duck, mem):
        with pytest.raises(UnknownZoneError) as e:
            analyze(backend, opts=Options(zone="晋城"))
        assert str(e.value) == str(asked.value)

    def fails(what: str) -> Any:
        def run(self: DuckDBBackend, *, opts: Options) -> None:
            raise ValueError(what)

        return run

    opts = Options(zone="晋城经开区")
    monkeypatch.setattr(DuckDBBackend, "gaps", fails("gaps"))
    with pytest.raises(ValueError, match=r"^gaps$"):
        analyze(duck, opts=opts)
    monkeypatch.setattr(DuckDBBackend, "savings", fails("savings"))
    with pytest.raises(ValueError, match=r"^savings$"):  # savings is asked before gaps
        analyze(duck, opts=opts)
    monkeypatch.setattr(DuckDBBackend, "closure", fails("closure"))
    with pytest.raises(ValueError, match=r"^closure$"):  # and closure first
        analyze(duck, opts=opts)


def test_ctrl_c_during_analyze_stops_the_forks_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    duck = DuckDBBackend(load_dataset(DATA))
    stopped: list[bool] = []
    interrupt = DuckDBBackend.interrupt
    monkeypatch.setattr(DuckDBBackend, "interrupt", lambda self: stopped.append(True) or interrupt(self))

    def ctrl_c(self: DuckDBBackend, *, opts: Options) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(DuckDBBackend, "savings", ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        analyze(duck, opts=Options(zone="晋城经开区"))
    assert stopped == [True]
    duck.close()
