"""What every analysis shares: the zone, the links it considers, the makers."""

from __future__ import annotations

import difflib
import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from chaingraph.columns import isin, split_pairs
from chaingraph.errors import ChaingraphError, UnknownZoneError
from chaingraph.model import Dataset

if TYPE_CHECKING:
    import networkx as nx  # imported where used: `chaingraph savings` never needs it

__all__ = [
    "SCOPES",
    "Options",
    "closest_names",
    "considered_links",
    "local_makers",
    "money",
    "money_fen",
    "money_sum",
    "money_sum_by",
    "product_flow",
    "ratio",
    "unit_money",
    "weighted_landed",
    "zone_members",
]

SCOPES = ("zone", "city", "province")


@dataclass(frozen=True)
class Options:
    """The options every analysis takes.

    Parameters
    ----------
    zone
        The zone (or city, province) Z.
    scope
        Which enterprise column names Z: ``zone``, ``city`` or ``province``.
    include_planned
        Count ``planned`` links as if active.
    local_saving_rate
        r of DOMAIN.md definition 5 (default 0.05).
    """

    zone: str
    scope: str = "zone"
    include_planned: bool = False
    local_saving_rate: float = 0.05

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ChaingraphError(f"unknown scope {self.scope!r}; use one of {', '.join(SCOPES)}.")
        if not (0.0 <= self.local_saving_rate < 1.0) or math.isnan(self.local_saving_rate):
            raise ChaingraphError(f"--local-saving-rate must be in [0, 1), not {self.local_saving_rate}.")

    @property
    def statuses(self) -> tuple[str, ...]:
        """The link statuses that count as active."""
        return ("active", "planned") if self.include_planned else ("active",)


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


def closest_names(name: str, names: list[str]) -> list[str]:
    """All ``names``, the ones most like ``name`` first.

    >>> closest_names("晋城", ["高平经开区", "晋城经开区", "深圳市"])[0]
    '晋城经开区'
    """

    def key(n: str) -> tuple[int, float, str]:
        contained = name in n or n in name
        return (0 if contained else 1, -difflib.SequenceMatcher(None, name, n).ratio(), n)

    return sorted(names, key=key)


def zone_members(ds: Dataset, opts: Options) -> pd.Index:
    """Ids of the enterprises in Z; :class:`UnknownZoneError` when Z is absent."""
    col = ds.column(opts.scope)
    mask = (col == opts.zone).to_numpy()
    if not mask.any():
        names = sorted({str(v) for v in col.unique() if str(v)})
        raise UnknownZoneError(opts.zone, scope=opts.scope, candidates=closest_names(opts.zone, names))
    return pd.Index(ds.enterprises["id"].to_numpy()[mask])


def considered_links(ds: Dataset, opts: Options, members: pd.Index | None = None) -> pd.DataFrame:
    """The active (and with ``include_planned`` planned) links that touch Z, flagged ``s_in``/``b_in``.

    Only links with the supplier or the buyer in Z are returned: every
    per-zone figure is computed from them.  Zone membership is read from
    integer zone codes computed once per dataset, so asking about many zones
    costs one pass over the links each.  ``members`` is accepted for
    compatibility and not needed.
    """
    _, sup, buy = ds.link_zone_codes(opts.scope)
    loc = ds.zone_code(opts.scope, opts.zone)
    s_in = sup == loc
    b_in = buy == loc
    rows = np.flatnonzero(ds.status_mask(opts.statuses) & (s_in | b_in))
    return ds.links.iloc[rows].assign(s_in=s_in[rows], b_in=b_in[rows])


def local_makers(ds: Dataset, act: pd.DataFrame, members: pd.Index) -> pd.DataFrame:
    """(product, maker) for makers in Z: listed products plus products sold on ``act``.

    Sorted by product, then the maker's value sold of the product (largest
    first), then id; column ``sold`` is that value.
    """
    ent = ds.enterprises
    own = isin(ent["id"], members)  # split only the zone's product lists, not every firm's
    listed = split_pairs(ent["id"][own], ent["products"][own], name="product")
    listed = listed.rename(columns={"id": "maker"}).assign(sold=0.0)
    sold = (
        act[act["s_in"]]
        .groupby(["product", "supplier_id"], sort=False, observed=True)["value"]
        .sum()
        .reset_index()
        .rename(columns={"supplier_id": "maker", "value": "sold"})
    )
    both = pd.concat([listed[["product", "maker", "sold"]], sold], ignore_index=True)
    both = both.groupby(["product", "maker"], sort=False)["sold"].sum().reset_index()
    return both.sort_values(["product", "sold", "maker"], ascending=[True, False, True], kind="stable").reset_index(
        drop=True
    )


def product_flow(ds: Dataset, act: pd.DataFrame, *, chains_only: str | None = None) -> nx.DiGraph:
    """The product flow graph of DOMAIN.md: P → Q when a firm buys P and sells Q, plus chains.csv rows.

    With ``chains_only`` set to a chain's name, only that chain's chains.csv
    rows are used (U is taken inside the chain).
    """
    import networkx as nx

    g: nx.DiGraph = nx.DiGraph()
    if chains_only is not None:
        rows = ds.chains[ds.chains["chain"] == chains_only] if ds.chains is not None else None
        if rows is not None:
            g.add_nodes_from(rows["product"].tolist())
            feeds = rows[rows["input"] != ""]
            g.add_edges_from(zip(feeds["input"].tolist(), feeds["product"].tolist(), strict=True))
        return g
    bought = act[["buyer_id", "product"]].drop_duplicates().rename(columns={"buyer_id": "firm", "product": "p"})
    sold = act[["supplier_id", "product"]].drop_duplicates().rename(columns={"supplier_id": "firm", "product": "q"})
    pairs = bought.merge(sold, on="firm")[["p", "q"]]
    pairs = pairs[pairs["p"] != pairs["q"]].drop_duplicates()
    g.add_nodes_from(pd.unique(act["product"]).tolist())
    g.add_edges_from(zip(pairs["p"].tolist(), pairs["q"].tolist(), strict=True))
    if ds.chains is not None:
        g.add_nodes_from(ds.chains["product"].tolist())
        feeds = ds.chains[ds.chains["input"] != ""]
        g.add_edges_from(zip(feeds["input"].tolist(), feeds["product"].tolist(), strict=True))
    return g


def weighted_landed(links: pd.DataFrame, by: list[str]) -> pd.Series:
    """Value-weighted mean landed cost per group.

    Where a group's values sum to 0 the plain mean is used instead.
    """
    frame = links.assign(_w=links["value"] * links["landed"])
    g = frame.groupby(by, sort=False, observed=True).agg(_w=("_w", "sum"), _v=("value", "sum"), _m=("landed", "mean"))
    return (g["_w"] / g["_v"]).where(g["_v"] > 0, g["_m"])
