"""Money and ratios as every result rounds them: yuan to the fen, ratios to 6 places, sums in integer fen."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["money", "money_fen", "money_sum", "ratio"]


def money(x: float | None) -> float | None:
    """Yuan rounded to the fen; ``None`` stays ``None``.

    >>> money(450.004)
    450.0
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x) + 0.0, 2) + 0.0


def ratio(num: float, den: float) -> float | None:
    """``num / den`` rounded to 6 places, ``None`` when ``den`` is 0.

    >>> ratio(450, 3300), ratio(1, 0)
    (0.136364, None)
    """
    if den == 0 or math.isnan(den) or math.isnan(num):
        return None
    return round(num / den, 6) + 0.0


def money_sum(values: pd.Series | np.ndarray) -> float:
    """Sum yuan amounts exactly: as integer fen, then back to yuan.

    Floats summed directly drift at the last fen on millions of rows; integer
    fen (int64, exact to 9×10^13 yuan) do not.

    >>> money_sum(pd.Series([0.1] * 10))
    1.0
    """
    arr = np.asarray(values, dtype="float64")
    arr = arr[~np.isnan(arr)]
    return int(np.rint(arr * 100).astype(np.int64).sum()) / 100


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
