"""Resilience beside localisation (docs/analysis.md, "Resilience"): the result types and their one row builder.

For zone Z and each product P it buys, the suppliers' shares of Z's purchases of P (by value,
every supplying firm counted once, local and outside alike), their Herfindahl index (HHI), and
whether the supply rests on one supplier (a single point of failure).  Both engines sum the
purchases per (product, supplier) their own way and build the result here, so rounding, order
and shape are defined once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chaingraph.errors import ChaingraphError, param
from chaingraph.results.money import money, money_sum, ratio

__all__ = [
    "DEFAULT_HHI_THRESHOLD",
    "ProductSupply",
    "Resilience",
    "ResilienceChange",
    "ResilienceWarning",
    "SupplierShare",
    "build_resilience",
    "check_threshold",
    "compare_resilience",
    "hhi_of",
]

#: HHI (0–1 scale) above which a product's supply counts as highly concentrated: 0.25, the 2500
#: points of the U.S. DOJ/FTC Horizontal Merger Guidelines (2010), §5.3 ("Highly Concentrated").
DEFAULT_HHI_THRESHOLD = 0.25


def check_threshold(threshold: float) -> float:
    """``threshold`` when it is an HHI on the 0–1 scale, else :class:`ChaingraphError`.

    >>> check_threshold(0.25)
    0.25
    """
    if not 0.0 < threshold <= 1.0 or math.isnan(threshold):
        raise ChaingraphError(
            f"{param('hhi_threshold')} is an HHI on the 0-1 scale (0.25 = 2500 points), not {threshold}."
        )
    return threshold


def hhi_of(values: Iterable[float]) -> float | None:
    """Herfindahl index of the shares of ``values`` (each supplier's value), 0–1; ``None`` when they sum to 0.

    docs/analysis.md, "Resilience": HHI(P) = Σ s_i², s_i = v_i ÷ Σ v.  Unrounded.

    >>> hhi_of([60, 40]), hhi_of([100]), hhi_of([0.0])
    (0.52, 1.0, None)
    """
    vs = [float(v) for v in values]
    total = money_sum(vs)
    if total <= 0:
        return None
    return math.fsum((v / total) ** 2 for v in vs)


@dataclass(frozen=True)
class SupplierShare:
    """One firm supplying P to the zone: its value and its share of the zone's purchases of P."""

    id: str
    name: str
    zone: str
    local: bool
    value: float
    share: float | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ProductSupply:
    """The supply of one product the zone buys: its suppliers, HHI, single point, concentration."""

    product: str
    purchases: float
    local_value: float
    suppliers: int
    local_suppliers: int
    hhi: float | None
    single_point: bool
    concentrated: bool
    shares: tuple[SupplierShare, ...]

    @property
    def top(self) -> SupplierShare | None:
        """The largest supplier (by value, then id)."""
        return self.shares[0] if self.shares else None

    def to_dict(self) -> dict[str, Any]:
        return {"product": self.product, "purchases": self.purchases, "local_value": self.local_value,
                "suppliers": self.suppliers, "local_suppliers": self.local_suppliers, "hhi": self.hhi,
                "single_point": self.single_point, "concentrated": self.concentrated,
                "shares": [s.to_dict() for s in self.shares]}  # fmt: skip


@dataclass(frozen=True)
class Resilience:
    """Zone Z's supply concentration: per product, and the zone's figures (docs/analysis.md, "Resilience")."""

    zone: str
    scope: str
    threshold: float
    purchases: float
    weighted_hhi: float | None
    single_points: int
    single_point_value: float
    single_point_share: float | None
    concentrated: int
    concentrated_value: float
    concentrated_share: float | None
    products: tuple[ProductSupply, ...]
    #: The figures above unrounded, for before/after changes (output rounds once).
    exact: tuple[float, float, float, float] = field(default=(0.0, 0.0, 0.0, 0.0), repr=False, compare=False)

    def by_product(self) -> dict[str, ProductSupply]:
        return {p.product: p for p in self.products}

    def summary(self) -> dict[str, Any]:
        """The zone's figures (no product rows): what a what-if compares before and after."""
        return {"purchases": self.purchases, "products": len(self.products), "weighted_hhi": self.weighted_hhi,
                "single_points": self.single_points, "single_point_value": self.single_point_value,
                "single_point_share": self.single_point_share, "concentrated": self.concentrated,
                "concentrated_value": self.concentrated_value, "concentrated_share": self.concentrated_share}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "scope": self.scope, "hhi_threshold": self.threshold,
                "suppliers_counted": "every firm selling the product to the zone's firms on a counted link, "
                                     "local and outside, by yearly value",
                **self.summary(), "products": [p.to_dict() for p in self.products]}  # fmt: skip


