"""The shared SQL on Spark (local mode): the same figures as the in-memory engine on the sample and random data.

Needs pyspark (``pip install '.[spark]'``) and Java 17; skipped without
pyspark, except in CI (CHAINGRAPH_REQUIRE_ALL=1), where that fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from chaingraph.load import load_dataset
from chaingraph.memory_engine import MemoryBackend
from chaingraph.results.options import Options
from tests.conftest import DATA, require
from tests.relational_data import datasets, figures, load

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        require("pyspark", "pyspark is not installed: pip install '.[spark]'")
    session = (
        SparkSession.builder.master("local[2]").appName("chaingraph-tests")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2").config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )  # fmt: skip
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_sample_data_equal_on_spark(spark: Any) -> None:
    from chaingraph.spark_engine import SparkBackend

    ds = load_dataset(DATA)
    kw: dict[str, Any] = {"scopes": ("zone",), "planned": (False,), "zones": None}
    mem = MemoryBackend(ds)
    on_spark = SparkBackend(ds, session=spark)
    for z in ("晋城经开区", "高平经开区"):
        o = Options(zone=z)
        assert on_spark.closure(opts=o).to_dict() == mem.closure(opts=o).to_dict()
        assert on_spark.savings(opts=o).to_dict() == mem.savings(opts=o).to_dict()
        assert on_spark.gaps(opts=o).to_dict() == mem.gaps(opts=o).to_dict()
    summary = Options(zone="", include_planned=True)
    assert on_spark.zones_summary(opts=summary).equals(mem.zones_summary(opts=summary))
    del kw


def test_parquet_folder_on_spark(spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SOURCE as a Spark-readable folder of Parquet tables (the validated copy's files)."""
    from chaingraph.spark_engine import SparkBackend
    from chaingraph.validated_copy import CACHE_ENV, validated_copy

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    copy = validated_copy(DATA)
    on_spark = SparkBackend(copy.folder, session=spark)
    o = Options(zone="晋城经开区")
    assert on_spark.gaps(opts=o).to_dict() == MemoryBackend(load_dataset(DATA)).gaps(opts=o).to_dict()


@settings(max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=datasets())
def test_random_data_equal_on_spark(spark: Any, rows: dict[str, Any]) -> None:
    from chaingraph.spark_engine import SparkBackend

    ds = load(rows)
    kw: dict[str, Any] = {"scopes": ("zone",), "planned": (True,), "zones": 2}
    assert figures(SparkBackend(ds, session=spark), **kw) == figures(MemoryBackend(ds), **kw)


def test_sliced_analyses_equal_on_spark(spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """leaders, routes, resilience, the ranked list, the panorama, peers, the graph page and what-if on Spark read
    one zone's slice: the in-memory JSON byte for byte, while SparkBackend.dataset (every link to the driver) raises."""
    from chaingraph import registry
    from chaingraph.render.fmt import to_json
    from chaingraph.spark_engine import SparkBackend
    from chaingraph.validated_copy import CACHE_ENV, validated_copy
    from tests.test_zone_slice import _scenario, sliced_figures, views

    def refuse(self: Any) -> Any:
        raise AssertionError("SparkBackend.dataset: every link to the driver")

    ds = load_dataset(DATA)
    mem = MemoryBackend(ds)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    on_spark = SparkBackend(validated_copy(DATA).folder, session=spark)  # Parquet with every column, as a platform
    monkeypatch.setattr(SparkBackend, "dataset", property(refuse))
    zones, reroute = ["晋城经开区"], ("兰花保税物流中心", "深圳通诚国际货运")
    assert sliced_figures(on_spark, zones, reroute=reroute) == sliced_figures(mem, zones, reroute=reroute)
    assert views(on_spark, zones, ["晋钢"]) == views(mem, zones, ["晋钢"])  # the graph page, and a --focus walk
    o = Options(zone="晋城经开区")
    params = _scenario(tmp_path, ds, o.zone, product="功率模块", buys=("SZ-MCU", "钢坯"))
    got = registry.WHATIF.run(on_spark, o, params)
    assert to_json(registry.WHATIF.render_json(got, on_spark)) == to_json(
        registry.WHATIF.render_json(registry.WHATIF.run(mem, o, params), mem)
    )
