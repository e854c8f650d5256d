"""Linear corners (issue 23, point 6): leaders' partner lists from one grouping, local chains' fallback
without a path per node.  Same figures as the old per-firm / per-node code; the timings and memory are
measured by benchmarks/scale.py, not here."""

from __future__ import annotations

import networkx as nx
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from chaingraph.results.closure import MAX_LISTED_CHAINS, _longest_into, local_chains


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
    pred = {n: set(g.predecessors(n)) for n in g}
    assert _longest_into(pred, order, sinks) == old_longest_into(g, order, sinks)


def networkx_local_chains(links: pd.DataFrame) -> tuple[tuple[tuple[str, ...], ...], str]:
    """The previous local chains, on networkx (its DAG test, lexicographic sort and simple paths)."""
    from chaingraph.results.closure import _back_edges

    g: nx.DiGraph = nx.DiGraph()
    g.add_edges_from(zip(links["supplier_id"].tolist(), links["buyer_id"].tolist(), strict=True))
    g.remove_edges_from(list(nx.selfloop_edges(g)))
    if not nx.is_directed_acyclic_graph(g):
        g.remove_edges_from(_back_edges({n: set(g.successors(n)) for n in g}))
    order = list(nx.lexicographical_topological_sort(g))
    sources = [n for n in order if g.in_degree(n) == 0 and g.out_degree(n) > 0]
    sinks = [n for n in order if g.out_degree(n) == 0 and g.in_degree(n) > 0]
    count: dict[str, int] = {}
    for n in order:
        count[n] = min(
            MAX_LISTED_CHAINS + 1, (1 if g.in_degree(n) == 0 else 0) + sum(count[p] for p in g.predecessors(n))
        )
    if sum(count[s] for s in sinks) <= MAX_LISTED_CHAINS:
        found = [tuple(p) for s in sources for p in nx.all_simple_paths(g, s, set(sinks)) if len(p) >= 3]
        method = "all_maximal_paths"
    else:
        found = old_longest_into(g, order, sinks)
        method = "longest_path_per_end_buyer"
    return tuple(sorted(set(found), key=lambda p: (-len(p), p))), method


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=0, max_size=150))
def test_local_chains_equal_the_networkx_version(pairs: list[tuple[int, int]]) -> None:
    """Cycles, self-loops, repeated links, both methods: the same paths as networkx gave (no graph library now)."""
    links = pd.DataFrame({"supplier_id": [f"n{a:02d}" for a, _ in pairs], "buyer_id": [f"n{b:02d}" for _, b in pairs]},
                         dtype=object)  # fmt: skip
    assert local_chains(links) == networkx_local_chains(links)


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


@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14), st.sampled_from("pq"), st.integers(1, 5)),
                min_size=1, max_size=60))  # fmt: skip
@settings(max_examples=min(20, settings.default.max_examples))  # each example is a few dozen pandas calls
def test_leader_partners_equal_the_per_firm_scan(rows: list[tuple[int, int, str, int]]) -> None:
    from chaingraph.analysis.leaders import build_leaders
    from chaingraph.results.leaders import MAX_PARTNERS
    from chaingraph.results.options import Options

    inside = {f"f{k:02d}" for k in range(4)}  # 4 firms in the zone, 11 outside: more partners than are listed
    links = pd.DataFrame(
        [(f"f{a:02d}", f"f{b:02d}", p, float(v)) for a, b, p, v in rows if a != b],
        columns=["supplier_id", "buyer_id", "product", "value"],
    )
    links["s_in"] = links["supplier_id"].isin(inside)
    links["b_in"] = links["buyer_id"].isin(inside)
    links = links[links["s_in"] | links["b_in"]]
    ids = [f"f{k:02d}" for k in range(15)]
    names = pd.Series([f"企业{i}" for i in ids], index=ids)
    zone_of = pd.Series(["Z" if i in inside else "外" for i in ids], index=ids)
    lead = build_leaders(Options(zone="Z"), sorted(inside), links, names, zone_of, pd.Series(False, index=ids), top=3)

    def old(frame: pd.DataFrame, key: str, other: str, who: str) -> list[tuple[str, float]]:
        g = frame[frame[key] == who].groupby(other, sort=False)["value"].sum().reset_index()
        g = g.sort_values(["value", other], ascending=[False, True], kind="stable").head(MAX_PARTNERS)
        return list(zip(g[other].tolist(), g["value"].tolist(), strict=True))

    bought, sold = links[links["b_in"]], links[links["s_in"]]
    for x in lead.leaders:
        got = [[(p["id"], p["value"]) for p in ps]
               for ps in (x.local_suppliers, x.outside_suppliers, x.local_buyers, x.outside_buyers)]  # fmt: skip
        assert got == [
            old(bought[bought["s_in"]], "buyer_id", "supplier_id", x.id),
            old(bought[~bought["s_in"]], "buyer_id", "supplier_id", x.id),
            old(sold[sold["b_in"]], "supplier_id", "buyer_id", x.id),
            old(sold[~sold["b_in"]], "supplier_id", "buyer_id", x.id),
        ]
