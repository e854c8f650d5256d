"""The product flow graph at scale: integer codes, CSR adjacency, vectorised BFS.

The one home of the product flow graph (docs/analysis.md, "Definitions"):
P → Q when a firm buys P and sells Q (:func:`turns`), plus the chain map's
input → product rows, and of the chain map alone; and of what is read off
such a graph: each product's height above the end products (the panorama's
levels) and depth above the raw materials (the graph view's columns).  At millions of links the derived graph is dense
(hundreds of thousands of edges between a few thousand products), too big
for per-node networkx traversals.  :class:`ProductFlow` keeps it as numpy
arrays and answers "what is upstream / downstream of P" with a breadth-first
search that expands a whole frontier per numpy step.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

__all__ = ["Columns", "ProductFlow", "Reach", "chain_map_flow", "flow_graph", "turns"]


class Columns(Protocol):
    """A table's columns by name, ``table["product"]`` iterating one: a frame, or a dict of lists or arrays (what
    an engine fetches without making a frame)."""

    def __getitem__(self, column: str, /) -> Any: ...


class Reach(Protocol):
    """What the analyses ask of the product flow graph: up- and downstream, and the direct neighbours.

    :class:`ProductFlow` answers in memory; :class:`chaingraph.relational.reach.EngineFlow` keeps the
    graph on a SQL engine and brings back only the answers.  The batch methods (:meth:`reach`,
    :meth:`neighbours`) are how an analysis asks about many products at once (one round of queries
    on an engine).
    """

    def __contains__(self, product: object) -> bool: ...

    def descendants(self, product: str) -> set[str]: ...

    def ancestors(self, product: str) -> set[str]: ...

    def predecessors(self, product: str) -> list[str]: ...

    def successors(self, product: str) -> list[str]: ...

    def reach(self, sources: Iterable[str], *, up: bool = False,
              among: Collection[str] | None = None) -> dict[str, frozenset[str]]: ...  # fmt: skip

    def neighbours(self, products: Iterable[str]) -> dict[str, tuple[list[str], list[str]]]: ...


@dataclass(frozen=True)
class ProductFlow:
    """Products as codes 0..n-1 with forward and reverse CSR adjacency."""

    names: np.ndarray
    code: dict[str, int]
    fwd_ptr: np.ndarray
    fwd_idx: np.ndarray
    rev_ptr: np.ndarray
    rev_idx: np.ndarray
    _seen: dict[tuple[str, bool], frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def edges(self) -> int:
        return len(self.fwd_idx)

    def _bfs(self, start: int, ptr: np.ndarray, idx: np.ndarray) -> np.ndarray:
        seen = np.zeros(len(self.names), dtype=bool)
        frontier = np.array([start], dtype=np.int64)
        while len(frontier):
            lo, hi = ptr[frontier], ptr[frontier + 1]
            counts = hi - lo
            if not counts.sum():
                break
            offsets = np.repeat(lo - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
            mark = np.zeros(len(seen), dtype=bool)
            mark[idx[np.arange(counts.sum()) + offsets]] = True
            mark &= ~seen
            seen |= mark
            frontier = np.flatnonzero(mark)
        return seen

    def _reach(self, product: str, *, up: bool) -> frozenset[str]:
        key = (product, up)
        if key not in self._seen:  # remembered: every zone asks about the same products
            if product not in self.code:
                self._seen[key] = frozenset()
            else:
                ptr, idx = (self.rev_ptr, self.rev_idx) if up else (self.fwd_ptr, self.fwd_idx)
                self._seen[key] = frozenset(self.names[self._bfs(self.code[product], ptr, idx)].tolist())
        return self._seen[key]

    def descendants(self, product: str) -> set[str]:
        """Products downstream of ``product`` (itself only if it lies on a cycle)."""
        return set(self._reach(product, up=False))

    def ancestors(self, product: str) -> set[str]:
        """Products upstream of ``product`` (itself only if it lies on a cycle)."""
        return set(self._reach(product, up=True))

    def reach(self, sources: Iterable[str], *, up: bool = False,
              among: Collection[str] | None = None) -> dict[str, frozenset[str]]:  # fmt: skip
        """Per source, the products downstream of it (upstream with ``up``), only those in ``among`` if given.

        >>> g = ProductFlow.of([], [("铁", "钢"), ("钢", "箱体")])
        >>> {k: sorted(v) for k, v in g.reach(["铁", "箱体"], among={"箱体"}).items()}
        {'铁': ['箱体'], '箱体': []}
        """
        keep = None if among is None else frozenset(among)
        out = {}
        for p in dict.fromkeys(sources):
            seen = self._reach(p, up=up)
            out[p] = seen if keep is None else seen & keep
        return out

    def neighbours(self, products: Iterable[str]) -> dict[str, tuple[list[str], list[str]]]:
        """Per product, its (predecessors, successors), each sorted."""
        return {p: (self.predecessors(p), self.successors(p)) for p in dict.fromkeys(products)}

    def predecessors(self, product: str) -> list[str]:
        c = self.code.get(product)
        return [] if c is None else sorted(self.names[self.rev_idx[self.rev_ptr[c] : self.rev_ptr[c + 1]]].tolist())

    def successors(self, product: str) -> list[str]:
        c = self.code.get(product)
        return [] if c is None else sorted(self.names[self.fwd_idx[self.fwd_ptr[c] : self.fwd_ptr[c + 1]]].tolist())

    def ends(self) -> list[str]:
        """The products that feed no other product, sorted."""
        return sorted(self.names[np.diff(self.fwd_ptr) == 0].tolist())

    def __contains__(self, product: object) -> bool:
        return product in self.code

    def save(self, path: Path) -> None:
        """Write the graph to ``path`` (numpy's ``.npz``, the names as JSON text: nothing pickled)."""
        import json

        text = json.dumps([str(n) for n in self.names.tolist()], ensure_ascii=False).encode()
        with Path(path).open("wb") as fh:
            np.savez(fh, names=np.frombuffer(text, dtype=np.uint8), fwd_ptr=self.fwd_ptr, fwd_idx=self.fwd_idx,
                     rev_ptr=self.rev_ptr, rev_idx=self.rev_idx)  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> ProductFlow:
        """The graph :meth:`save` wrote.

        >>> import tempfile
        >>> g = ProductFlow.of(["箱体"], [("钢", "箱体"), ("铁", "钢")])
        >>> p = Path(tempfile.mkdtemp()) / "flow.npz"
        >>> g.save(p)
        >>> h = ProductFlow.load(p)
        >>> h.names.tolist() == g.names.tolist(), sorted(h.ancestors("箱体")), h.successors("钢")
        (True, ['钢', '铁'], ['箱体'])
        """
        import json

        with np.load(path, allow_pickle=False) as f:
            names = json.loads(f["names"].tobytes().decode())
            arrays = [f[k].astype(np.int64) for k in ("fwd_ptr", "fwd_idx", "rev_ptr", "rev_idx")]
        products = np.empty(len(names), dtype=object)
        products[:] = names
        return cls(products, {p: i for i, p in enumerate(names)}, *arrays)

    @classmethod
    def of(cls, products: Iterable[str], edges: Iterable[tuple[str, str]]) -> ProductFlow:
        """The graph of ``products`` and ``edges`` (P, Q) between them (their ends added; self-loops dropped).

        >>> g = ProductFlow.of(["箱体"], [("钢", "箱体"), ("铁", "钢")])
        >>> g.names.tolist(), sorted(g.ancestors("箱体")), g.successors("钢")
        (['箱体', '钢', '铁'], ['钢', '铁'], ['箱体'])
        """
        pairs = list(edges)
        names = sorted({*products, *(p for p, _ in pairs), *(q for _, q in pairs)})
        code = {p: i for i, p in enumerate(names)}
        n = len(names)
        keys = np.array([code[p] * n + code[q] for p, q in pairs], dtype=np.int64)
        return _graph(np.asarray(names, dtype=object), keys)

    def subgraph(self, products: Iterable[str]) -> ProductFlow:
        """The graph induced on ``products`` (those in the graph)."""
        keep = sorted(p for p in set(products) if p in self.code)
        inside = set(keep)
        return ProductFlow.of(keep, [(p, q) for p in keep for q in self.successors(p) if q in inside])

    def _condensed(self) -> tuple[Any, dict[int, int]]:
        """The graph with each cycle shrunk to one node (networkx), and each product code's node."""
        import networkx as nx

        g: nx.DiGraph = nx.DiGraph()
        g.add_nodes_from(range(len(self.names)))
        src = np.repeat(np.arange(len(self.names)), np.diff(self.fwd_ptr))
        g.add_edges_from(zip(src.tolist(), self.fwd_idx.tolist(), strict=True))
        cond = nx.condensation(g)
        return cond, cond.graph["mapping"]

    def heights(self) -> dict[str, int]:
        """Per product, the longest path (in edges) to a product that feeds none; a cycle counts as one product.

        >>> ProductFlow.of([], [("铁", "钢"), ("钢", "箱体"), ("铁", "箱体")]).heights()
        {'箱体': 0, '钢': 1, '铁': 2}
        """
        import networkx as nx

        cond, member = self._condensed()
        height: dict[int, int] = {}
        for c in reversed(list(nx.topological_sort(cond))):
            height[c] = max((height[d] + 1 for d in cond.successors(c)), default=0)
        return {str(self.names[i]): height[member[i]] for i in range(len(self.names))}

    def depths(self) -> dict[str, int]:
        """Per product, the longest chain of inputs below it (raw materials 0), each input placed just before
        its first user; a cycle counts as one product.

        >>> ProductFlow.of([], [("铁", "钢"), ("钢", "箱体"), ("漆", "箱体")]).depths()
        {'漆': 1, '箱体': 2, '钢': 1, '铁': 0}
        """
        import networkx as nx

        cond, member = self._condensed()
        depth: dict[int, int] = {}
        for c in nx.topological_sort(cond):
            preds = list(cond.predecessors(c))
            depth[c] = 1 + max(depth[p] for p in preds) if preds else 0
        for c in reversed(list(nx.topological_sort(cond))):  # inputs sit just left of their first user
            succ = list(cond.successors(c))
            if succ:
                depth[c] = max(depth[c], min(depth[q] for q in succ) - 1)
        return {str(self.names[i]): depth[member[i]] for i in range(len(self.names))}


def turns(links: pd.DataFrame, *, buys: pd.Series | None = None, sells: pd.Series | None = None) -> pd.DataFrame:
    """The product flow's rule on ``links``: pairs (``p``, ``q``), p ≠ q, where a firm buys p and sells q.

    ``buys`` and ``sells`` say which links count as a firm's purchases and sales (default: every
    link; a zone's own flow: its firms' purchases ``b_in`` and sales ``s_in``).  Sorted, unique.
    :func:`flow_graph` applies the same rule on integer codes, at scale.

    >>> links = pd.DataFrame({"supplier_id": ["a", "b", "b"], "buyer_id": ["b", "c", "d"],
    ...                       "product": ["钢", "箱体", "钢"]})
    >>> turns(links).values.tolist()
    [['钢', '箱体']]
    """
    bought = links if buys is None else links[buys]
    sold = links if sells is None else links[sells]
    b = bought[["buyer_id", "product"]].drop_duplicates().rename(columns={"buyer_id": "firm", "product": "p"})
    s = sold[["supplier_id", "product"]].drop_duplicates().rename(columns={"supplier_id": "firm", "product": "q"})
    t = b.merge(s, on="firm")
    t = t.loc[t["p"] != t["q"], ["p", "q"]].drop_duplicates()
    return t.sort_values(["p", "q"], kind="stable").reset_index(drop=True)


def _uniq(x: np.ndarray) -> np.ndarray:
    """Sorted unique int64 values (sort and compare: faster here than numpy's hash-based unique)."""
    x = np.sort(x, kind="stable")
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if len(x) else x


def _csr(src: np.ndarray, dst: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(src, kind="stable")
    ptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))]).astype(np.int64)
    return ptr, dst[order].astype(np.int64)


