"""Read the packaged Cypher files of ``queries/``."""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["query", "query_path", "statements"]


@cache
def query(name: str) -> str:
    """The text of ``queries/<name>.cypher`` with Browser-only ``:param`` lines removed.

    >>> "MERGE" in query("load/enterprises")
    True
    """
    text = resources.files("chaingraph.queries").joinpath(f"{name}.cypher").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(":"))


def query_path(name: str) -> str:
    """Where the file is, for messages."""
    return str(resources.files("chaingraph.queries").joinpath(f"{name}.cypher"))


def statements(name: str) -> list[str]:
    """The statements of a multi-statement file (each ends with ``;`` at a line end)."""
    parts = [p.strip() for p in query(name).split(";\n")]
    return [
        p.rstrip(";") for p in parts if p.strip() and not all(ln.lstrip().startswith("//") for ln in p.splitlines())
    ]
