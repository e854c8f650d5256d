"""What SOURCE names (a data folder or a Neo4j URI) and the engine that answers it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chaingraph.backend import Backend

__all__ = ["URI_SCHEMES", "is_uri", "open_backend"]

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
) -> Backend:
    """Open SOURCE: a data folder (the in-memory engine), or a Neo4j URI."""
    if is_uri(source):
        from chaingraph.neo4j.backend import Neo4jBackend

        return Neo4jBackend(source, user=user, password=password, database=database)
    from chaingraph.load import load_dataset
    from chaingraph.memory import MemoryBackend

    return MemoryBackend(load_dataset(source, skip_bad=skip_bad))
