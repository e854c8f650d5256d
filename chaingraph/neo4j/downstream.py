"""Each product's downstream products, kept on the Product nodes by every load.

The gap list names, for each gap, the zone's products that depend on it:
everything downstream of it over FEEDS (the chain map) and FLOWS (derived
from the links).  At a million links FLOWS is dense (hundreds of thousands
of edges among about a thousand products), so a variable-length walk per gap
in Cypher takes minutes.  The loader therefore computes the transitive
closure once, here with numpy, and stores two lists per product:
``down_active`` (FEEDS and the FLOWS that exist on active links) and
``down_planned`` (FEEDS and every FLOWS, for ``--include-planned``).  Both
exclude the product itself and are sorted.  Nothing here imports click.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from chaingraph.neo4j.queries import query

__all__ = ["closure_lists", "write_downstream"]

BATCH = 50  # products per transaction: each carries two lists of up to every product name


def _reach(adj: np.ndarray) -> np.ndarray:
    """Transitive closure of a boolean adjacency matrix (paths of one or more edges), by repeated squaring."""
    reach = adj.copy()
    while True:
        step = reach.astype(np.float32)
        grown = reach | ((step @ step) > 0)
        if (grown == reach).all():
            return reach
        reach = grown


def closure_lists(edges: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """``down_active`` and ``down_planned`` for every product of ``names``.

    ``edges`` has columns ``p``, ``q`` and ``planned_only`` (true for FLOWS
    that exist only through planned links; FEEDS never are).

    >>> e = pd.DataFrame({"p": ["a", "b", "b"], "q": ["b", "c", "a"], "planned_only": [False, True, False]})
    >>> closure_lists(e, ["a", "b", "c"]).values.tolist()
    [['a', ['b'], ['b', 'c']], ['b', ['a'], ['a', 'c']], ['c', [], []]]
    """
    order = sorted(set(names) | set(edges["p"]) | set(edges["q"]))
    code = {n: i for i, n in enumerate(order)}
    p = np.array([code[x] for x in edges["p"]], dtype=np.int64)
    q = np.array([code[x] for x in edges["q"]], dtype=np.int64)
    planned_only = edges["planned_only"].to_numpy(dtype=bool)
    out = []
    for keep in (~planned_only, np.ones(len(edges), dtype=bool)):
        adj = np.zeros((len(order), len(order)), dtype=bool)
        adj[p[keep], q[keep]] = True
        reach = _reach(adj)
        np.fill_diagonal(reach, False)
        out.append(reach)
    arr = np.asarray(order, dtype=object)
    rows = [(n, arr[out[0][code[n]]].tolist(), arr[out[1][code[n]]].tolist()) for n in sorted(set(names))]
    return pd.DataFrame(rows, columns=["name", "active", "planned"])


def write_downstream(driver: Any, *, database: str | None = None) -> int:
    """Compute every product's downstream lists from the database's FEEDS and FLOWS and store them.

    Returns the number of products written.
    """
    records = driver.execute_query(query("load/flow_edges"), database_=database).records
    edges = pd.DataFrame([dict(r) for r in records], columns=["p", "q", "planned_only"])
    edges["planned_only"] = edges["planned_only"].fillna(False).astype(bool)
    names = [str(r["name"]) for r in driver.execute_query(query("load/product_names"), database_=database).records]
    lists = closure_lists(edges, names)
    rows = lists.to_dict("records")
    for start in range(0, len(rows), BATCH):
        driver.execute_query(query("load/downstream"), {"rows": rows[start : start + BATCH]}, database_=database)
    return len(rows)
