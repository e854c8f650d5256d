"""Question 2: what local supply saves, realized and potential (definitions 4–5 of docs/analysis.md)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from chaingraph.analysis.context import ZoneContext, weighted_landed, zone_of
from chaingraph.lookup import isin, positions
from chaingraph.model import Dataset
from chaingraph.results.money import money, money_sum, money_sum_groups
from chaingraph.results.options import Options
from chaingraph.results.savings import (
    MAX_CANDIDATES,
    PotentialRow,
    RealizedRow,
    Savings,
    annual_exact,
    candidate_lists,
    potential_rows,
    realized_row,
    sort_realized,
)

__all__ = ["potential_annual", "realized_means", "savings"]


def _ids(values: pd.Series) -> tuple[str, ...]:
    return tuple(sorted(set(values.tolist())))


def realized_means(former: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Per (buyer_id, product) in both frames: ``before``, ``after`` (value-weighted landed) and ``volume``.

    ``former`` holds the former outside links with a unit price, ``now`` the
    active local ones; only pairs present in both are kept.  Shared by the
    per-zone rows and the all-zones summary, so both sum identical floats.
    """
    keys = ["buyer_id", "product"]
    pairs = former[keys].drop_duplicates().merge(now[keys].drop_duplicates(), on=keys)
    if pairs.empty:
        return pd.DataFrame(columns=[*keys, "before", "after", "volume"])
    former = former.merge(pairs, on=keys)
    now = now.merge(pairs, on=keys)
    before = weighted_landed(former, keys).rename("before")
    after = weighted_landed(now, keys).rename("after")
    vol = money_sum_groups(now, keys, ["vol"])["vol"].rename("volume")
    return pd.concat([before, after, vol], axis=1).reset_index()


def realized(zone: ZoneContext) -> tuple[RealizedRow, ...]:
    """Definition 4: former outside links replaced by active local ones, unit price known."""
    ds, act, codes, z = zone.dataset, zone.links, zone.codes, zone.code
    sup, buy = codes.supplier, codes.buyer
    former = ds.links.iloc[np.flatnonzero(ds.index.status_mask(("former",)) & (buy == z) & (sup != z))]
    former = former[former["landed"].notna()]
    now = act[act["b_in"] & act["s_in"] & act["landed"].notna()]
    keys = ["buyer_id", "product"]
    means = realized_means(former, now)
    if means.empty:
        return ()
    now = now.merge(means[keys], on=keys)
    former = former.merge(means[keys], on=keys)
    main = (
        now.sort_values(["value", "supplier_id"], ascending=[False, True], kind="stable")
        .groupby(keys, sort=False)["supplier_id"]
        .first()
        .rename("main")
    )
    loc = now.groupby(keys, sort=False)["supplier_id"].agg(_ids).rename("locals")
    old = former.groupby(keys, sort=False)["supplier_id"].agg(_ids).rename("olds")
    t = means.join(pd.concat([main, loc, old], axis=1), on=keys)
    rows = [
        realized_row(str(r["buyer_id"]), str(r["product"]), str(r["main"]), r["locals"], r["olds"],
                     float(r["before"]), float(r["after"]), float(r["volume"]))
        for r in t.to_dict("records")
    ]  # fmt: skip
    return sort_realized(rows)


def potential_annual(
    value: np.ndarray, landed: np.ndarray, vol: np.ndarray, local_reference: np.ndarray, *, rate: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Definition 5's arithmetic per outside link: (basis, reference, unit saving, annual saving).

    ``local_reference`` is the value-weighted landed cost of Z's suppliers of
    the product (NaN where there is none); ``vol`` NaN counts as 0.
    """
    has_price = ~np.isnan(landed)
    has_ref = ~np.isnan(local_reference)
    basis = np.where(~has_price, "no_price", np.where(has_ref, "local_market", "rate"))
    reference = np.where(has_ref, local_reference, landed * (1 - rate))
    unit = np.maximum(0.0, landed - reference)
    annual = np.where(has_price, unit * np.nan_to_num(vol, nan=0.0), value * rate)
    return basis, reference, unit, annual


def potential(zone: ZoneContext) -> Sequence[PotentialRow]:
    """Definition 5: active outside links into Z where another maker in Z exists."""
    ds, act, makers, rate = zone.dataset, zone.links, zone.makers, zone.opts.local_saving_rate
    out = act[act["b_in"] & ~act["s_in"]]
    out = out[isin(out["product"], makers["product"].unique())]
    n_makers = makers.groupby("product", sort=False).size().rename("n_makers")
    out = out.join(n_makers, on="product")
    buyer_makes = (
        out.merge(
            makers[["product", "maker"]], left_on=["product", "buyer_id"], right_on=["product", "maker"], how="left"
        )["maker"]
        .notna()
        .to_numpy()
    )
    out = out.assign(n_cand=out["n_makers"].to_numpy() - buyer_makes.astype(int))
    out = out[out["n_cand"] > 0]
    if out.empty:
        return ()
    ref_links = act[
        act["s_in"].to_numpy() & act["landed"].notna().to_numpy() & isin(act["product"], out["product"].unique())
    ]
    ref = (
        weighted_landed(ref_links, ["product"]).rename("reference")
        if not ref_links.empty
        else pd.Series(dtype="float64", name="reference")
    )
    out = out.join(ref, on="product")
    landed = out["landed"].to_numpy(dtype="float64", na_value=np.nan)
    basis, reference, unit, annual = potential_annual(
        out["value"].to_numpy(dtype="float64"), landed, out["vol"].to_numpy(dtype="float64", na_value=np.nan),
        out["reference"].to_numpy(dtype="float64", na_value=np.nan), rate=rate,
    )  # fmt: skip
    vol = out["vol"].fillna(0.0).to_numpy()
    top = makers.groupby("product", sort=False).head(MAX_CANDIDATES + 1)
    cand = {str(k): list(v) for k, v in top.groupby("product", sort=False)["maker"]}
    ent = ds.enterprises
    at = positions(out["supplier_id"], ent["id"])
    s_zone = np.append(ent["zone"].to_numpy(dtype=object), "")[at]  # -1 (unknown id) picks ""
    buyers, products = out["buyer_id"].tolist(), out["product"].tolist()
    return potential_rows(
        buyer=buyers, product=products, supplier=out["supplier_id"].tolist(),
        supplier_zone=[str(z) for z in s_zone.tolist()], value=out["value"].to_numpy(dtype="float64"),
        landed=landed, reference=reference, basis=basis.tolist(), unit_saving=unit, volume=vol, annual=annual,
        candidates=candidate_lists(buyers, products, cand), candidate_count=out["n_cand"].tolist(), rate=rate,
    )  # fmt: skip


def savings(data: Dataset | ZoneContext, *, opts: Options | None = None) -> Savings:
    """Realized and potential savings of the zone: a :class:`ZoneContext`, or a dataset and ``opts``.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> s = savings(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> [(r.product, r.unit_saving, r.saving_rate) for r in s.realized if r.buyer_id == "JC-YTL"]
    [('充电桩箱体', 450.0, 0.136364)]
    """
    z = zone_of(data, opts)
    real = realized(z)
    pot = potential(z)
    return Savings(
        z.opts.zone,
        z.opts.scope,
        z.opts.local_saving_rate,
        real,
        pot,
        money(money_sum([r.annual_exact for r in real])) or 0.0,
        money(money_sum(annual_exact(pot))) or 0.0,
    )