def _graph(products: np.ndarray, keys: np.ndarray) -> ProductFlow:
    """The graph over ``products`` (sorted, unique) with edges ``src * n + dst`` (repeats and self-loops dropped)."""
    n = len(products)
    keys = _uniq(keys)
    src, dst = keys // n, keys % n
    keep = src != dst
    src, dst = src[keep], dst[keep]
    fp, fi = _csr(src, dst, n)
    rp, ri = _csr(dst, src, n)
    return ProductFlow(products, {p: i for i, p in enumerate(products.tolist())}, fp, fi, rp, ri)


def _feeds(chains: Columns, lookup: dict[str, int], n: int) -> np.ndarray:
    """The chain map's ``input → product`` rows as edge keys."""
    return np.array([lookup[i] * n + lookup[p] for i, p in zip(chains["input"], chains["product"], strict=True)
                     if i != ""], dtype=np.int64)  # fmt: skip


def chain_map_flow(chains: Columns) -> ProductFlow:
    """The chain map's own graph: every product and input of ``chains`` rows, ``input → product`` edges.

    ``chains``: the chain map's ``product`` and ``input`` columns (a frame, or each column as a list; no input:
    ``""``), so that an engine asks it without a frame.

    >>> g = chain_map_flow({"product": ["箱体", "钢"], "input": ["钢", ""]})
    >>> g.ends(), g.ancestors("箱体")
    (['箱体'], {'钢'})
    """
    products = np.asarray(sorted({*chains["product"], *(i for i in chains["input"] if i != "")}), dtype=object)
    lookup = {p: i for i, p in enumerate(products.tolist())}
    return _graph(products, _feeds(chains, lookup, len(products)))


