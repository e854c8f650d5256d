"""What SOURCE names (a data folder or a Neo4j URI) and the engine that answers it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chaingraph.engine import Backend

__all__ = ["ENGINES", "URI_SCHEMES", "is_uri", "open_backend"]

#: The engines a data folder (or workbook) SOURCE can be analysed with; the first is the default.
ENGINES = ("duckdb", "memory")

URI_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def is_uri(source: str) -> bool:
    """Whether SOURCE names a Neo4j server rather than a folder.

    >>> is_uri("bolt://127.0.0.1:7687"), is_uri("data")
    (True, False)
    """
    return source.startswith(URI_SCHEMES)


def open_backend(
    source: str,
    *,
    skip_bad: bool = False,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    engine: str = ENGINES[0],
    ignore_unknown_columns: bool = False,
) -> Backend:
    """Open SOURCE: a data folder or workbook (``engine``: DuckDB over its validated copy, or in memory), or a Neo4j URI.

    DuckDB (the default) reads the validated Parquet copy of SOURCE
    (:func:`chaingraph.validated_copy.validated_copy`: validated once, reused
    while the files are unchanged); ``memory`` loads the tables into pandas.
    Both give the same figures.
    """
    if is_uri(source):
        from chaingraph.neo4j.engine import Neo4jBackend

        return Neo4jBackend(source, user=user, password=password, database=database)
    if engine == "duckdb":
        from chaingraph.duckdb_engine import DuckDBBackend
        from chaingraph.validated_copy import validated_copy

        return DuckDBBackend(validated_copy(source, skip_bad=skip_bad, ignore_unknown_columns=ignore_unknown_columns))
    if engine != "memory":
        from chaingraph.errors import ChaingraphError

        raise ChaingraphError(f"unknown engine {engine!r} for a data folder; use one of {', '.join(ENGINES)}.")
    from chaingraph.load import load_dataset
    from chaingraph.memory_engine import MemoryBackend

    return MemoryBackend(load_dataset(source, skip_bad=skip_bad, ignore_unknown_columns=ignore_unknown_columns))