def build_resilience(
    zone: str,
    scope: str,
    rows: Iterable[tuple[str, str, float, bool]],
    info: Mapping[str, tuple[str, str]],
    *,
    threshold: float = DEFAULT_HHI_THRESHOLD,
) -> Resilience:
    """The zone's resilience from its purchases summed per (product, supplier).

    ``rows`` are ``(product, supplier id, value, supplier in Z)``, one per pair, value the exact
    sum of the counted links from that supplier to firms of Z; ``info`` maps a supplier id to its
    (name, zone).  Products whose purchases sum to 0 are left out (nothing is bought).

    >>> r = build_resilience("Z", "zone", [("钢", "A", 60.0, True), ("钢", "B", 40.0, False),
    ...                                    ("芯片", "C", 100.0, False)], {})
    >>> [(p.product, p.hhi, p.single_point, p.concentrated) for p in r.products]
    [('芯片', 1.0, True, True), ('钢', 0.52, False, True)]
    >>> r.single_point_share, r.weighted_hhi
    (0.5, 0.76)
    """
    check_threshold(threshold)
    grouped: dict[str, list[tuple[str, float, bool]]] = {}
    for product, sid, value, local in rows:
        grouped.setdefault(str(product), []).append((str(sid), float(value), bool(local)))
    products: list[tuple[ProductSupply, float, float | None]] = []
    for product, sups in grouped.items():
        sups = [s for s in sups if s[1] > 0]
        total = money_sum([v for _, v, _ in sups])
        if total <= 0:
            continue
        h = hhi_of([v for _, v, _ in sups])
        sups.sort(key=lambda s: (-s[1], s[0]))
        shares = tuple(SupplierShare(sid, *info.get(sid, ("", "")), local, money(v) or 0.0, ratio(v, total))
                       for sid, v, local in sups)  # fmt: skip
        single = len(sups) == 1
        hv = None if h is None else round(h, 6) + 0.0
        products.append((ProductSupply(product, money(total) or 0.0,
                                       money(money_sum([v for _, v, loc in sups if loc])) or 0.0, len(sups),
                                       sum(1 for s in sups if s[2]), hv, single,
                                       h is not None and round(h, 6) > threshold, shares), total, h))  # fmt: skip
    products.sort(key=lambda x: (-(x[0].hhi or 0.0), -x[1], x[0].product))
    purchases = money_sum([t for _, t, _ in products])
    weighted = money_sum([t * h for _, t, h in products if h is not None])
    single_value = money_sum([t for p, t, _ in products if p.single_point])
    conc_value = money_sum([t for p, t, _ in products if p.concentrated])
    return Resilience(zone, scope, threshold, money(purchases) or 0.0, ratio(weighted, purchases),
                      sum(1 for p, _, _ in products if p.single_point), money(single_value) or 0.0,
                      ratio(single_value, purchases), sum(1 for p, _, _ in products if p.concentrated),
                      money(conc_value) or 0.0, ratio(conc_value, purchases), tuple(p for p, _, _ in products),
                      (purchases, weighted, single_value, conc_value))  # fmt: skip


@dataclass(frozen=True)
class ResilienceWarning:
    """A landing that leaves a product on one supplier, or pushes its HHI past the threshold.

    ``kind``: ``new_single_point`` (one supplier after, more before) or ``hhi_crossed`` (HHI at
    or below the threshold before, above after, still two or more suppliers).  ``moved`` is the
    value of the product the scenario moved to local supply, ``saving`` the yearly saving that
    brings at the local saving rate (definition 5's r): the cost the landing cuts.
    :func:`chaingraph.render.explain.resilience_warning` says it in Chinese.
    """

    kind: str
    product: str
    supplier_id: str
    supplier_name: str
    supplier_local: bool
    share: float | None
    purchases: float
    buyers: int
    hhi_before: float | None
    hhi_after: float | None
    suppliers_before: int
    suppliers_after: int
    moved: float
    saving: float
    rate: float
    threshold: float

    @property
    def cuts_cost(self) -> bool:
        return self.moved > 0

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "cuts_cost": self.cuts_cost}


