"""Fast lookups on pandas' Arrow-backed string columns: membership and positions, hashed in C++."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sized
from typing import Any, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T", bound=Sized)
R = TypeVar("R")

__all__ = ["IdTable", "isin", "positions", "positions_of"]


def isin(values: pd.Series, members: Iterable[str] | pd.Index | pd.Series) -> np.ndarray:
    """``values.isin(members)`` as a boolean array, through pyarrow's hash join when it can.

    pandas' ``isin`` on Arrow strings falls back to a Python loop; pyarrow's
    ``is_in`` is a vectorised hash lookup (30× faster on a million rows).

    >>> isin(pd.Series(["a", "b", ""]), ["b"]).tolist()
    [False, True, False]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        haystack = pa.array(
            list(members) if not isinstance(members, pd.Index | pd.Series) else members, type=pa.string()
        )
        arr = pa.array(values, type=pa.string(), from_pandas=True)
        return np.asarray(
            pc.fill_null(pc.is_in(arr, value_set=haystack), False).to_numpy(zero_copy_only=False), dtype=bool
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # pragma: no cover (non-string input)
        return np.asarray(values.isin(list(members)), dtype=bool)


def positions(values: pd.Series, keys: pd.Series | pd.Index) -> np.ndarray:
    """Where each of ``values`` first occurs in ``keys`` (``-1``: absent), as ``Index.get_indexer`` does.

    pyarrow's ``index_in`` hashes in C++; pandas' ``get_indexer`` on Arrow
    strings converts both sides to Python objects first (2 s for 4M lookups).

    >>> positions(pd.Series(["b", "x", "a"]), pd.Series(["a", "b"])).tolist()
    [1, -1, 0]
    """
    return positions_of((values,), keys)[0]


def positions_of(columns: tuple[pd.Series, ...], keys: pd.Series | pd.Index) -> list[np.ndarray]:
    """:func:`positions` for several columns at once: ``keys`` is hashed once, not once per column.

    >>> [a.tolist() for a in positions_of((pd.Series(["b"]), pd.Series(["a", "c"])), pd.Series(["a", "b"]))]
    [[1], [0, -1]]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arrays = [pa.array(c, type=pa.large_string(), from_pandas=True) for c in columns]
        chunks = [a for arr in arrays for a in (arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr])]
        value_set = pa.array(keys, type=pa.large_string(), from_pandas=True)

        def look_up(part: list[pa.Array]) -> np.ndarray:
            found = pc.index_in(pa.chunked_array(part, type=pa.large_string()), value_set=value_set)
            return np.asarray(pc.fill_null(found, -1).to_numpy(), dtype=np.int64)

        flat = np.concatenate(_in_halves(look_up, chunks)) if chunks else np.zeros(0, dtype=np.int64)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # pragma: no cover (non-string input)
        flat = np.concatenate([np.asarray(pd.Index(keys).get_indexer(c), dtype=np.int64) for c in columns])
    return np.split(flat, np.cumsum([len(c) for c in columns])[:-1])


def _in_halves(work: Callable[[list[T]], R], chunks: list[T]) -> list[R]:
    """``work`` over the two halves of ``chunks`` in two threads (Arrow's kernels release the GIL).

    ``index_in`` runs on one core; a million lookups or more are worth the
    second.  Results come back in order.
    """
    from concurrent.futures import ThreadPoolExecutor

    if len(chunks) < 2 or sum(len(c) for c in chunks) < 1_000_000:
        return [work(chunks)]
    half = len(chunks) // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(work, [chunks[:half], chunks[half:]]))


class IdTable:
    """Text ids hashed once into an open-addressing table, added piece by piece, looked up many times.

    :func:`positions_of` hashes its ``keys`` on every call (pyarrow's ``index_in`` keeps no table): 16.7M
    enterprise ids take 8 s to hash, once per piece of a province's links file.  This table hashes each id
    once, as it is added (:meth:`add`, which also says where an id was first added: the duplicate check
    across pieces), and then looks up any number of values (:meth:`positions`) at the cost of the lookups
    alone.  Positions count every id added, duplicates included, in order; a lookup gives an id's first
    position, as :func:`positions` does.

    The hash is DuckDB's 64-bit ``hash``; a hash never decides alone: a match is checked on the text itself,
    so two ids with one hash are still two ids.

    Examples
    --------
    >>> t = IdTable()
    >>> t.add(pd.Series(["a", "b", "a"])).tolist()
    [0, 1, 0]
    >>> t.add(pd.Series(["c", "b"])).tolist()
    [3, 1]
    >>> t.positions(pd.Series(["b", "x", "c", "a"])).tolist()
    [1, -1, 3, 0]
    >>> len(t), t.keys().to_pylist()
    (5, ['a', 'b', 'a', 'c', 'b'])
    """

    def __init__(self) -> None:
        self._chunks: list[Any] = []  # pa.Array pieces of every id added
        self._keys: Any = None  # their concatenation, made once no more are added
        self._hashes: list[np.ndarray] = []
        self._all: np.ndarray | None = None
        self._n = 0
        self._unique = 0
        self._slots = np.full(1 << 10, -1, dtype=np.int64)
        self._by_case: pd.Series | None = None
        self._by_case_n = 0
        self._con: Any = None  # the DuckDB connection that hashes

    def __len__(self) -> int:
        return self._n

    def keys(self) -> Any:
        """Every id added, in order (one ``pa.large_string`` array)."""
        import pyarrow as pa

        if self._keys is None or len(self._keys) != self._n:
            self._keys = pa.concat_arrays(self._chunks) if self._chunks else pa.array([], type=pa.large_string())
            self._chunks = [self._keys]
        return self._keys

    def _hashes_all(self) -> np.ndarray:
        if self._all is None or len(self._all) != self._n:
            self._all = np.concatenate(self._hashes) if self._hashes else np.zeros(0, dtype=np.uint64)
            self._hashes = [self._all]
        return self._all

    def by_case(self) -> pd.Series:
        """The first id added for each id in lower case (for "did you mean" hints), made once."""
        if self._by_case is None or self._by_case_n != self._n:
            known = pd.Series(pd.array(self.keys(), dtype="str"))
            self._by_case = pd.Series(known.to_numpy(), index=pd.Index(known.str.lower())).groupby(level=0).first()
            self._by_case_n = self._n
        return self._by_case

    @staticmethod
    def _text(values: Any) -> Any:
        import pyarrow as pa

        if isinstance(values, pa.Array | pa.ChunkedArray):
            arr = values
        else:
            arr = pa.array(values, type=pa.large_string(), from_pandas=True)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
        return arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr

    def _hash(self, arr: Any) -> np.ndarray:
        import duckdb
        import pyarrow as pa

        if self._con is None:
            self._con = duckdb.connect()
        con = self._con
        con.register("ids_in", pa.table({"v": arr}))
        try:
            out = con.sql("SELECT hash(v) AS h FROM ids_in").to_arrow_table().column("h")
        finally:
            con.unregister("ids_in")
        return np.asarray(out.to_numpy(), dtype=np.uint64)

    def _same_text(self, values: Any, rows: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Whether ``values[rows]`` equal the ids added at positions ``at``."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not len(rows):
            return np.zeros(0, dtype=bool)
        theirs = (self._keys if self._keys is not None and len(self._keys) == self._n
                  else pa.chunked_array(self._chunks, type=pa.large_string())).take(pa.array(at))  # fmt: skip
        mine = values.take(pa.array(rows))
        return np.asarray(pc.equal(mine, theirs).to_numpy(zero_copy_only=False), dtype=bool)

    def _probe(self, values: Any, hashes: np.ndarray, at: np.ndarray | None, *, keyed: bool = False) -> np.ndarray:
        """Each value's position in the table (linear probing), ``-1``: absent.

        With ``at`` (the values' own positions, ascending) the absent ones are put in: the result is then a
        value's own position when it is new, an earlier one's when its id is there already.  Equal ids have
        equal hashes, so they reach the same free slot in the same round: the first of them takes it (the
        writes go in reverse, and the last write wins) and the others find it there.  ``keyed``: ``values``
        are all the ids added, value ``i`` at position ``at[i]`` (the table put again, larger).
        """
        mask = len(self._slots) - 1
        found = np.full(len(hashes), -1, dtype=np.int64)
        slot = (hashes & np.uint64(mask)).astype(np.int64)
        known = self._hashes_all()
        pending = np.arange(len(hashes))
        while len(pending):
            s = slot[pending]
            e = self._slots[s]
            empty = e < 0
            if at is not None and empty.any():
                claim = pending[empty][::-1]
                self._slots[slot[claim]] = at[claim]
                e = self._slots[s]
                mine = e == at[pending]
                found[pending[mine]] = e[mine]
                empty = np.zeros(len(pending), dtype=bool)
            else:
                mine = np.zeros(len(pending), dtype=bool)
            cand = np.flatnonzero(~empty & ~mine & (known[np.where(empty, 0, e)] == hashes[pending]))
            if len(cand):
                rows = pending[cand]
                same = self._same_text(values, at[rows] if keyed and at is not None else rows, e[cand])
                found[rows[same]] = e[cand[same]]
            done = empty | (found[pending] >= 0)
            pending = pending[~done]
            slot[pending] = (slot[pending] + 1) & mask
        return found

    def _grow(self, unique: int) -> None:
        """Room for ``unique`` ids at a load of at most one half: a table four times larger, the ids put again."""
        size = len(self._slots)
        if 2 * unique <= size:
            return
        while 2 * unique > size:
            size *= 4
        at = np.sort(self._slots[self._slots >= 0])
        self._slots = np.full(size, -1, dtype=np.int64)
        if len(at):
            self._probe(self.keys(), self._hashes_all()[at], at, keyed=True)

    def add(self, values: Any, *, expect: int = 0) -> np.ndarray:
        """Add ``values`` (positions ``len(self)`` on); per value, the position where its id was first added.

        A value's own position when it is new, an earlier one when it was added before (a duplicate).
        ``expect``: how many ids are likely to be added in all (the table is sized for them at once).
        """
        arr = self._text(values)
        n = len(arr)
        base = self._n
        if not n:
            return np.zeros(0, dtype=np.int64)
        hashes = self._hash(arr)
        self._grow(max(self._unique + n, expect))
        self._chunks.append(arr)
        self._hashes.append(hashes)
        self._n += n
        first = self._probe(arr, hashes, np.arange(base, base + n, dtype=np.int64))
        self._unique += int(np.count_nonzero(first >= base))
        return first

    def positions(self, values: Any) -> np.ndarray:
        """Where each value was first added (``-1``: never), as :func:`positions` against every id added."""
        arr = self._text(values)
        if not len(arr) or not self._n:
            return np.full(len(arr), -1, dtype=np.int64)
        self.keys()
        return self._probe(arr, self._hash(arr), None)

    def positions_of(self, columns: tuple[pd.Series, ...]) -> list[np.ndarray]:
        """:meth:`positions` for several columns, as :func:`positions_of`."""
        return [self.positions(c) for c in columns]
