"""Linear corners (issue 23, point 6): leaders' partner lists from one grouping, local chains' fallback
without a path per node.  Same figures as the old per-firm / per-node code; the timings and memory are
measured by benchmarks/scale.py, not here."""

from __future__ import annotations

import networkx as nx
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from chaingraph.analysis.closure import MAX_LISTED_CHAINS, _longest_into, local_chains


def old_longest_into(g: nx.DiGraph, order: list[str], sinks: list[str]) -> list[tuple[str, ...]]:
    """The previous fallback: the best path itself kept for every node (quadratic memory on a long chain)."""
    best: dict[str, tuple[int, tuple[str, ...]]] = {}
    for n in order:
        cands = [(best[p][0] + 1, (*best[p][1], n)) for p in g.predecessors(n)]
        best[n] = min(cands, key=lambda c: (-c[0], c[1])) if cands else (0, (n,))
    return [best[s][1] for s in sinks if best[s][0] >= 2]


@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), min_size=1, max_size=60))
def test_longest_into_equals_the_path_per_node_version(pairs: list[tuple[int, int]]) -> None:
    g: nx.DiGraph = nx.DiGraph()
    g.add_edges_from((f"n{min(a, b):02d}", f"n{max(a, b):02d}") for a, b in pairs if a != b)  # a DAG
    order = list(nx.lexicographical_topological_sort(g))
    sinks = [n for n in order if g.out_degree(n) == 0 and g.in_degree(n) > 0]
    assert _longest_into(g, order, sinks) == old_longest_into(g, order, sinks)


def test_long_chain_fed_by_many_sources() -> None:
    n = 3000
    chain = [f"c{k:05d}" for k in range(n)]
    sources = [f"s{k:03d}" for k in range(MAX_LISTED_CHAINS + 1)]
    links = pd.DataFrame({"supplier_id": sources + chain[:-1], "buyer_id": [chain[0]] * len(sources) + chain[1:]})
    paths, method = local_chains(links)
    assert method == "longest_path_per_end_buyer"
    assert paths == ((sources[0], *chain),)


def test_path_count_stops_past_the_limit() -> None:
    # 2^40 paths through a ladder: counted up to the limit, not as a 40-bit integer per node
    edges = [(f"a{k}", f"a{k + 1}") for k in range(40)] + [(f"a{k}", f"b{k + 1}") for k in range(40)]
    edges += [(f"b{k}", f"a{k + 1}") for k in range(1, 40)]
    links = pd.DataFrame(edges, columns=["supplier_id", "buyer_id"])
    paths, method = local_chains(links)
    assert method == "longest_path_per_end_buyer"
    assert paths == (tuple(f"a{k}" for k in range(41)), ("a0", *(f"a{k}" for k in range(1, 40)), "b40"))
