"""The list-cell rule, in one place: cells such as ``products`` or ``via`` hold several items.

Items are separated by ``;`` or the full-width ``；``; each item is trimmed
and blank items are dropped (docs/analysis.md, "Loading").  The loader
stores a normalised cell joined by :data:`SEPARATOR`.  Everything that reads
or writes such a cell (the loader, the analyses, the graph view, both Neo4j
loads) goes through the functions here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["SEPARATOR", "items", "join_lists", "split_list", "split_pairs", "stored_lists"]

#: How a normalised cell joins its items.
SEPARATOR = ";"
#: Where a cell as written splits: ``;`` or ``；``, with any spaces around it.
_SPLIT = r"\s*[;；]\s*"


def split_pairs(keys: pd.Series, lists: pd.Series, *, name: str) -> pd.DataFrame:
    """(key, item) pairs from ``;``/``；``-separated cells, blanks dropped, duplicates removed.

    >>> split_pairs(pd.Series(["a", "b"]), pd.Series(["钢; 铁", ""]), name="product").values.tolist()
    [['a', '钢'], ['a', '铁']]
    """
    import pyarrow as pa

    items, parent = _split_items(pa.array(lists.fillna(""), type=pa.string(), from_pandas=True))
    out = pd.DataFrame({
        keys.name or "id": np.asarray(keys.to_numpy())[parent],
        name: np.asarray(items.to_numpy(zero_copy_only=False), dtype=object),
    })  # fmt: skip
    return out.drop_duplicates().reset_index(drop=True)


def _split_items(cells: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """The list-cell rule in Arrow: split at ``;``/``；``, trim, drop blanks; the items and each one's row."""
    import pyarrow.compute as pc

    parts = pc.split_pattern_regex(cells, pattern=_SPLIT)
    flat = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    keep = pc.not_equal(flat, "")
    parent = pc.list_parent_indices(parts).to_numpy()[np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)]
    return flat.filter(keep), parent


def join_lists(cells: pd.Series) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Normalise ``;``/``；``-separated cells: items trimmed, blanks dropped, joined again by ``;``.

    Returns the normalised cells, every item, and each item's row position.
    Only the non-empty cells are split (in Arrow), so a mostly empty column
    costs one comparison.

    >>> joined, items, rows = join_lists(pd.Series(["", "JC-A； JC-B;", "X"]))
    >>> joined.tolist(), items.tolist(), rows.tolist()
    (['', 'JC-A;JC-B', 'X'], ['JC-A', 'JC-B', 'X'], [1, 1, 2])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(cells.fillna(""), type=pa.string(), from_pandas=True)
    filled = pc.not_equal(arr, "")
    where = np.flatnonzero(np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool))
    sub = arr.filter(filled)
    sub = sub.combine_chunks() if isinstance(sub, pa.ChunkedArray) else sub
    items, parent = _split_items(sub)
    offsets = np.concatenate([[0], np.cumsum(np.bincount(parent, minlength=len(sub)))]).astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), items), SEPARATOR)
    take = np.zeros(len(arr), dtype=np.int64)  # row → 0 (the empty string) or 1 + its place among the filled
    take[where] = np.arange(1, len(where) + 1)
    out = pa.concat_arrays([pa.array([""], type=pa.string()), joined]).take(pa.array(take))
    return (
        pd.Series(pd.array(out, dtype="str"), index=cells.index),
        pd.Series(pd.array(items, dtype="str")),
        where[parent],
    )


def split_list(values: pd.Series) -> pd.Series:
    """Each cell as the list of its items.

    Examples
    --------
    >>> split_list(pd.Series(["冷轧薄板; 钢材", "", "LED；"])).tolist()
    [['冷轧薄板', '钢材'], [], ['LED']]
    """
    import pyarrow as pa

    found, parent = _split_items(pa.array(values.fillna("").astype(str), type=pa.string(), from_pandas=True))
    out: list[list[str]] = [[] for _ in range(len(values))]
    for row, item in zip(parent.tolist(), found.to_pylist(), strict=True):
        out[row].append(item)
    return pd.Series(out, index=values.index, dtype=object)


def items(cell: object) -> list[str]:
    """The items of one cell (``None`` has none).

    >>> items(" a；b ;; "), items(None)
    (['a', 'b'], [])
    """
    return list(split_list(pd.Series([str(cell or "")])).iloc[0])


def stored_lists(values: pd.Series) -> pa.Array:
    """The cells normalised as the loader stores them, an empty cell as null (no list property).

    >>> stored_lists(pd.Series(["钢; 铁", "", "；X"])).to_pylist()
    ['钢;铁', None, 'X']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(join_lists(values)[0], type=pa.string(), from_pandas=True)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
