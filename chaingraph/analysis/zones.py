"""Every zone's headline figures in one pass (``chaingraph analyze --all-zones``).

Asking the three questions zone by zone costs hundreds of small frame
operations per zone.  The headline figures of every zone are group-bys over
the links keyed by the buyer's (or supplier's) zone code, so this module
computes them for all zones at once: one pass over the links, whatever the
number of zones.  Each figure is summed over the same rows in the same order
as the per-zone analyses sum it (exact sums, rounded once), so the two agree to the fen (the tests
compare them zone by zone).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from chaingraph.analysis.context import weighted_landed
from chaingraph.analysis.gaps import outside_half
from chaingraph.analysis.savings import potential_annual, realized_means
from chaingraph.lookup import positions
from chaingraph.model import Dataset
from chaingraph.results.analysis import SUMMARY_COLUMNS
from chaingraph.results.money import money, money_sum_by, money_sum_groups, ratio
from chaingraph.results.options import Options

__all__ = ["gap_counts", "summary_frame", "zones_summary"]


def _makers(ds: Dataset, act: pd.DataFrame, code_of_firm: np.ndarray) -> pd.DataFrame:
    """(zone code, product, maker): every maker (docs/analysis.md, definition 2), with its own zone's code."""
    listed = ds.listed_products.rename(columns={"id": "maker"})
    sold = act[["supplier_id", "product"]].rename(columns={"supplier_id": "maker"})
    both = pd.concat([listed[["maker", "product"]], sold], ignore_index=True).drop_duplicates()
    at = positions(both["maker"], ds.enterprises["id"])
    both = both.assign(code=code_of_firm[at])
    return both[both["code"] >= 0]


def zones_summary(ds: Dataset, *, opts: Options) -> pd.DataFrame:
    """One row per zone (``opts.scope``; ``opts.zone`` is ignored): :data:`~chaingraph.results.analysis.SUMMARY_COLUMNS`.

    ``local_sourcing_ratio``, ``local_value`` and ``total_value`` are
    :func:`~chaingraph.analysis.closure.closure`'s; ``total_realized`` and
    ``total_potential`` :func:`~chaingraph.analysis.savings.savings`'; ``gaps``
    counts :func:`~chaingraph.analysis.gaps.gaps`' rows, split by kind into
    ``missing``, ``weak`` and ``empty``.  Sorted by zone name; zones with an
    empty name are left out, as ``chaingraph zones`` leaves them out.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> t = zones_summary(load_dataset("data"), opts=Options(zone=""))
    >>> row = t.set_index("zone").loc["晋城经开区"]
    >>> row["local_sourcing_ratio"], float(row["total_realized"]), int(row["missing"])
    (0.097278, 15240000.0, 15)
    """
    zc = ds.index.zone_codes(opts.scope)
    names, sup, buy = zc.names, zc.supplier, zc.buyer
    n = len(names)
    links = ds.links
    code_of_firm = np.append(zc.firm, -1)  # position -1 (unknown id) picks -1
    active = ds.index.status_mask(opts.statuses)
    value = links["value"].to_numpy(dtype="float64", na_value=np.nan)
    landed = links["landed"].to_numpy(dtype="float64", na_value=np.nan)

    # Definition 1: purchases of each zone's buyers, local where the supplier shares the zone.
    into = active & (buy >= 0)
    local = into & (sup == buy)
    total_sum = money_sum_by(buy[into], value[into], n)  # exact sums, as closure's money_sum
    local_sum = money_sum_by(buy[local], value[local], n)

    # Definition 4: per (buyer, product), former outside links with a price against active local ones.
    cols = links[["buyer_id", "product", "value", "landed", "vol"]]
    former = cols.iloc[
        np.flatnonzero(ds.index.status_mask(("former",)) & (buy >= 0) & (sup != buy) & ~np.isnan(landed))
    ]
    means = realized_means(former, cols.iloc[np.flatnonzero(local & ~np.isnan(landed))])
    real_annual = (means["before"].to_numpy(dtype="float64") - means["after"].to_numpy(dtype="float64")) * means[
        "volume"
    ].to_numpy(dtype="float64")  # unrounded, as realized_row's annual_exact
    real_code = code_of_firm[positions(means["buyer_id"], ds.enterprises["id"])]
    realized_sum = money_sum_by(real_code, real_annual, n)

    # Makers per (zone, product), and whether each buyer itself makes the product.
    makers = _makers(ds, links[["supplier_id", "product"]].iloc[np.flatnonzero(active)], code_of_firm)
    n_makers = makers.groupby(["code", "product"], sort=False).size().rename("n_makers")

    # Definition 5: active outside links into a zone where another maker in the zone exists.
    outside_rows = np.flatnonzero(into & (sup != buy))
    out = cols.iloc[outside_rows].assign(code=buy[outside_rows])
    out = out.join(n_makers, on=["code", "product"])
    makes = pd.MultiIndex.from_frame(makers[["maker", "product"]])
    buyer_makes = makes.get_indexer(pd.MultiIndex.from_frame(out[["buyer_id", "product"]])) >= 0
    n_cand = out["n_makers"].fillna(0).to_numpy() - buyer_makes
    out = out[n_cand > 0]
    priced = active & (sup >= 0) & ~np.isnan(landed)
    priced_local = links[["product", "value", "landed"]].iloc[np.flatnonzero(priced)].assign(code=sup[priced])
    ref = weighted_landed(priced_local, ["code", "product"]).rename("reference")
    out = out.join(ref, on=["code", "product"])
    _, _, _, annual = potential_annual(
        out["value"].to_numpy(dtype="float64"),
        out["landed"].to_numpy(dtype="float64", na_value=np.nan),
        out["vol"].to_numpy(dtype="float64", na_value=np.nan),
        out["reference"].to_numpy(dtype="float64", na_value=np.nan),
        rate=opts.local_saving_rate,
    )
    potential_sum = money_sum_by(out["code"].to_numpy(), annual, n)  # unrounded, as potential_row's annual_exact

    # Definition 6: per (zone, product) bought by the zone, demand from outside against makers.
    bought = links[["product", "value"]].iloc[np.flatnonzero(into)].assign(code=buy[into], outside=(sup != buy)[into])
    per = money_sum_groups(bought, ["code", "product"], ["value"]).rename(columns={"value": "purchase"})
    per["demand"] = money_sum_groups(bought[bought["outside"]], ["code", "product"], ["value"])["value"].reindex(
        per.index
    )
    per["demand"] = per["demand"].fillna(0.0)
    per = per.join(n_makers)
    codes = per.index.get_level_values("code").to_numpy()
    stages = pd.unique(ds.index.chain_stages["product"].to_numpy()) if ds.chains is not None else None
    covered = None
    if stages is not None:
        covered = np.bincount(
            makers[makers["product"].isin(stages)].drop_duplicates(["code", "product"])["code"].to_numpy(),
            minlength=n,
        )
    missing, weak, empty = gap_counts(
        codes,
        per.index.get_level_values("product").to_numpy(),
        demand=per["demand"].to_numpy(),
        purchase=per["purchase"].to_numpy(),
        n_makers=per["n_makers"].fillna(0).to_numpy(),
        n=n,
        stages=stages,
        covered=covered,
    )
    return summary_frame(
        [str(z) for z in names],
        local=local_sum,
        total=total_sum,
        realized=realized_sum,
        potential=potential_sum,
        missing=missing,
        weak=weak,
        empty=empty,
    )


