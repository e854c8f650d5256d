"""One relational formulation of closure, savings, gaps and the all-zones summary: SQL over three relations.

The ``.sql`` files beside this module are the analyses of docs/analysis.md
(definitions 1–6) over the relations ``enterprises``, ``links`` and
``chains`` of :mod:`chaingraph.model`'s column contract (plus ``rn``, the
link's row number, and two views each engine defines for the list cells:
``listed(id, product)`` and ``industries(id, chain)``).  The same text runs
on DuckDB (:mod:`chaingraph.duckdb_engine`) and on Spark SQL
(:mod:`chaingraph.spark_engine`): it is written in the subset both accept,
so no transpiler runs (sqlglot would add its import and a transpile per
query for the two differences that remain, the parameter marker and the
list split, both handled here and in each engine's two views).

Parameters are bound, never formatted into the text: ``:zone``,
``:scope`` (``zone``/``city``/``province``, chosen with ``CASE``),
``:planned`` (``--include-planned``) and ``:rate``.  :func:`sql` turns the
marker into the engine's own (``$zone`` for DuckDB, ``:zone`` for Spark).

Exact sums
----------
A plain ``SUM`` over DOUBLE rounds after every addition, in an order the
engine chooses; the in-memory engine's sums are exact (``math.fsum``,
rounded once, docs/analysis.md "Money").  ``EXACT_SUM(expr) AS name``
expands into six integer sums: chunk k of a non-negative double x is the
integer ``floor((x * 2^-b_k) mod 2^32)`` for b_k = 64, 32, 0, -32, -64,
-96 (every step exact in IEEE arithmetic), summed as BIGINT (exact below
2^31 terms).  ``Σ chunk_k · 2^b_k`` is then the exact sum of every term
whose bits lie in [2^-96, 2^96) — a money amount from 10^-14 to 10^28 元 —
and :func:`exact_values` rounds it once to the nearest float (Python's
integer division is correctly rounded), which is what ``math.fsum`` gives.
A further column counts the terms outside that range (non-zero when there is one); :func:`exact_values`
raises :class:`InexactSum` when there is one, so a figure is never
silently off.  Chunk sums add as integers, so a sum of sums stays exact.
``EXACT(alias.name)`` passes the chunk columns of ``name`` on.

On DuckDB the same six columns come from two HUGEINT sums instead of six chunk sums: the whole part
``floor(x)`` (below 2^96) and the fraction ``(x - floor(x)) * 2^96`` (a whole number below 2^96
where x has no bit below 2^-96), each exact in IEEE arithmetic and cast exactly; fewer than 2^31
terms sum below 2^127, and each total is split into the chunk columns at 2^64, 2^32 and 2^0 (of
2^0 and of 2^-96), so everything downstream reads one layout.  The refusal is a flag there, not a
count: ``MIN(x) < 0``, ``MAX(x) >= 2^96`` (NaN sorts above), or a fraction's remainder summing
above zero (non-negative terms: a sum is zero only when every term is).  The all-zones summary at
10M links: 7.6 s with six chunk sums, 5.9 s with two.  Spark keeps the six: chunk k of x is
``floor((x * 2^-b_k) % 2^32)``, summed as BIGINT (its ``floor`` of a double is a BIGINT, and
it has no 128-bit integer).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CHUNKS", "InexactSum", "exact_columns", "exact_sum_groups", "exact_sums_by", "exact_values", "float_values",
           "sql"]  # fmt: skip

#: The low bit of each 32-bit chunk of an exact sum, highest first.
CHUNKS = (64, 32, 0, -32, -64, -96)
_LOW = CHUNKS[-1]


class InexactSum(ArithmeticError):
    """A summed term lies outside the range the chunked integer sums hold exactly (see the module's text)."""


def _lit(x: float) -> str:
    return repr(float(x)).replace("e", "E") if "e" in repr(float(x)) else repr(float(x)) + "E0"


def _exact_sum(expr: str, name: str, *, dialect: str = "duckdb") -> str:
    if dialect == "duckdb":
        return _exact_sum_duckdb(expr, name)
    parts = [
        f"CAST(SUM(CAST(floor((({expr}) * {_lit(2.0**-b)}) % 4.294967296E9) AS BIGINT)) AS BIGINT) AS {name}__{k}"
        for k, b in enumerate(CHUNKS)
    ]
    scaled = f"(({expr}) * {_lit(2.0**96)})"
    bad = (
        f"SUM(CASE WHEN ({expr}) < 0.0E0 OR ({expr}) >= {_lit(2.0**96)} OR {scaled} % 1.0E0 <> 0.0E0 "
        f"THEN 1 ELSE 0 END) AS {name}__bad"
    )
    return ", ".join([*parts, bad])


def _exact_sum_duckdb(expr: str, name: str) -> str:
    """DuckDB's form: two HUGEINT sums (whole parts; fractions × 2^96) laid out as the six chunk columns."""
    x = f"(CASE WHEN ({expr}) >= 0.0E0 AND ({expr}) < {_lit(2.0**96)} THEN ({expr}) ELSE 0.0E0 END)"
    low = f"(({x} - floor({x})) * {_lit(2.0**96)})"
    columns = []
    for total in (f"SUM(CAST(floor({x}) AS HUGEINT))", f"SUM(CAST({low} AS HUGEINT))"):
        columns += [f"CAST({total} >> 64 AS BIGINT)", f"CAST(({total} >> 32) & 4294967295 AS BIGINT)",
                    f"CAST({total} & 4294967295 AS BIGINT)"]  # fmt: skip
    bad = (
        f"CAST(COALESCE(MIN({expr}) < 0.0E0 OR MAX({expr}) >= {_lit(2.0**96)} OR SUM({low} - floor({low})) > 0.0E0, "
        f"FALSE) AS BIGINT)"
    )
    return ", ".join(f"{c} AS {name}__{k}" for k, c in [*enumerate(columns), ("bad", bad)])


def _exact(ref: str, name: str) -> str:
    return ", ".join(f"{ref}__{k} AS {name}__{k}" for k in [*range(len(CHUNKS)), "bad"])


def _balanced(text: str, start: int) -> int:
    """Index just past the parenthesis closing the one at ``start``."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    raise ValueError(f"unbalanced parentheses from {text[start : start + 40]!r}")


def _expand(text: str, *, dialect: str = "duckdb") -> str:
    """``@include(name)``, ``EXACT_SUM(expr) AS name`` and ``EXACT(ref) [AS name]`` expanded for ``dialect``."""
    text = re.sub(r"@include\((\w+)\)", lambda m: _text(m.group(1)).strip(), text)
    for macro in ("EXACT_SUM", "EXACT"):
        pat = re.compile(rf"\b{macro}\(")
        while (m := pat.search(text)) is not None:
            end = _balanced(text, m.end() - 1)
            inner = text[m.end() : end - 1].strip()
            alias = re.match(r"\s+AS\s+(\w+)", text[end:])
            name = alias.group(1) if alias else inner.rsplit(".", 1)[-1]
            stop = end + (alias.end() if alias else 0)
            text = (
                text[: m.start()]
                + (_exact_sum(inner, name, dialect=dialect) if macro == "EXACT_SUM" else _exact(inner, name))
                + text[stop:]
            )
    return text


@cache
def _text(name: str) -> str:
    """``<name>.sql`` without its comment lines."""
    text = resources.files(__name__).joinpath(f"{name}.sql").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


@cache
def sql(name: str, *, dialect: str) -> str:
    """The text of ``<name>.sql`` for ``dialect`` (``duckdb`` or ``spark``), macros expanded.

    >>> "$zone" in sql("closure_groups", dialect="duckdb"), ":zone" in sql("closure_groups", dialect="spark")
    (True, True)
    """
    if dialect not in ("duckdb", "spark"):
        raise ValueError(f"unknown SQL dialect {dialect!r}")
    text = _expand(_text(name), dialect=dialect)
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"$\1", text) if dialect == "duckdb" else text


def exact_columns(frame: pd.DataFrame | Mapping[str, np.ndarray], name: str) -> list[str]:
    """The chunk columns of exact sum ``name`` in ``frame``."""
    return [f"{name}__{k}" for k in range(len(CHUNKS))]


def float_values(values: Any) -> np.ndarray:
    """A number column as float64, NaN for NULL: a frame's column (NaN or NA for NULL) or a fetched one (masked
    where NULL), as :func:`_whole_numbers` reads the exact chunks.

    >>> float_values(np.ma.masked_array([1, 2], mask=[False, True])).tolist()
    [1.0, nan]
    >>> float_values(np.array([None, 2.5], dtype=object)).tolist()
    [nan, 2.5]
    """
    if hasattr(values, "to_numpy"):  # a frame's column: NaN or NA for NULL
        return np.asarray(values.to_numpy(dtype="float64", na_value=np.nan))
    if isinstance(values, np.ma.MaskedArray):
        return np.ma.filled(values.astype("float64"), np.nan)
    values = np.asarray(values)
    if values.dtype.kind in "fiu":
        return values.astype("float64")
    return np.array([np.nan if x is None else float(x) for x in values.tolist()], dtype="float64")


def _whole_numbers(column: Any) -> np.ndarray:
    """A chunk or count column as int64 (exactly: never through a float), 0 for NULL: a frame's column (NaN or NA
    for NULL) or a fetched one (:meth:`~chaingraph.relational.engine.SqlBackend._fetch`: masked where NULL)."""
    if isinstance(column, np.ma.MaskedArray):
        return np.ma.filled(column, 0).astype(np.int64)
    if hasattr(column, "to_numpy"):  # a frame's column: int64, Int64 or float64 with NaN, or Python ints
        return np.asarray(column.to_numpy(dtype=np.int64, na_value=0))
    values = np.asarray(column)
    if values.dtype.kind in "iu":
        return values.astype(np.int64)
    if values.dtype.kind == "f":  # a frame's column fetched as an array (Spark): NaN for NULL
        return np.nan_to_num(values, nan=0.0).astype(np.int64)
    return np.array([0 if v is None or v != v else int(v) for v in values.tolist()], dtype=np.int64)


def exact_values(frame: pd.DataFrame | Mapping[str, np.ndarray], name: str) -> np.ndarray:
    """Each row's exact sum ``name`` as the nearest float (0.0 where nothing was summed).

    ``frame`` is a frame or fetched columns (column name → array), the chunk columns of ``name`` among them.
    Raises :class:`InexactSum` when a summed term lay outside the exact range.

    >>> f = pd.DataFrame({f"v__{k}": [0] for k in range(6)} | {"v__bad": [0]})
    >>> f.loc[0, "v__2"], f.loc[0, "v__3"] = 3, 2**31
    >>> exact_values(f, "v").tolist()
    [3.5]
    >>> exact_values({f"v__{k}": np.array([3 if k == 2 else 0]) for k in range(6)}, "v").tolist()
    [3.0]
    """
    bad = f"{name}__bad"
    if bad in frame and (_whole_numbers(frame[bad]) > 0).any():
        raise InexactSum(f"a term of {name} lies outside [2^-96, 2^96) or is negative")
    columns = [frame[c] for c in exact_columns(frame, name)]
    rows = len(columns[0])
    if not rows:
        return np.zeros(0, dtype="float64")
    total = np.zeros(rows, dtype=object)
    for column, b in zip(columns, CHUNKS, strict=True):
        chunk = _whole_numbers(column)
        if chunk.any():
            total = total + (chunk.astype(object) << (b - _LOW))  # Python integers, a column at a time: exact
    return (total / 2**-_LOW).astype("float64") + 0.0  # int / int: correctly rounded, once


def exact_sums_by(
    codes: np.ndarray, frame: pd.DataFrame | Mapping[str, Any], name: str, n: int
) -> dict[str, np.ndarray]:
    """The chunk columns of exact sum ``name`` (and its ``__bad``) summed per code ``0..n-1``: integers, still exact
    (codes outside that range are left out).

    >>> f = {"v__0": [0, 0, 0], "v__1": [0, 0, 0], "v__2": [1, 2, 4], "v__3": [0, 2**31, 0], "v__4": [0] * 3,
    ...      "v__5": [0] * 3, "v__bad": [0, 0, 0]}
    >>> exact_values(exact_sums_by(np.array([1, 1, -1]), f, "v", 2), "v").tolist()
    [0.0, 3.5]
    """
    codes = np.asarray(codes)
    keep = (codes >= 0) & (codes < n)
    out = {}
    for c in [*exact_columns(frame, name), f"{name}__bad"]:
        total = np.zeros(n, dtype=np.int64)
        np.add.at(total, codes[keep], _whole_numbers(frame[c])[keep])
        out[c] = total
    return out


def exact_sum_groups(frame: pd.DataFrame, keys: list[str], names: list[str]) -> pd.DataFrame:
    """Chunk columns of ``names`` summed per group of ``keys`` (integer sums: still exact), groups sorted.

    A row's ``__bad`` counts add up too, so :func:`exact_values` still refuses an inexact sum.
    """
    cols = [c for n in names for c in [*exact_columns(frame, n), f"{n}__bad"] if c in frame]
    sums = frame[[*keys, *cols]].astype({c: "int64" for c in cols}).groupby(keys, sort=True).sum()
    return sums.reset_index()
