"""Resilience beside localisation (docs/analysis.md, "Resilience"): the one home of the supply-concentration rules.

* :func:`resilience`: for zone Z, per product it buys, the suppliers' shares of Z's purchases
  (by value; every firm selling it to Z's firms counted once, local and outside alike), their
  Herfindahl index (HHI), whether the supply rests on one supplier (``single_point``: a single
  point of failure) and whether the HHI passes the threshold; the zone's share of purchases
  resting on one supplier.
* :func:`supply_hhi`: the same HHI per product over any frame of links (``gaps --rank`` shows it).
* :func:`local_single_points`: the ranked list's single points (kind ``single_point``): a product
  with exactly one maker in Z that supplies two or more firms of Z — the zone's only maker of
  something its firms depend on.

Both notions of a single point live here: "the zone's supply of P rests on one supplier"
(:func:`resilience`) and "the zone's only maker of P serves several of its firms"
(:func:`local_single_points`).
"""

from __future__ import annotations

import pandas as pd

from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.model import Dataset
from chaingraph.results.money import money
from chaingraph.results.options import Options
from chaingraph.results.rank import SinglePoint
from chaingraph.results.resilience import DEFAULT_HHI_THRESHOLD, Resilience, build_resilience, hhi_of

__all__ = ["local_single_points", "resilience", "supplier_values", "supply_hhi"]


def supply_hhi(frame: pd.DataFrame) -> pd.Series:
    """Herfindahl index of suppliers' shares per product (0–1), over the links of ``frame``."""
    by = frame.groupby(["product", "supplier_id"], sort=False)["value"].sum().reset_index()
    return by.groupby("product", sort=False)["value"].agg(lambda v: hhi_of(v.tolist()))


def supplier_values(z: ZoneContext) -> list[tuple[str, str, float, bool]]:
    """(product, supplier, value, supplier in Z) summed over the counted links into Z, one per pair."""
    into = z.links[z.links["b_in"]]
    by = into.groupby(["product", "supplier_id"], sort=True, observed=True).agg(
        value=("value", "sum"), local=("s_in", "first")
    )
    return [(str(p), str(s), float(v), bool(loc)) for (p, s), v, loc in
            zip(by.index.tolist(), by["value"].tolist(), by["local"].tolist(), strict=True)]  # fmt: skip


def resilience(
    data: Dataset | ZoneContext, *, opts: Options | None = None, threshold: float = DEFAULT_HHI_THRESHOLD
) -> Resilience:
    """Zone Z's supply concentration (a :class:`ZoneContext`, or a dataset and ``opts``).

    ``threshold`` is the HHI (0–1) above which a product's supply is highly concentrated
    (default 0.25, the 2500 points of the U.S. Horizontal Merger Guidelines).

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> r = resilience(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> r.single_points, r.single_point_share, r.threshold  # 铁矿石 alone is 36亿 of the zone's 56.6亿
    (12, 0.734633, 0.25)
    >>> p = r.by_product()["冷轧薄板"]  # 晋钢 and one outside mill
    >>> p.suppliers, p.local_suppliers, p.hhi, (p.top.id, p.top.share)
    (2, 1, 0.629606, ('JC-JG', 0.754564))
    """
    z = zone_of(data, opts)
    ds = z.dataset
    ent = ds.enterprises
    rows = supplier_values(z)
    ids = {s for _, s, _, _ in rows}
    sub = ent[ent["id"].isin(ids)]
    info = {str(i): (str(n), str(zn)) for i, n, zn in
            zip(sub["id"].tolist(), sub["name"].tolist(), sub["zone"].tolist(), strict=True)}  # fmt: skip
    return build_resilience(z.opts.zone, z.opts.scope, rows, info, threshold=threshold)


def local_single_points(z: ZoneContext) -> tuple[SinglePoint, ...]:
    """Products with exactly one maker in Z that supplies two or more firms of Z (``gaps --rank``'s single points).

    Sorted by the number of those firms, then the value they buy from it, then product.
    """
    act, makers = z.links, z.makers
    hhi = supply_hhi(act[act["b_in"]])
    singles = []
    n_makers = makers.groupby("product", sort=True)["maker"].agg(list)
    local_links = act[act["s_in"] & act["b_in"]]
    for product, ms in n_makers.items():
        if len(ms) != 1:
            continue
        sub = local_links[(local_links["product"] == product) & (local_links["supplier_id"] == ms[0])]
        buyers = tuple(sorted(set(sub["buyer_id"])))
        if len(buyers) < 2:
            continue
        h = hhi.get(product)
        hv = None if h is None or pd.isna(h) else round(float(h), 6)
        singles.append(SinglePoint(str(product), "single_point", str(ms[0]), buyers,
                                   money(float(sub["value"].sum())) or 0.0, hv))  # fmt: skip
    singles.sort(key=lambda s: (-len(s.buyers), -s.local_value, s.product))
    return tuple(singles)