def gap_counts(
    codes: np.ndarray,
    products: np.ndarray,
    *,
    demand: np.ndarray,
    purchase: np.ndarray,
    n_makers: np.ndarray,
    n: int,
    stages: Any = None,
    covered: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each zone's gap counts by kind (docs/analysis.md, definition 6), from per (zone, product) sums.

    One row per (zone code, product) the zone buys: ``demand`` from outside,
    ``purchase`` in all and ``n_makers`` the zone's makers of it.  A missing
    link has outside demand and no maker; a weak one a single maker with at
    least half the purchase bought outside.  With a chain map (``stages``,
    its products, and ``covered``, the number of them each zone makes), an
    empty stage is one the zone neither makes nor counts as missing.

    Examples
    --------
    >>> import numpy as np
    >>> m, w, e = gap_counts(np.array([0, 0, 1]), np.array(["钢", "铝", "钢"], dtype=object),
    ...                      demand=np.array([5.0, 3.0, 0.0]), purchase=np.array([5.0, 4.0, 2.0]),
    ...                      n_makers=np.array([0, 1, 1]), n=2, stages=["钢", "铜"], covered=np.array([0, 1]))
    >>> m.tolist(), w.tolist(), e.tolist()
    ([1, 0], [1, 0], [1, 1])
    """
    is_missing = (demand > 0) & (n_makers == 0)
    half_outside = outside_half(demand, purchase)
    missing = np.bincount(codes[is_missing], minlength=n)
    weak = np.bincount(codes[(n_makers == 1) & half_outside], minlength=n)
    if stages is None or covered is None:
        return missing, weak, np.zeros(n, dtype=np.int64)
    stage_set = pd.unique(np.asarray(stages, dtype=object))
    in_stages = pd.Series(products, dtype=object).isin(stage_set).to_numpy()
    empty = len(stage_set) - covered - np.bincount(codes[is_missing & in_stages], minlength=n)
    return missing, weak, empty


def summary_frame(
    names: list[str],
    *,
    local: np.ndarray,
    total: np.ndarray,
    realized: np.ndarray,
    potential: np.ndarray,
    missing: np.ndarray,
    weak: np.ndarray,
    empty: np.ndarray,
) -> pd.DataFrame:
    """The all-zones table from each zone's exact sums and gap counts: rounded once, sorted by zone.

    ``names[i]`` is zone code ``i``'s name; a zone with an empty name is left
    out, as ``chaingraph zones`` leaves it out.  Every engine builds the
    summary here, so its rounding and order have one home.

    Examples
    --------
    >>> import numpy as np
    >>> one = np.array([0.0, 1.0])
    >>> t = summary_frame(["", "甲区"], local=one, total=2 * one, realized=one, potential=one,
    ...                   missing=np.array([0, 2]), weak=np.array([0, 1]), empty=np.array([0, 0]))
    >>> t[["zone", "local_sourcing_ratio", "gaps"]].values.tolist()
    [['甲区', 0.5, 3]]
    """
    table = pd.DataFrame({
        "zone": names,
        "local_sourcing_ratio": pd.Series(
            [ratio(a, b) for a, b in zip(local.tolist(), total.tolist(), strict=True)], dtype=object
        ),
        "local_value": [money(v) or 0.0 for v in local.tolist()],  # rounded once, as each zone's figures
        "total_value": [money(v) or 0.0 for v in total.tolist()],
        "total_realized": [money(v) or 0.0 for v in realized.tolist()],
        "total_potential": [money(v) or 0.0 for v in potential.tolist()],
        "gaps": missing + weak + empty,
        "missing": missing,
        "weak": weak,
        "empty": empty,
    })  # fmt: skip
    table = table[table["zone"] != ""]
    return table.sort_values("zone", kind="stable").reset_index(drop=True)[SUMMARY_COLUMNS]
