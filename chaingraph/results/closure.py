"""Closure of a zone (definitions 1–3 of docs/analysis.md): the result, and how either engine assembles it."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from chaingraph.results.money import money, money_fen, money_sum, money_sum_groups, ratio
from chaingraph.results.options import Options

if TYPE_CHECKING:
    from chaingraph.productflow import Columns

__all__ = [
    "DERIVED_NOTE",
    "MAX_LISTED_CHAINS",
    "ChainCoverage",
    "Closure",
    "LsrTable",
    "build_closure",
    "coverage_row",
    "local_chains",
]

#: Above this many maximal local paths, list the longest path into each end buyer instead.
MAX_LISTED_CHAINS = 500


DERIVED_NOTE = (
    "No chains.csv: stages are derived from the links. Enterprise-level links do not say which "
    "input goes into which output, so a derived upstream set over-approximates the real one."
)


@dataclass(frozen=True)
class ChainCoverage:
    """Stage coverage of one end product (definition 2)."""

    chain: str | None
    end_product: str
    stages: int
    covered: int
    stage_coverage: float
    closed: bool
    missing_stages: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "chain": self.chain,
            "end_product": self.end_product,
            "stage_coverage": self.stage_coverage,
            "closed": self.closed,
            "stages": self.stages,
            "covered": self.covered,
            "missing_stages": list(self.missing_stages),
        }


@dataclass(frozen=True)
class LsrTable:
    """The local sourcing ratio per buyer, product or chain (definition 1), largest total value first, then key.

    ``key`` names the key column (``buyer_id``, ``product`` or ``chain``); ``names`` holds each buyer's
    name (by buyer only).  Plain tuples, so that an engine builds it without a frame: :meth:`frame` is
    the table as one, :meth:`records` its rows as the JSON output writes them.

    Examples
    --------
    >>> t = LsrTable.of("product", ["钢", "芯片"], [2850.0, 0.0], [3300.0, 5150.0])
    >>> t.records()[1]
    {'product': '钢', 'local_value': 2850.0, 'total_value': 3300.0, 'local_sourcing_ratio': 0.863636}
    >>> t.frame()["product"].tolist()
    ['芯片', '钢']
    """

    key: str
    keys: tuple[str, ...]
    local_value: tuple[float, ...]
    total_value: tuple[float, ...]
    names: tuple[str, ...] | None = None

    @classmethod
    def of(cls, key: str, keys: Iterable[Any], local: Iterable[float], total: Iterable[float],
           names: Mapping[str, Any] | None = None) -> LsrTable:  # fmt: skip
        """The table of these sums (in any order), buyers named from ``names`` (a missing name: ``""``)."""
        rows = sorted(zip([str(k) for k in keys], [float(v) for v in local], [float(v) for v in total], strict=True),
                      key=lambda r: (-r[2], r[0]))  # fmt: skip
        named = None if names is None else tuple(n if isinstance(n := names.get(k), str) else "" for k, _, _ in rows)
        return cls(key, tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows), named)

    @property
    def ratios(self) -> list[float | None]:
        """Each row's local sourcing ratio (``None`` where nothing was bought)."""
        return [ratio(a, b) for a, b in zip(self.local_value, self.total_value, strict=True)]

    def _columns(self) -> dict[str, list[Any]]:
        named = {} if self.names is None else {"name": list(self.names)}
        return {self.key: list(self.keys), **named, "local_value": list(self.local_value),
                "total_value": list(self.total_value), "local_sourcing_ratio": self.ratios}  # fmt: skip

    def frame(self) -> pd.DataFrame:
        """The table as a frame: the key, (``name``), ``local_value``, ``total_value``, ``local_sourcing_ratio``."""
        columns = self._columns()
        if not self.keys:
            return pd.DataFrame(columns=list(columns))
        return pd.DataFrame(columns)

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts, the values in yuan to the fen (:func:`money`)."""
        columns = self._columns()
        for k in ("local_value", "total_value"):
            columns[k] = (money_fen(np.asarray(columns[k], dtype="float64")) / 100 + 0.0).tolist()
        keys = list(columns)
        return [dict(zip(keys, row, strict=True)) for row in zip(*columns.values(), strict=True)]


@dataclass(frozen=True)
class Closure:
    """Closure of zone Z: local sourcing ratio, stage coverage, local chains."""

    zone: str
    scope: str
    local_sourcing_ratio: float | None
    local_value: float
    total_value: float
    chains: tuple[ChainCoverage, ...]
    local_chains: tuple[tuple[str, ...], ...]
    local_chains_method: str
    coverage_basis: str
    by_buyer: LsrTable = field(repr=False)
    by_product: LsrTable = field(repr=False)
    by_chain: LsrTable = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "scope": self.scope,
            "local_sourcing_ratio": self.local_sourcing_ratio,
            "local_value": self.local_value,
            "total_value": self.total_value,
            "chains": [c.to_dict() for c in self.chains],
            "local_chains": [list(c) for c in self.local_chains],
            "local_chains_method": self.local_chains_method,
            "coverage_basis": self.coverage_basis,
            "note": DERIVED_NOTE if self.coverage_basis == "derived" else None,
            "by_buyer": self.by_buyer.records(),
            "by_product": self.by_product.records(),
            "by_chain": self.by_chain.records(),
        }


def _lsr_table(frame: pd.DataFrame, key: str, names: Mapping[str, Any] | None = None) -> LsrTable:
    """LSR per ``key`` over buyer-in-Z links."""
    if frame.empty:
        return LsrTable.of(key, [], [], [], names)
    vals = frame.assign(total_value=frame["value"].to_numpy(dtype="float64"))
    vals["local_value"] = np.where(vals["s_in"].to_numpy(), vals["total_value"].to_numpy(), 0.0)
    g = money_sum_groups(vals, [key], ["local_value", "total_value"]).reset_index()  # exact sums
    return LsrTable.of(key, g[key].tolist(), g["local_value"].tolist(), g["total_value"].tolist(), names)


def build_closure(
    opts: Options,
    into: pd.DataFrame,
    tags: pd.DataFrame,
    tag_on: str,
    names: pd.Series,
    coverage: tuple[ChainCoverage, ...],
    local_links: pd.DataFrame,
    *,
    derived: bool,
) -> Closure:
    """Assemble a :class:`Closure` from what either engine computes.

    ``into`` holds the zone's purchases (buyer_id, product, s_in, value), one
    row per link or pre-summed; ``tags`` maps ``tag_on`` values (column
    ``key``) to chains; ``local_links`` the local subgraph's (supplier_id,
    buyer_id) edges.
    """
    local = money_sum(into.loc[into["s_in"], "value"])
    total = money_sum(into["value"])
    by_buyer = _lsr_table(into, "buyer_id", {str(k): v for k, v in names.items()})
    by_product = _lsr_table(into, "product")
    by_chain = _lsr_table(into.merge(tags, left_on=tag_on, right_on="key"), "chain")
    ordered = sorted(coverage, key=(lambda r: (r.stage_coverage, r.end_product)) if derived else (
        lambda r: (r.chain or "", r.end_product)))  # fmt: skip
    paths, method = local_chains(local_links)
    return Closure(
        opts.zone, opts.scope, ratio(local, total), money(local) or 0.0, money(total) or 0.0, tuple(ordered), paths, method,
        "derived" if derived else "chains.csv", by_buyer, by_product, by_chain,
    )  # fmt: skip


def coverage_row(chain: str | None, end_product: str, stages: int, covered: int, missing: list[str]) -> ChainCoverage:
    """One coverage row, rounded as everywhere."""
    return ChainCoverage(chain, end_product, stages, covered, ratio(covered, stages) or 0.0, covered == stages,
                         tuple(sorted(missing)))  # fmt: skip


def local_chains(local_links: Columns) -> tuple[tuple[tuple[str, ...], ...], str]:
    """Maximal directed paths (≥ 2 links) of the local supply subgraph (definition 3).

    Cycles are broken first: a depth-first search in id order sets aside the
    links that close a cycle.  When the paths number at most
    :data:`MAX_LISTED_CHAINS`, all are listed (method ``all_maximal_paths``);
    otherwise the longest path into each end buyer (``longest_path_per_end_buyer``).
    Sorted longest first, then by ids.  Plain dicts and sets (a zone's local
    subgraph is small): no graph library on closure's path.  ``local_links``: a frame, or its
    two columns each as an array.

    Examples
    --------
    >>> df = pd.DataFrame({"supplier_id": ["a", "b", "x"], "buyer_id": ["b", "c", "b"]})
    >>> local_chains(df)
    ((('a', 'b', 'c'), ('x', 'b', 'c')), 'all_maximal_paths')
    """
    succ: dict[str, set[str]] = {}
    pred: dict[str, set[str]] = {}
    for s, b in zip(local_links["supplier_id"].tolist(), local_links["buyer_id"].tolist(), strict=True):
        succ.setdefault(s, set())
        pred.setdefault(s, set())
        succ.setdefault(b, set())
        pred.setdefault(b, set())
        if s != b:  # a self-loop is no link of a chain
            succ[s].add(b)
            pred[b].add(s)
    order = _topological(succ, pred)
    if len(order) < len(succ):  # a cycle: set aside the links that close one, then sort again
        for s, b in _back_edges(succ):
            succ[s].discard(b)
            pred[b].discard(s)
        order = _topological(succ, pred)
    sources = [n for n in order if not pred[n] and succ[n]]
    sinks = [n for n in order if not succ[n] and pred[n]]
    # count source→sink paths (DP) before listing them; counts stop just past the limit (no huge integers)
    cap = MAX_LISTED_CHAINS + 1
    count: dict[str, int] = {}
    for n in order:
        count[n] = min(cap, (0 if pred[n] else 1) + sum(count[p] for p in pred[n]))
    total = sum(count[s] for s in sinks)
    if total <= MAX_LISTED_CHAINS:
        found = [p for s in sources for p in _paths_from(succ, s) if len(p) >= 3]
        method = "all_maximal_paths"
    else:
        found = _longest_into(pred, order, sinks)
        method = "longest_path_per_end_buyer"
    return tuple(sorted(set(found), key=lambda p: (-len(p), p))), method


def _topological(succ: dict[str, set[str]], pred: dict[str, set[str]]) -> list[str]:
    """The nodes in topological order, the smallest id first among those ready; short of some nodes on a cycle."""
    left = {n: len(p) for n, p in pred.items()}
    ready = [n for n, d in left.items() if d == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        n = heapq.heappop(ready)
        order.append(n)
        for c in succ[n]:
            left[c] -= 1
            if left[c] == 0:
                heapq.heappush(ready, c)
    return order


def _paths_from(succ: dict[str, set[str]], source: str) -> list[tuple[str, ...]]:
    """Every path from ``source`` to a node that feeds none (the graph is acyclic here)."""
    out: list[tuple[str, ...]] = []
    stack: list[tuple[str, ...]] = [(source,)]
    while stack:
        path = stack.pop()
        nxt = succ[path[-1]]
        if not nxt:
            out.append(path)
        stack.extend((*path, c) for c in nxt)
    return out


def _longest_into(pred: dict[str, set[str]], order: list[str], sinks: list[str]) -> list[tuple[str, ...]]:
    """The longest path into each sink (≥ 2 links), ties to the smallest id sequence; linear memory.

    No path is stored per node: each node keeps its depth (links on the longest
    path into it), the predecessor it extends and its rank among the best paths
    of its depth.  Two best paths of one depth compare as their predecessors'
    paths do, then by the last id, so ranking depth by depth decides the
    smallest id sequence exactly as comparing whole paths would.
    """
    depth: dict[str, int] = {}
    levels: dict[int, list[str]] = {}
    for n in order:  # topological: every predecessor's depth is known
        depth[n] = max((depth[p] + 1 for p in pred[n]), default=0)
        levels.setdefault(depth[n], []).append(n)
    rank: dict[str, int] = {}
    back: dict[str, str] = {}
    for d in sorted(levels):
        keyed: list[tuple[int, str]] = []
        for n in levels[d]:
            if d:
                p = min((q for q in pred[n] if depth[q] == d - 1), key=rank.__getitem__)
                back[n] = p
                keyed.append((rank[p], n))
            else:
                keyed.append((0, n))
        keyed.sort()
        rank.update((n, r) for r, (_, n) in enumerate(keyed))
    found: list[tuple[str, ...]] = []
    for s in sinks:
        if depth[s] >= 2:
            path = [s]
            while path[-1] in back:
                path.append(back[path[-1]])
            found.append(tuple(reversed(path)))
    return found


def _back_edges(succ: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Edges that close a cycle in a DFS visiting nodes and successors in id order."""
    state: dict[str, int] = {}
    back: list[tuple[str, str]] = []
    for root in sorted(succ):
        if root in state:
            continue
        stack = [(root, iter(sorted(succ[root])))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.append((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(sorted(succ[nxt]))))
    return back