def flow_graph(act: pd.DataFrame, chains: pd.DataFrame | None, stages: pd.Series) -> ProductFlow:
    """The product flow graph: P → Q when a firm buys P and sells Q on ``act``, plus the ``chains`` rows.

    ``stages`` are the chain map's products and inputs (``DatasetIndex.chain_stages``); a
    dataset's graphs come from :meth:`~chaingraph.model.DatasetIndex.flow` and ``flow_of``.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> ds = load_dataset("data")
    >>> g = ds.index.flow_of(ds.links[ds.index.status_mask(("active",))])
    >>> "充电桩" in g.descendants("冷轧薄板")
    True
    """
    chain_products = stages if chains is not None else pd.Series([], dtype=object)
    all_products = pd.concat([act["product"], pd.Series(chain_products.tolist(), dtype=act["product"].dtype)],
                             ignore_index=True)  # fmt: skip
    prod_codes, uniques = pd.factorize(all_products, sort=True)
    products = np.asarray(uniques, dtype=object)
    n = len(products)
    link_prod = prod_codes[: len(act)].astype(np.int64)
    firm_codes, _firms = pd.factorize(pd.concat([act["buyer_id"], act["supplier_id"]], ignore_index=True))
    buyer, seller = firm_codes[: len(act)].astype(np.int64), firm_codes[len(act) :].astype(np.int64)
    bought = _uniq(buyer * n + link_prod)
    sold = _uniq(seller * n + link_prod)
    b = pd.DataFrame({"firm": bought // n, "p": bought % n})
    s = pd.DataFrame({"firm": sold // n, "q": sold % n})
    pairs = b.merge(s, on="firm")[["p", "q"]].to_numpy()
    keys = pairs[:, 0].astype(np.int64) * n + pairs[:, 1]
    if chains is not None:
        keys = np.concatenate([keys, _feeds(chains, {p: i for i, p in enumerate(products.tolist())}, n)])
    return _graph(products, keys)


def flow_from_pairs(products: list[str], pairs: pd.DataFrame, chains: pd.DataFrame | None) -> ProductFlow:
    """The product flow graph from its links as an engine computed them: ``pairs`` (p, q), plus chains.csv rows.

    ``products`` are the considered links' products; with the chain map's
    stages they are the nodes, as :func:`flow_graph` makes them (the SQL
    engines compute the links in SQL and bring only this small graph here).

    >>> g = flow_from_pairs(["钢", "箱体"], pd.DataFrame({"p": ["钢"], "q": ["箱体"]}), None)
    >>> g.descendants("钢")
    {'箱体'}
    """
    stages: list[str] = []
    if chains is not None:
        stages = [*chains["product"].tolist(), *chains.loc[chains["input"] != "", "input"].tolist()]
    names = np.asarray(sorted({*products, *stages}), dtype=object)
    lookup = {p: i for i, p in enumerate(names.tolist())}
    n = len(names)
    index = pd.Index(names, dtype=object)

    def codes(column: pd.Series) -> np.ndarray:
        found = index.get_indexer(pd.Index(column.astype(str).to_numpy(dtype=object), dtype=object))
        if (found < 0).any():  # a pair's product outside the graph's nodes: the engine's rows disagree
            raise ValueError(f"flow pair product {column[found < 0].iloc[0]!r} is not among the products")
        return found.astype(np.int64)

    keys = codes(pairs["p"]) * n + codes(pairs["q"]) if len(pairs) else np.zeros(0, dtype=np.int64)
    if chains is not None:
        keys = np.concatenate([keys, _feeds(chains, lookup, n)])
    return _graph(names, keys)
