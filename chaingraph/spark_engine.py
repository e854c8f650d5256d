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

Analyses without SQL (leaders, routes, rank, whatif, panorama) are computed
in memory over :attr:`SparkBackend.dataset`, which reads the whole data
into the driver: fine on one machine, not what a cluster is for.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from chaingraph.relational import sql
from chaingraph.relational.engine import SqlBackend

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from chaingraph.model import Dataset

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
          "employees": "double"}  # fmt: skip


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
        self._setup(frames)

    def _from_pandas(self, ds: Dataset) -> dict[str, DataFrame | None]:
        def frame(df: pd.DataFrame, columns: list[str]) -> DataFrame:
            out = pd.DataFrame({c: (df[c].astype(object).where(df[c].notna(), None) if _TYPES.get(c) != "double"
                                    else pd.to_numeric(df[c]).astype("float64"))
                                if c in df.columns else None for c in columns})  # fmt: skip
            schema = ", ".join(f"{c} {_TYPES.get(c, 'string')}" for c in columns)
            return self.session.createDataFrame(out, schema=schema)

        return {
            "enterprises": frame(ds.enterprises, FIRM_COLUMNS),
            "links": frame(ds.links, LINK_COLUMNS),
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
        # file order: ids increase along the rows (the potential rows keep the links' order, as in memory)
        links.select(*LINK_COLUMNS).withColumn("rn", F.monotonically_increasing_id()).createOrReplaceTempView("links")
        firms = frames["enterprises"]
        assert firms is not None
        for c in FIRM_COLUMNS:
            if c not in firms.columns:
                firms = firms.withColumn(c, F.lit(None).cast(_TYPES.get(c, "string")))
        firms.select(*FIRM_COLUMNS).createOrReplaceTempView("enterprises")
        chains = frames.get("chains")
        if chains is None:
            chains = self.session.createDataFrame(
                [], "chain string, product string, input string, segment string, line bigint"
            )
        chains.select(*CHAIN_COLUMNS).createOrReplaceTempView("chains")
        for name, text in VIEWS.items():
            self.session.sql(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {text}")
        self._views = ["links", "enterprises", "chains", *VIEWS]

    @property
    def dataset(self) -> Dataset:
        """The data in the driver's memory, for the analyses the SQL does not cover (read once, when first asked)."""
        if self._dataset is None:
            from chaingraph.model import Dataset

            def table(name: str) -> pd.DataFrame:
                return self.session.table(name).toPandas()

            chains = table("chains").drop(columns=[]) if self.has_chains else None
            links = table("links").drop(columns=["rn"])
            links["via"] = ""
            self._dataset = Dataset(table("enterprises"), links, chains, source=self._path or "")
        return self._dataset

    def _query(self, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
        return self.session.sql(sql(name, dialect="spark"), args=dict(params)).toPandas()

    def _zone_links(self, scope: str) -> None:
        if self._cached is not None:
            self._cached.unpersist()
        zl = self.session.sql(sql("zone_links", dialect="spark"), args={"scope": scope}).cache()
        zl.createOrReplaceTempView("zl")
        self._cached = zl

    def _register(self, name: str, frame: pd.DataFrame) -> None:
        schema = "zone string, product string, reference double"
        rows = [
            (str(z), str(p), float(r)) for z, p, r in frame[["zone", "product", "reference"]].itertuples(index=False)
        ]
        self.session.createDataFrame(rows, schema=schema).createOrReplaceTempView(name)

    def close(self) -> None:
        if self._cached is not None:
            self._cached.unpersist()
            self._cached = None
