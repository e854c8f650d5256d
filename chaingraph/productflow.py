"""The product flow graph at scale: integer codes, CSR adjacency, vectorised BFS.

The one home of the product flow graph (docs/analysis.md, "Definitions"):
P → Q when a firm buys P and sells Q, plus the chain map's input → product
rows, and of the chain map alone.  At millions of links the derived graph is dense
(hundreds of thousands of edges between a few thousand products), too big
for per-node networkx traversals.  :class:`ProductFlow` keeps it as numpy
arrays and answers "what is upstream / downstream of P" with a breadth-first
search that expands a whole frontier per numpy step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from chaingraph.model import Dataset

__all__ = ["ProductFlow", "chain_map_flow", "flow_graph"]


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


def _feeds(chains: pd.DataFrame, lookup: dict[str, int], n: int) -> np.ndarray:
    """The chain map's ``input → product`` rows as edge keys."""
    feeds = chains[chains["input"] != ""]
    return np.array([lookup[i] * n + lookup[p] for i, p in zip(feeds["input"], feeds["product"], strict=True)],
                    dtype=np.int64)  # fmt: skip


def chain_map_flow(chains: pd.DataFrame) -> ProductFlow:
    """The chain map's own graph: every product and input of ``chains`` rows, ``input → product`` edges.

    >>> g = chain_map_flow(pd.DataFrame({"product": ["箱体", "钢"], "input": ["钢", ""]}))
    >>> g.ends(), g.ancestors("箱体")
    (['箱体'], {'钢'})
    """
    stages = pd.concat([chains["product"], chains.loc[chains["input"] != "", "input"]], ignore_index=True)
    products = np.asarray(pd.unique(stages.to_numpy(dtype=object)), dtype=object)
    products = np.asarray(sorted(products.tolist()), dtype=object)
    lookup = {p: i for i, p in enumerate(products.tolist())}
    return _graph(products, _feeds(chains, lookup, len(products)))


def flow_graph(ds: Dataset, act: pd.DataFrame) -> ProductFlow:
    """The product flow graph: P → Q when a firm buys P and sells Q on ``act``, plus chains.csv rows.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> ds = load_dataset("data")
    >>> g = flow_graph(ds, ds.links[ds.index.status_mask(("active",))])
    >>> "充电桩" in g.descendants("冷轧薄板")
    True
    """
    chain_products = ds.index.chain_stages["product"] if ds.chains is not None else pd.Series([], dtype=object)
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
    if ds.chains is not None:
        keys = np.concatenate([keys, _feeds(ds.chains, {p: i for i, p in enumerate(products.tolist())}, n)])
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
    keys = np.array([lookup[p] * n + lookup[q] for p, q in zip(pairs["p"], pairs["q"], strict=True)], dtype=np.int64)
    if chains is not None:
        keys = np.concatenate([keys, _feeds(chains, lookup, n)])
    return _graph(names, keys)
