"""Question 2: what local supply saves, realized and potential (DOMAIN.md definitions 4–5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from chaingraph.analysis.common import (
    Options,
    considered_links,
    local_makers,
    money,
    money_sum,
    ratio,
    unit_money,
    weighted_landed,
    zone_members,
)
from chaingraph.columns import isin, positions
from chaingraph.model import Dataset

__all__ = [
    "MAX_CANDIDATES",
    "PotentialRow",
    "RealizedRow",
    "Savings",
    "potential_annual",
    "potential_row",
    "realized_means",
    "realized_row",
    "savings",
    "sort_potential",
    "sort_realized",
]

#: Candidates listed per potential row (the local makers with the largest sales of the product first).
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class RealizedRow:
    """One buyer in Z and product P that switched from outside to local supply."""

    buyer_id: str
    product: str
    supplier_id: str
    local_suppliers: tuple[str, ...]
    former_suppliers: tuple[str, ...]
    before: float
    after: float
    unit_saving: float
    saving_rate: float | None
    volume: float
    annual_saving: float
    #: The annual saving unrounded: totals sum these, so a total is rounded once (docs/analysis.md).
    annual_exact: float = field(default=0.0, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "buyer_id": self.buyer_id,
            "product": self.product,
            "supplier_id": self.supplier_id,
            "local_suppliers": list(self.local_suppliers),
            "former_suppliers": list(self.former_suppliers),
            "before": self.before,
            "after": self.after,
            "unit_saving": self.unit_saving,
            "saving_rate": self.saving_rate,
            "volume": self.volume,
            "annual_saving": self.annual_saving,
        }


@dataclass(frozen=True)
class PotentialRow:
    """One active outside link into Z that a local maker could take over."""

    buyer_id: str
    product: str
    supplier_id: str
    supplier_zone: str
    value: float
    landed: float | None
    reference: float | None
    reference_basis: str
    unit_saving: float | None
    saving_rate: float | None
    volume: float | None
    annual_saving: float
    candidates: tuple[str, ...]
    candidate_count: int
    #: The annual saving unrounded: totals sum these, so a total is rounded once (docs/analysis.md).
    annual_exact: float = field(default=0.0, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "buyer_id": self.buyer_id,
            "product": self.product,
            "supplier_id": self.supplier_id,
            "supplier_zone": self.supplier_zone,
            "value": self.value,
            "landed": self.landed,
            "reference": self.reference,
            "reference_basis": self.reference_basis,
            "unit_saving": self.unit_saving,
            "saving_rate": self.saving_rate,
            "volume": self.volume,
            "annual_saving": self.annual_saving,
            "candidates": list(self.candidates),
            "candidate_count": self.candidate_count,
        }


@dataclass(frozen=True)
class Savings:
    """Realized and potential savings of zone Z."""

    zone: str
    scope: str
    local_saving_rate: float
    realized: tuple[RealizedRow, ...]
    potential: tuple[PotentialRow, ...]
    total_realized: float
    total_potential: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "scope": self.scope,
            "local_saving_rate": self.local_saving_rate,
            "realized": [r.to_dict() for r in self.realized],
            "potential": [p.to_dict() for p in self.potential],
            "total_realized": self.total_realized,
            "total_potential": self.total_potential,
        }


def _ids(values: pd.Series) -> tuple[str, ...]:
    return tuple(sorted(set(values.tolist())))


def realized_row(
    buyer_id: str,
    product: str,
    supplier_id: str,
    local_suppliers: tuple[str, ...] | list[str],
    former_suppliers: tuple[str, ...] | list[str],
    before: float,
    after: float,
    volume: float,
) -> RealizedRow:
    """One realized-savings row from its weighted means and volume, rounded as everywhere."""
    unit = before - after
    return RealizedRow(
        buyer_id, product, supplier_id, tuple(sorted(set(local_suppliers))), tuple(sorted(set(former_suppliers))),
        unit_money(before) or 0.0, unit_money(after) or 0.0, unit_money(unit) or 0.0, ratio(unit, before),
        round(volume, 4),
        money(unit * volume) or 0.0, unit * volume,
    )  # fmt: skip


def potential_row(
    buyer_id: str,
    product: str,
    supplier_id: str,
    supplier_zone: str,
    value: float,
    landed: float | None,
    reference: float | None,
    basis: str,
    unit_saving: float | None,
    volume: float | None,
    annual: float,
    candidates: tuple[str, ...] | list[str],
    candidate_count: int,
    *,
    rate: float,
) -> PotentialRow:
    """One potential-savings row, rounded as everywhere (``landed`` None: no unit price)."""
    priced = landed is not None
    return PotentialRow(
        buyer_id, product, supplier_id, supplier_zone, money(value) or 0.0, unit_money(landed) if priced else None,
        unit_money(reference) if priced else None, basis, unit_money(unit_saving) if priced else None,
        ratio(unit_saving or 0.0, landed) if landed is not None else round(rate, 6),
        round(volume or 0.0, 4) if priced else None, money(annual) or 0.0, tuple(candidates)[:MAX_CANDIDATES],
        candidate_count, float(annual),
    )  # fmt: skip


def sort_realized(rows: list[RealizedRow]) -> tuple[RealizedRow, ...]:
    """Largest annual saving first, then buyer and product."""
    return tuple(sorted(rows, key=lambda x: (-x.annual_saving, x.buyer_id, x.product)))


def sort_potential(rows: list[PotentialRow]) -> tuple[PotentialRow, ...]:
    """Largest annual saving first, then buyer, product, supplier and value."""
    return tuple(sorted(rows, key=lambda x: (-x.annual_saving, x.buyer_id, x.product, x.supplier_id, -x.value)))


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
    vol = now.groupby(keys, sort=False)["vol"].sum().rename("volume")
    return pd.concat([before, after, vol], axis=1).reset_index()


def realized(ds: Dataset, act: pd.DataFrame, opts: Options) -> tuple[RealizedRow, ...]:
    """Definition 4: former outside links replaced by active local ones, unit price known."""
    _, sup, buy = ds.link_zone_codes(opts.scope)
    z = ds.zone_code(opts.scope, opts.zone)
    former = ds.links.iloc[np.flatnonzero(ds.status_mask(("former",)) & (buy == z) & (sup != z))]
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


def potential(ds: Dataset, act: pd.DataFrame, members: pd.Index, *, rate: float) -> tuple[PotentialRow, ...]:
    """Definition 5: active outside links into Z where another maker in Z exists."""
    makers = local_makers(ds, act, members)
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
    has_price = ~np.isnan(landed)
    vol = out["vol"].fillna(0.0).to_numpy()
    top = makers.groupby("product", sort=False).head(MAX_CANDIDATES + 1)
    cand = {str(k): list(v) for k, v in top.groupby("product", sort=False)["maker"]}
    ent = ds.enterprises
    at = positions(out["supplier_id"], ent["id"])
    s_zone = np.append(ent["zone"].to_numpy(dtype=object), "")[at]  # -1 (unknown id) picks ""
    rows = []
    for i, (buyer, product, supplier, value, landed, n_cand) in enumerate(
        zip(out["buyer_id"].tolist(), out["product"].tolist(), out["supplier_id"].tolist(), out["value"].tolist(),
            out["landed"].tolist(), out["n_cand"].tolist(), strict=True)
    ):  # fmt: skip
        priced = bool(has_price[i])
        rows.append(potential_row(
            buyer, product, supplier, str(s_zone[i]), float(value), float(landed) if priced else None,
            float(reference[i]) if priced else None, str(basis[i]), float(unit[i]) if priced else None,
            float(vol[i]) if priced else None, float(annual[i]), [m for m in cand[product] if m != buyer],
            int(n_cand), rate=rate,
        ))  # fmt: skip
    return sort_potential(rows)


def savings(ds: Dataset, *, opts: Options) -> Savings:
    """Realized and potential savings for zone ``opts.zone``.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> s = savings(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> [(r.product, r.unit_saving, r.saving_rate) for r in s.realized if r.buyer_id == "JC-YTL"]
    [('充电桩箱体', 450.0, 0.136364)]
    """
    members = zone_members(ds, opts)
    act = considered_links(ds, opts, members)
    real = realized(ds, act, opts)
    pot = potential(ds, act, members, rate=opts.local_saving_rate)
    return Savings(
        opts.zone,
        opts.scope,
        opts.local_saving_rate,
        real,
        pot,
        money(money_sum([r.annual_exact for r in real])) or 0.0,
        money(money_sum([p.annual_exact for p in pot])) or 0.0,
    )
