"""Write a :class:`~chaingraph.model.Dataset` into Neo4j: idempotent and resumable.

Constraints first, then batched ``UNWIND … MERGE`` statements from
``queries/load/*.cypher``, each batch its own transaction.  Every link has a
stable ``key`` (its supplier, buyer, product, status and its rank among
identical rows), so loading twice, or again after an interrupted load,
writes each relationship once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chaingraph.errors import BackendError
from chaingraph.listcells import split_list
from chaingraph.model import Dataset
from chaingraph.neo4j.downstream import write_downstream
from chaingraph.neo4j.queries import query, statements

__all__ = ["BATCH", "LoadResult", "counts", "link_keys", "load"]

BATCH = 10_000
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class LoadResult:
    """Counts in the database after the load."""

    nodes: dict[str, int]
    relationships: dict[str, int]


def link_keys(links: pd.DataFrame) -> pd.Series:
    """A stable key per link row: the same rows give the same keys, in any order.

    >>> df = pd.DataFrame({"supplier_id": ["a", "a"], "buyer_id": ["b", "b"], "product": ["p", "p"],
    ...                    "status": ["active", "active"]})
    >>> link_keys(df).str.len().tolist(), link_keys(df).nunique()
    ([20, 20], 2)
    """
    base = links["supplier_id"] + "\x1f" + links["buyer_id"] + "\x1f" + links["product"] + "\x1f" + links["status"]
    rank = base.groupby(base).cumcount().astype(str)
    sha1 = hashlib.sha1
    keys = [sha1(s.encode("utf-8")).hexdigest()[:20] for s in (base + "\x1f" + rank).tolist()]
    return pd.Series(keys, index=links.index, dtype="str")


def _column(values: pd.Series) -> list[Any]:
    """A column as Python values, NaN as None (Neo4j stores no NaN)."""
    if values.dtype.kind == "f":
        arr = values.to_numpy(dtype="float64")
        out = arr.astype(object)
        out[np.isnan(arr)] = None
        return out.tolist()
    if values.dtype.kind in "iub":
        return values.to_numpy().tolist()
    return values.tolist()


def _batches(frame: pd.DataFrame, size: int) -> Iterator[list[dict[str, Any]]]:
    cols = [str(c) for c in frame.columns]
    for start in range(0, len(frame), size):
        part = frame.iloc[start : start + size]
        values = [_column(part[c]) for c in frame.columns]
        yield [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)]


def _stored_list(values: pd.Series) -> pd.Series:
    """``;``-separated cells as list properties; an empty cell stores none (as the bulk import does).

    >>> _stored_list(pd.Series(["钢; 铁", ""])).tolist()
    [['钢', '铁'], None]
    """
    return split_list(values).map(lambda xs: xs or None).astype(object)


def _reason(err: Exception) -> str:
    message = getattr(err, "message", None)
    return str(message or err or type(err).__name__).splitlines()[0]


def load(
    ds: Dataset,
    driver: Any,
    *,
    database: str | None = None,
    replace: bool = False,
    batch: int = BATCH,
    progress: Progress = lambda _s, _d, _t: None,
) -> LoadResult:
    """Load ``ds`` into the database behind ``driver``.

    Raises :class:`BackendError` naming the failed step and its rows (by line
    number in the CSV files); batches before it stay written, and loading
    again resumes where it stopped.
    """
    from neo4j.exceptions import DriverError, Neo4jError

    def run(name: str, **params: Any) -> None:
        driver.execute_query(query(name), params, database_=database)

    def run_auto(name: str) -> None:
        """Statements with CALL … IN TRANSACTIONS need auto-commit sessions."""
        try:
            with driver.session(database=database) as session:
                for stmt in statements(name):
                    session.run(stmt).consume()
        except (Neo4jError, DriverError) as err:
            raise BackendError(f"Neo4j failed on queries/{name}.cypher: {_reason(err)}. Run the load again.") from None

    for stmt in statements("load/constraints"):
        driver.execute_query(stmt, database_=database)
    if replace:
        progress("clearing", 0, 1)
        run_auto("load/clear")
        progress("clearing", 1, 1)

    ent = ds.enterprises.assign(
        industry=_stored_list(ds.enterprises["industry"]), products=_stored_list(ds.enterprises["products"])
    )
    makes = ds.listed_products
    links = ds.links.assign(key=link_keys(ds.links), via=_stored_list(ds.links["via"]))
    links = links[["key", "supplier_id", "buyer_id", "product", "value", "annual_volume", "unit_price",
                   "logistics_cost", "landed", "vol", "status", "via", "note", "line"]]  # fmt: skip
    products = pd.DataFrame({"name": sorted(set(ds.links["product"]) | set(makes["product"]))})
    steps: list[tuple[str, str, pd.DataFrame]] = [
        ("enterprises", "load/enterprises", ent),
        ("products", "load/products", products),
        ("products made", "load/makes", makes),
        ("links", "load/links", links),
    ]
    if ds.chains is not None:
        steps.append(("chain map", "load/chains", ds.chains))
    for label, name, frame in steps:
        done = 0
        progress(label, 0, len(frame))
        for rows in _batches(frame, batch):
            try:
                run(name, rows=rows)
            except (Neo4jError, DriverError) as err:
                lines = [int(r["line"]) for r in rows if r.get("line") is not None]
                where = f" (CSV lines {min(lines)}–{max(lines)})" if lines else ""
                raise BackendError(
                    f"loading {label} failed at rows {done + 1}–{done + len(rows)}{where}: {_reason(err)}. "
                    f"{done} {label} were written; run the load again to resume."
                ) from None
            done += len(rows)
            progress(label, done, len(frame))
    progress("product flows", 0, 1)
    run_auto("load/flows")
    progress("product flows", 1, 1)
    progress("downstream", 0, 1)
    try:  # every product's downstream lists, for gaps.cypher (chaingraph/neo4j/downstream.py)
        write_downstream(driver, database=database)
    except (Neo4jError, DriverError) as err:
        raise BackendError(f"Neo4j failed writing the downstream lists: {_reason(err)}. Run the load again.") from None
    progress("downstream", 1, 1)
    return counts(driver, database=database)


def counts(driver: Any, *, database: str | None = None) -> LoadResult:
    """Nodes per label and relationships per type in the database."""
    nodes = {r["label"]: r["n"] for r in driver.execute_query(query("load/count_nodes"), database_=database).records}
    rels = {r["type"]: r["n"] for r in driver.execute_query(query("load/count_rels"), database_=database).records}
    return LoadResult(nodes, rels)
