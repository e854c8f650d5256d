"""Connection settings and the driver, with errors a user can act on."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chaingraph.errors import BackendError, param

__all__ = ["DEFAULT_URI", "Connection", "driver", "settings", "state_dir"]

DEFAULT_URI = "bolt://127.0.0.1:7687"


def state_dir() -> Path:
    """Where the local server lives: ``$CHAINGRAPH_HOME`` or ``~/.chaingraph``."""
    return Path(os.environ.get("CHAINGRAPH_HOME") or Path.home() / ".chaingraph")


@dataclass(frozen=True)
class Connection:
    """Where and how to connect.  ``repr`` never shows the password."""

    uri: str
    user: str
    password: str
    database: str | None

    def __repr__(self) -> str:
        return f"Connection(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def settings(
    uri: str | None = None, *, user: str | None = None, password: str | None = None, database: str | None = None
) -> Connection:
    """Resolve options, then NEO4J_* variables, then the local server's stored password."""
    uri = uri or os.environ.get("NEO4J_URI") or DEFAULT_URI
    user = user or os.environ.get("NEO4J_USERNAME") or "neo4j"
    password = password or os.environ.get("NEO4J_PASSWORD")
    if not password:
        stored = state_dir() / "neo4j" / "password"
        if stored.is_file():
            password = stored.read_text(encoding="utf-8").strip()
    if not password:
        raise BackendError(
            f"no Neo4j password: pass {param('password')}, set NEO4J_PASSWORD, or start the local server with `chaingraph neo4j up`."
        )
    return Connection(uri, user, password, database or os.environ.get("NEO4J_DATABASE") or None)


def driver(conn: Connection) -> Any:
    """An open, verified driver; :class:`BackendError` with a one-line reason otherwise."""
    import neo4j
    from neo4j import exceptions as ex

    try:
        d = neo4j.GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password), connection_timeout=10)
    except (ValueError, ex.ConfigurationError) as err:
        raise BackendError(f"bad Neo4j URI {conn.uri!r}: {err}") from None
    try:
        d.verify_connectivity()
        d.execute_query("RETURN 1", database_=conn.database)
    except ex.AuthError:
        d.close()
        raise BackendError(
            f"Neo4j at {conn.uri} refused user {conn.user!r}: wrong user or password "
            f"(check {param('password')} / NEO4J_PASSWORD)."
        ) from None
    except ex.ServiceUnavailable:
        d.close()
        raise BackendError(
            f"Neo4j is not reachable at {conn.uri}: is the server running? (`chaingraph neo4j up` starts a local one)"
        ) from None
    except ex.ClientError as err:
        d.close()
        msg = str(err.message or "").lower()
        if "database" in msg or "graph not found" in msg or "DatabaseNotFound" in str(err.code or ""):
            raise BackendError(f"Neo4j at {conn.uri} has no database {conn.database!r}.") from None
        raise BackendError(f"Neo4j refused the request: {err.message}") from None
    except ex.Neo4jError as err:
        d.close()
        raise BackendError(f"Neo4j error: {err.message}") from None
    return d
