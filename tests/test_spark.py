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
