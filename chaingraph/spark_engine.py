"""The Spark engine: the same SQL text as the DuckDB engine (:mod:`chaingraph.relational`), on Spark SQL.

:class:`SparkBackend` is given a ``SparkSession`` and the three relations
(Spark DataFrames, or a Spark-readable folder holding
``enterprises.parquet``, ``links.parquet`` and ``chains.parquet``, as the
validated copy writes them) and answers closure, savings, gaps and the
all-zones summary by running the shared ``.sql`` files with
``session.sql(text, args=...)``: the parameters are bound by Spark, never
formatted into the text.  The SQL is written in the subset DuckDB and
Spark SQL both accept; the two list-cell views (``listed``, ``industries``)
are the only Spark-specific text (``explode(split(...))``).

What is brought to the driver is small, never all links: one zone's grouped
sums and rows (its purchases per buyer and product, its outside links that a
local maker could supply, its gap products' buyers and suppliers), the
zone's local subgraph (for its local chains), the chain map, and the
product flow graph's links (distinct product pairs, computed on the
cluster: products number thousands where links number millions).  The
all-zones summary brings back per-zone and per-(zone, product) sums and
sends one small table (each zone's reference prices) back.

Analyses without SQL (leaders, routes, resilience, rank, whatif, panorama,
the report and graph) are computed in memory over one zone's slice
(:mod:`chaingraph.relational.zone_slice`): the links touching the zone and
the firms they name, the product flow graph as pairs, and for the ranked
list the links its tracer follows; the peer zones from per-zone sums.
:attr:`SparkBackend.dataset` (every link into the driver) is read only by
``validate`` on a local folder, a ``view --focus`` walk, and a sum the exact
integers cannot hold (docs/cluster.md, "What comes back to the driver").
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from chaingraph.relational import sql
from chaingraph.relational.engine import SqlBackend

if TYPE_CHECKING:
    import numpy as np
    from pyspark.sql import DataFrame, SparkSession

    from chaingraph.errors import Problem
    from chaingraph.model import Dataset, FileSummary

__all__ = ["SparkBackend"]

#: The list-cell views in Spark SQL (``split`` takes a regular expression; ``;`` is a plain one).
VIEWS = {
    "listed": "SELECT DISTINCT id, product FROM (SELECT id, explode(split(products, ';')) AS product "
              "FROM enterprises WHERE products IS NOT NULL AND products <> '') t",
    "industries": "SELECT id, chain FROM (SELECT id, explode(split(industry, ';')) AS chain "
                  "FROM enterprises WHERE industry IS NOT NULL AND industry <> '') t",
}  # fmt: skip

LINK_COLUMNS = ["supplier_id", "buyer_id", "product", "status", "value", "landed", "vol"]
FIRM_COLUMNS = ["id", "name", "zone", "city", "province", "industry", "products", "output_value", "employees"]
CHAIN_COLUMNS = ["chain", "product", "input", "segment", "line"]
_TYPES = {"value": "double", "landed": "double", "vol": "double", "line": "bigint", "output_value": "double",
          "employees": "double", "annual_value": "double", "annual_volume": "double", "unit_price": "double",
          "logistics_cost": "double", "lat": "double", "lon": "double", "chain_leader": "boolean"}  # fmt: skip


class SparkBackend(SqlBackend):
    """The :class:`~chaingraph.engine.Backend` interface on Spark SQL.

    Parameters
    ----------
    tables
        A Spark-readable folder (local, ``hdfs://``, ``s3a://`` …) with
        ``enterprises.parquet``, ``links.parquet`` and (optionally)
        ``chains.parquet`` in the column contract of :mod:`chaingraph.model`;
        or a mapping ``{"enterprises": df, "links": df, "chains": df or None}``
        of Spark DataFrames; or a loaded :class:`~chaingraph.model.Dataset`
        (its frames are sent to the session: for tests and small data).
    session
        The ``SparkSession`` to run on (local mode or a cluster's master).
    """

    kind = "spark"
    dialect = "spark"

    def __init__(self, tables: str | Path | Mapping[str, DataFrame | None] | Dataset, *,
                 session: SparkSession) -> None:  # fmt: skip
        from chaingraph.model import Dataset

        self.session = session
        self._dataset: Dataset | None = None
        self._path: str | None = None
        self._files: tuple[FileSummary, ...] | None = None
        if isinstance(tables, Dataset):
            self._dataset = tables
            frames = self._from_pandas(tables)
        elif isinstance(tables, Mapping):
            frames = dict(tables)
        else:
            self._path = str(tables).rstrip("/")
            frames = self._read(self._path)
        super().__init__(has_chains=frames.get("chains") is not None)
        self._views: list[str] = []
        self._cached: DataFrame | None = None
        self._held: dict[str, DataFrame] = {}  # the relations held on the cluster (relational.reach)
        self._setup(frames)

    def _from_pandas(self, ds: Dataset) -> dict[str, DataFrame | None]:
        def frame(df: pd.DataFrame, columns: list[str]) -> DataFrame:
            out = pd.DataFrame({c: (df[c].astype(object).where(df[c].notna(), None) if _TYPES.get(c) != "double"
                                    else pd.to_numeric(df[c]).astype("float64"))
                                if c in df.columns else None for c in columns})  # fmt: skip
            schema = ", ".join(f"{c} {_TYPES.get(c, 'string')}" for c in columns)
            return self.session.createDataFrame(out, schema=schema)

        def every(df: pd.DataFrame, columns: list[str]) -> list[str]:  # every column: a zone's slice reads them
            return [*columns, *(c for c in df.columns if c not in columns)]

        return {
            "enterprises": frame(ds.enterprises, every(ds.enterprises, FIRM_COLUMNS)),
            "links": frame(ds.links, every(ds.links, LINK_COLUMNS)),
            "chains": frame(ds.chains, CHAIN_COLUMNS) if ds.chains is not None else None,
        }

    def _read(self, path: str) -> dict[str, DataFrame | None]:
        read = self.session.read.parquet
        chains: DataFrame | None
        try:
            chains = read(f"{path}/chains.parquet")
        except Exception:  # no chains.parquet: no chain map (AnalysisException, Py4JJavaError)
            chains = None
        return {"enterprises": read(f"{path}/enterprises.parquet"), "links": read(f"{path}/links.parquet"),
                "chains": chains}  # fmt: skip

    def _setup(self, frames: Mapping[str, DataFrame | None]) -> None:
        from pyspark.sql import functions as F

        links = frames["links"]
        assert links is not None
        # file order: ids increase along the rows (the potential rows keep the links' order, as in memory); a CSV
        # source read on Spark (spark_tables.read_source) numbers its links by their line
        if "rn" not in links.columns:
            links = links.withColumn("rn", F.monotonically_increasing_id())
        if "via" not in links.columns:  # a platform's table in the SQL's columns only: no intermediaries
            links = links.withColumn("via", F.lit(""))
        links.createOrReplaceTempView("links_all")  # every column, for one zone's slice (relational.zone_slice)
        links.select(*LINK_COLUMNS, "rn").createOrReplaceTempView("links")
        firms = frames["enterprises"]
        assert firms is not None
        for c in [*FIRM_COLUMNS, "kind"]:
            if c not in firms.columns:
                firms = firms.withColumn(c, F.lit(None).cast(_TYPES.get(c, "string")))
        firms.withColumn("rn", F.monotonically_increasing_id()).createOrReplaceTempView("enterprises_all")
        firms.select(*FIRM_COLUMNS).createOrReplaceTempView("enterprises")
        chains = frames.get("chains")
        if chains is None:
            chains = self.session.createDataFrame(
                [], "chain string, product string, input string, segment string, line bigint"
            )
        chains.select(*CHAIN_COLUMNS).createOrReplaceTempView("chains")
        for name, text in VIEWS.items():
            self.session.sql(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {text}")
        self._views = ["links", "links_all", "enterprises", "enterprises_all", "chains", *VIEWS]

    @property
    def dataset(self) -> Dataset:
        """The data in the driver's memory, for the analyses the SQL does not cover (read once, when first asked)."""
        if self._dataset is None:
            from chaingraph.model import Dataset

            def table(name: str) -> pd.DataFrame:
                return self.session.table(name).toPandas()

            chains = table("chains").drop(columns=[]) if self.has_chains else None
            links = table("links_all")
            links = links[[*LINK_COLUMNS, "via", *(c for c in ("line",) if c in links.columns)]]
            self._dataset = Dataset(table("enterprises"), links, chains, source=self._path or "")
        return self._dataset

    def provenance(self) -> tuple[str, tuple[FileSummary, ...], tuple[Problem, ...]]:
        if self._dataset is not None:
            return self._dataset.source, self._dataset.files, self._dataset.rejected
        if self._files is None:  # what a report says it analysed: the tables' rows, counted on the cluster
            from chaingraph.model import FileSummary

            n = self.row_counts()
            self._files = tuple(FileSummary(f"{self._path}/{k}", k, c, c, 0, 0, "utf-8")
                                for k, c in n.items() if c is not None)  # fmt: skip
        return self._path or "", self._files, ()

    def _query(self, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
        return self.session.sql(sql(name, dialect="spark"), args=dict(params)).toPandas()

    def _zone_links(self, scope: str) -> None:
        if self._cached is not None:
            self._cached.unpersist()
        zl = self.session.sql(sql("zone_links", dialect="spark"), args={"scope": scope}).cache()
        zl.createOrReplaceTempView("zl")
        self._cached = zl

    def _register(self, name: str, frame: pd.DataFrame | Mapping[str, np.ndarray]) -> None:
        """A small frame (or columns) of text and float columns as the view ``name`` (each zone's reference prices,
        a slice's ids)."""
        if isinstance(frame, Mapping):
            frame = pd.DataFrame(dict(frame))
        floats = [pd.api.types.is_float_dtype(frame[c]) for c in frame.columns]
        schema = ", ".join(f"{c} {'double' if f else 'string'}" for c, f in zip(frame.columns, floats, strict=True))
        rows = [tuple(float(v) if f else str(v) for v, f in zip(r, floats, strict=True))
                for r in frame.itertuples(index=False)]  # fmt: skip
        self.session.createDataFrame(rows, schema=schema).createOrReplaceTempView(name)

    def _hold(self, name: str, query: str, params: Mapping[str, Any]) -> int:
        """The rows of ``<query>.sql`` computed on the cluster and kept there (checkpointed) as the view ``name``."""
        frame = self.session.sql(sql(query, dialect="spark"), args=dict(params)).localCheckpoint()
        # its columns under new names (ids) of their own: a union of two checkpoints whose columns share ids
        # (reach_grow.sql: what is reached so far and the new frontier) fails in Spark's optimizer
        frame = frame.toDF(*frame.columns)
        frame.createOrReplaceTempView(name)
        self._held[name] = frame  # the checkpoint lives while it is referenced
        return int(frame.count())

    def close(self) -> None:
        self._held.clear()
        if self._cached is not None:
            self._cached.unpersist()
            self._cached = None
