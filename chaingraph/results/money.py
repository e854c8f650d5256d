"""Money and ratios as every result rounds them: amounts to the fen, unit prices and ratios to 6 places, sums exact."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

__all__ = [
    "money",
    "money_fen",
    "money_sum",
    "money_sum_by",
    "money_sum_groups",
    "ratio",
    "ratios",
    "rounded",
    "unit_money",
]


def money(x: float | None) -> float | None:
    """Yuan rounded to the fen; ``None`` stays ``None``.

    >>> money(450.004)
    450.0
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x) + 0.0, 2) + 0.0


def unit_money(x: float | None) -> float | None:
    """A price per unit (yuan) to 6 decimal places: a part at 0.0035 元 is not shown as 0.

    Amounts (values, totals, annual savings) round to the fen with :func:`money`;
    unit prices and unit savings keep six places, since a fen is more than the
    whole price of a resistor.

    >>> unit_money(0.0046 - 0.0035), unit_money(3181.8181818), unit_money(None)
    (0.0011, 3181.818182, None)
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x) + 0.0, 6) + 0.0


def ratio(num: float, den: float) -> float | None:
    """``num / den`` rounded to 6 places, ``None`` when ``den`` is 0.

    >>> ratio(450, 3300), ratio(1, 0)
    (0.136364, None)
    """
    if den == 0 or math.isnan(den) or math.isnan(num):
        return None
    return round(num / den, 6) + 0.0


def rounded(values: np.ndarray, digits: int) -> np.ndarray:
    """Python's ``round(x, digits)`` of every value, vectorised and exactly equal (NaN stays NaN).

    ``rint(x * 10**digits) / 10**digits`` is the float nearest the decimal that
    Python's correctly rounded ``round`` gives, except where ``x * 10**digits``
    lies within a float's spacing of a half (or is too large for its integer
    part to be exact); those few are rounded by ``round`` itself.  So
    :func:`money` and :func:`unit_money` of a column cost one pass of numpy,
    not a Python call per row.

    >>> rounded(np.array([0.125, 2.675, 0.0046 - 0.0035, -0.001, 1e300, np.nan]), 2).tolist()
    [0.12, 2.67, 0.0, -0.0, 1e+300, nan]
    >>> [round(x, 2) for x in (0.125, 2.675, 0.0046 - 0.0035, -0.001, 1e300)]
    [0.12, 2.67, 0.0, -0.0, 1e+300]
    """
    x = np.asarray(values, dtype="float64")
    scale = 10.0**digits
    scaled = x * scale
    with np.errstate(invalid="ignore"):
        out = np.rint(scaled) / scale
        big = np.abs(scaled) >= 2.0**52
        near = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) <= np.maximum(1e-9, 8 * np.spacing(np.abs(scaled)))
    for i in np.flatnonzero((near | big) & np.isfinite(x)).tolist():
        out[i] = round(float(x[i]), digits)
    return out


def ratios(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """:func:`ratio` of each pair, vectorised: NaN where :func:`ratio` gives ``None`` (``den`` 0, or a NaN).

    >>> ratios(np.array([450.0, 1.0, np.nan]), np.array([3300.0, 0.0, 2.0])).tolist()
    [0.136364, nan, nan]
    """
    n, d = np.asarray(num, dtype="float64"), np.asarray(den, dtype="float64")
    bad = (d == 0) | np.isnan(d) | np.isnan(n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # as Python: 1e300 / 1e-300 is inf
        q = np.where(bad, np.nan, n / np.where(bad, 1.0, d))
    return rounded(q, 6) + 0.0


def money_sum(values: pd.Series | np.ndarray | list[float]) -> float:
    """The exact sum of yuan amounts (NaN left out), as one float: nothing is rounded to the fen.

    :func:`math.fsum` sums the values as read without losing a digit and
    rounds once, to the nearest float; the result does not depend on the
    order of the values, so every engine and every grouping that sums the
    same amounts gets the same figure.  Output rounds it to the fen
    (:func:`money`), once.

    >>> money_sum(pd.Series([0.1] * 10)), money_sum([0.0035] * 3), money_sum([])
    (1.0, 0.0105, 0.0)
    """
    arr = np.asarray(values, dtype="float64")
    return math.fsum(arr[~np.isnan(arr)].tolist()) + 0.0


def money_sum_by(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """:func:`money_sum` of ``values`` per code ``0..n-1`` (codes outside that range are left out).

    >>> money_sum_by(np.array([1, 0, 1, 5]), np.array([0.0035, 2.0, 0.0046, 9.0]), 2).tolist()
    [2.0, 0.0081]
    """
    codes = np.asarray(codes)
    vals = np.nan_to_num(np.asarray(values, dtype="float64"), nan=0.0)
    keep = (codes >= 0) & (codes < n)
    codes, vals = codes[keep], vals[keep]
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n + 1))
    sorted_vals = vals[order]
    sums = [math.fsum(sorted_vals[a:b].tolist()) for a, b in itertools.pairwise(bounds.tolist())]
    return np.array(sums, dtype="float64") + 0.0


def money_sum_groups(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """:func:`money_sum` of each of ``columns`` per group of ``keys``: ``groupby(keys, sort=False).sum()``, exact.

    Groups in order of first appearance, indexed by the keys, as pandas'
    ``groupby(..., sort=False)`` gives them; rows with a missing key are left
    out.  Every per-group sum of the analyses is this one (docs/analysis.md,
    "Money"), so each equals :func:`math.fsum` of the group's terms whatever
    their order, and the SQL engines' exact sums
    (:mod:`chaingraph.relational`) give the same float.

    >>> f = pd.DataFrame({"p": ["a", "a", "a", "a"], "v": [980737.2, 961657.19, 724789.94, 541226.86]})
    >>> money_sum_groups(f, ["p"], ["v"])["v"].tolist(), f.groupby("p", sort=False)["v"].sum().tolist()
    ([3208411.19], [3208411.1899999995])
    """
    g = frame.groupby(keys, sort=False, observed=True)
    index = g.size().index
    codes = g.ngroup().to_numpy()
    n = len(index)
    return pd.DataFrame(
        {c: money_sum_by(codes, frame[c].to_numpy(dtype="float64", na_value=np.nan), n) for c in columns}, index=index
    )


def money_fen(values: np.ndarray) -> np.ndarray:
    """Integer fen of each amount as :func:`money` rounds it (NaN counts 0), vectorised.

    ``rint(x * 100)`` agrees with Python's decimal rounding except where
    ``x * 100`` lies within a float's spacing of a half fen; those few are
    rounded by :func:`money` itself, so the result is exact.

    >>> money_fen(np.array([0.125, 2.675, 1e9 / 3, np.nan])).tolist()
    [12, 267, 33333333333, 0]
    """
    x = np.nan_to_num(np.asarray(values, dtype="float64"), nan=0.0)
    scaled = x * 100
    fen = np.rint(scaled)
    near = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) <= np.maximum(1e-9, 8 * np.spacing(np.abs(scaled)))
    for i in np.flatnonzero(near).tolist():
        fen[i] = round((money(float(x[i])) or 0.0) * 100)
    return fen.astype(np.int64)