@dataclass(frozen=True)
class ResilienceChange:
    """The zone's resilience before and after a what-if, the products whose supply changed, and the warnings."""

    before: Resilience
    after: Resilience
    #: Per product whose supply changed: product, hhi, suppliers and single point before and after.
    products: tuple[dict[str, Any], ...]
    new_single_points: tuple[str, ...]
    single_points_resolved: tuple[str, ...]
    crossed: tuple[str, ...]
    warnings: tuple[ResilienceWarning, ...]
    changes: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"hhi_threshold": self.before.threshold, "before": self.before.summary(),
                "after": self.after.summary(), "changes": self.changes, "products": list(self.products),
                "new_single_points": list(self.new_single_points),
                "single_points_resolved": list(self.single_points_resolved), "crossed": list(self.crossed),
                "warnings": [w.to_dict() for w in self.warnings]}  # fmt: skip


def compare_resilience(
    before: Resilience,
    after: Resilience,
    *,
    moved: Mapping[str, float],
    buyers: Mapping[str, int],
    rate: float,
) -> ResilienceChange:
    """``before`` and ``after`` side by side (docs/analysis.md, "Resilience", what-if).

    ``moved`` is the exact value per product the scenario moved to local supply; ``buyers`` the
    zone's buyers of each product after; ``rate`` the local saving rate.
    """
    b, a = before.by_product(), after.by_product()
    rows = []
    new_single, resolved, crossed, warnings = [], [], [], []
    for product in sorted(set(b) | set(a)):
        x, y = b.get(product), a.get(product)
        hb, ha = (x.hhi if x else None), (y.hhi if y else None)
        nb, na = (x.suppliers if x else 0), (y.suppliers if y else 0)
        if x is not None and y is not None and hb == ha and nb == na and x.shares == y.shares:
            continue
        sb, sa = bool(x and x.single_point), bool(y and y.single_point)
        rows.append({"product": product, "hhi_before": hb, "hhi_after": ha, "suppliers_before": nb,
                     "suppliers_after": na, "single_point_before": sb, "single_point_after": sa,
                     "concentrated_before": bool(x and x.concentrated), "concentrated_after": bool(y and y.concentrated),
                     "purchases_before": x.purchases if x else 0.0, "purchases_after": y.purchases if y else 0.0,
                     "top_supplier_after": y.top.id if y and y.top else None})  # fmt: skip
        if sb and not sa:
            resolved.append(product)
        kind = None
        if sa and not sb:
            new_single.append(product)
            kind = "new_single_point"
        elif y is not None and y.concentrated and not (x and x.concentrated) and not sa:
            crossed.append(product)
            kind = "hhi_crossed"
        if kind and y is not None and y.top is not None:
            m = float(moved.get(product, 0.0))
            warnings.append(ResilienceWarning(kind, product, y.top.id, y.top.name, y.top.local, y.top.share,
                                              y.purchases, int(buyers.get(product, 0)), hb, ha, nb, na,
                                              money(m) or 0.0, money(m * rate) or 0.0, rate, after.threshold))  # fmt: skip
    (pb, wb, sb_, cb), (pa, wa, sa_, ca) = before.exact, after.exact

    def diff(num_a: float, den_a: float, num_b: float, den_b: float) -> float | None:
        return None if den_a == 0 or den_b == 0 else round(num_a / den_a - num_b / den_b, 6) + 0.0

    changes = {"single_points": after.single_points - before.single_points,
               "single_point_value": money(sa_ - sb_), "single_point_share": diff(sa_, pa, sb_, pb),
               "weighted_hhi": diff(wa, pa, wb, pb), "concentrated": after.concentrated - before.concentrated,
               "concentrated_value": money(ca - cb)}  # fmt: skip
    return ResilienceChange(before, after, tuple(rows), tuple(new_single), tuple(resolved), tuple(crossed),
                            tuple(warnings), changes)  # fmt: skip
