"""Where to invest: the feasibility × attractiveness matrix of a zone's gaps (docs/analysis.md, "Where to invest").

Feasibility is the Atlas of Economic Complexity's *relatedness density*,
computed from the data's own zones: a zone makes a product when it has a
maker of it (definition 2's makers: a firm listing it or selling it on a
counted link); the proximity of two products is
φ(p, q) = min(P(p | q), P(q | p)) over the zones of the scope that make them,
and density(Z, p) = Σ_q φ(p, q)·M(Z, q) ÷ Σ_q φ(p, q).  Attractiveness is
what filling the gap would keep in the zone (external demand × a capture
share, with an output multiplier where the data has output and employees),
and the local buyers and products that depend on it.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.analysis.gaps import gaps as zone_gaps
from chaingraph.analysis.invite import raw_materials
from chaingraph.lookup import positions
from chaingraph.model import Dataset, DatasetIndex
from chaingraph.productflow import Reach
from chaingraph.results.gaps import Gaps
from chaingraph.results.matrix import DEFAULT_MULTIPLIER, GapMatrix, MatrixInput, ZoneScale, matrix_rows, scale_of
from chaingraph.results.options import Options
from chaingraph.results.whatif import GAP_FILL_CAPTURE

__all__ = [
    "Presence",
    "chain_relatedness",
    "gap_matrix",
    "gap_quadrants",
    "keep_presence",
    "matrix_of_parts",
    "presence",
    "zone_quadrants",
    "zone_scale",
]


@dataclass(frozen=True)
class Presence:
    """M: which zones of a scope make which products (``made[z, p]``), over the whole dataset."""

    zones: tuple[str, ...]
    products: tuple[str, ...]
    made: np.ndarray
    code: dict[str, int]

    @property
    def zones_making(self) -> np.ndarray:
        """N_p: how many zones make each product."""
        return self.made.sum(axis=0)

    def proximity(self, product: str) -> np.ndarray:
        """φ(p, q) for every product q (0 for q = p and where nothing is shared); zeros when no zone makes p.

        >>> m = Presence(("Z1", "Z2"), ("a", "b"), np.array([[True, True], [False, True]]), {"a": 0, "b": 1})
        >>> m.proximity("a").tolist(), m.proximity("b").tolist()
        ([0.0, 0.5], [0.5, 0.0])
        """
        c = self.code.get(product)
        n = self.zones_making
        if c is None or n[c] == 0:
            return np.zeros(len(self.products))
        both = (self.made[:, c][:, None] & self.made).sum(axis=0)
        phi = both / np.maximum(n, n[c])
        phi[c] = 0.0
        return phi


_PRESENCE: weakref.WeakKeyDictionary[DatasetIndex, dict[tuple[str, tuple[str, ...]], Presence]] = (
    weakref.WeakKeyDictionary()
)


def presence(ds: Dataset, *, scope: str, statuses: tuple[str, ...]) -> Presence:
    """Which zones of ``scope`` make which products: listed products, and products sold on a counted link.

    Computed once per dataset, scope and statuses (every zone of the data asks the same).  A firm
    with an empty ``scope`` value (no city given) counts for no zone.

    >>> from chaingraph.load import load_dataset
    >>> m = presence(load_dataset("data"), scope="zone", statuses=("active",))
    >>> bool(m.made[m.zones.index("晋城经开区"), m.code["冷轧薄板"]])
    True
    """
    cache = _PRESENCE.setdefault(ds.index, {})
    key = (scope, statuses)
    given = _GIVEN.get(ds.index, {}).get(key)
    if key not in cache and given is not None:
        cache[key] = given()
    if key not in cache:
        ent = ds.enterprises
        codes = ds.index.zone_codes(scope)
        listed = ds.listed_products
        firm_zone = codes.firm[positions(listed["id"], ent["id"])] if len(listed) else np.zeros(0, dtype=np.int64)
        mask = ds.index.status_mask(statuses)
        sold_zone = codes.supplier[mask]
        zone_code = np.concatenate([np.asarray(firm_zone, dtype=np.int64), np.asarray(sold_zone, dtype=np.int64)])
        product = pd.concat([listed["product"].astype(object), ds.links["product"][mask].astype(object)],
                            ignore_index=True)  # fmt: skip
        names = [str(n) for n in codes.names.tolist()]
        named = np.array([n != "" for n in names] + [False], dtype=bool)  # code -1 (unknown id) picks the last
        keep = named[zone_code]
        prod_codes, uniques = pd.factorize(product[keep].reset_index(drop=True), sort=True)
        zc = zone_code[keep]
        used = sorted(set(zc.tolist()), key=lambda c: names[c])
        row_of = {c: i for i, c in enumerate(used)}
        made = np.zeros((len(used), len(uniques)), dtype=bool)
        if len(zc):
            made[np.array([row_of[c] for c in zc.tolist()], dtype=np.int64), prod_codes] = True
        products = tuple(str(p) for p in uniques.tolist())
        cache[key] = Presence(tuple(names[c] for c in used), products, made, {p: i for i, p in enumerate(products)})
    return cache[key]


_GIVEN: weakref.WeakKeyDictionary[DatasetIndex, dict[tuple[str, tuple[str, ...]], Callable[[], Presence]]] = (
    weakref.WeakKeyDictionary()
)


def keep_presence(ds: Dataset, *, scope: str, statuses: tuple[str, ...], m: Callable[[], Presence]) -> None:
    """Give ``ds`` the presence M of larger data (``m()``, asked when first needed): an SQL engine's, computed over
    every zone, for one zone's slice."""
    _GIVEN.setdefault(ds.index, {})[(scope, statuses)] = m


def chain_relatedness(
    product: str, flow: Reach, made: frozenset[str], bought: set[str]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The ranked list's chain relatedness inputs: (inputs, inputs made in Z, outputs, outputs bought in Z).

    Relatedness = (inputs made + outputs bought) ÷ (inputs + outputs), 0 without either
    (docs/analysis.md, "The ranked invitation list").
    """
    return relatedness_of([product], flow, made, bought)[product]


def relatedness_of(
    products: Iterable[str], flow: Reach, made: frozenset[str], bought: set[str]
) -> dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """:func:`chain_relatedness` for each of ``products``, the flow graph asked once for their neighbours."""
    out = {}
    for product, (pred, succ) in flow.neighbours(products).items():
        ins, outs = tuple(pred), tuple(succ)
        out[product] = ins, tuple(p for p in ins if p in made), outs, tuple(p for p in outs if p in bought)
    return out


def zone_scale(z: ZoneContext) -> ZoneScale:
    """The zone's output (Σ output_value) and people per yuan of output, over its firms that report them."""
    ent = z.dataset.enterprises
    mine = (ent[z.opts.scope] == z.opts.zone).to_numpy()
    out = ent["output_value"].to_numpy(dtype="float64")[mine]
    emp = ent["employees"].to_numpy(dtype="float64")[mine]
    has_out = ~np.isnan(out) & (out > 0)
    both = has_out & ~np.isnan(emp) & (emp > 0)
    return scale_of(out[has_out].tolist(), list(zip(out[both].tolist(), emp[both].tolist(), strict=True)))


def gap_matrix(
    data: Dataset | ZoneContext,
    *,
    opts: Options | None = None,
    capture: float = GAP_FILL_CAPTURE,
    multiplier: float = DEFAULT_MULTIPLIER,
    gaps: Gaps | None = None,
) -> GapMatrix:
    """The zone's gaps on the feasibility × attractiveness matrix (a :class:`ZoneContext`, or data and ``opts``).

    ``gaps`` may pass the zone's gap list when it is computed already.  Raw
    materials bound to a resource are left out (supply security, not targets).

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> m = gap_matrix(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> row = next(r for r in m.rows if r.product == "MCU芯片")
    >>> row.quadrant, row.density, [d["product"] for d in row.drivers][:2]
    ('near_term', 0.403509, ['LED封装', 'LED芯片'])
    """
    z = zone_of(data, opts)
    ds, act = z.dataset, z.links
    g = gaps if gaps is not None else zone_gaps(z)
    m = presence(ds, scope=z.opts.scope, statuses=z.opts.statuses)
    bought = set(act.loc[act["b_in"], "product"].tolist())
    return matrix_of_parts(z.opts, g, raw_materials(ds), m, z.flow, z.made, bought, zone_scale(z), capture=capture,
                           multiplier=multiplier)  # fmt: skip


def matrix_of_parts(
    opts: Options,
    g: Gaps,
    raw: frozenset[str],
    m: Presence,
    flow: Reach,
    made: frozenset[str],
    bought: set[str],
    scale: ZoneScale,
    *,
    capture: float,
    multiplier: float,
) -> GapMatrix:
    """The matrix from what every engine computes its own way: the gap list, the raw materials, the presence M,
    the product flow graph, the products Z makes and buys, and Z's scale (the SQL engines pass theirs)."""
    related = relatedness_of([r.product for r in g.gaps if r.product not in raw], flow, made, bought)
    return _matrix(opts, g, raw, m, related, scale, capture=capture, multiplier=multiplier)


def gap_quadrants(opts: Options, g: Gaps, raw: frozenset[str], m: Presence, *, capture: float) -> dict[str, str]:
    """Each gap's quadrant on the matrix (a raw material: ``supply_security``), as :func:`matrix_of_parts` places it.

    A quadrant depends on the density and the attractiveness score alone (and the zone's medians of both),
    never on the chain relatedness, the drivers listed or the zone's scale: those are left out here (the gap
    list's quadrant column, without the product flow graph's neighbours).
    """
    none = ((), (), (), ())
    related = {r.product: none for r in g.gaps if r.product not in raw}
    matrix = _matrix(opts, g, raw, m, related, ZoneScale(None, None, 0), capture=capture,
                     multiplier=DEFAULT_MULTIPLIER, drivers=False)  # fmt: skip
    return {**{p: "supply_security" for p in matrix.supply_security}, **{r.product: r.quadrant for r in matrix.rows}}


#: Gap products whose proximities to every product are computed in one matrix product.
_PROXIMITY_BLOCK = 256


def zone_quadrants(data: Dataset | ZoneContext, *, opts: Options | None = None, capture: float = GAP_FILL_CAPTURE,
                   gaps: Gaps | None = None) -> dict[str, str]:  # fmt: skip
    """:func:`gap_quadrants` of a zone (a :class:`ZoneContext`, or data and ``opts``): the quadrants of
    :func:`gap_matrix`, without its relatedness and drivers.

    >>> from chaingraph.load import load_dataset
    >>> zone_quadrants(load_dataset("data"), opts=Options(zone="晋城经开区"))["MCU芯片"]
    'near_term'
    """
    z = zone_of(data, opts)
    g = gaps if gaps is not None else zone_gaps(z)
    m = presence(z.dataset, scope=z.opts.scope, statuses=z.opts.statuses)
    return gap_quadrants(z.opts, g, raw_materials(z.dataset), m, capture=capture)


def _proximities(m: Presence, products: list[str]) -> dict[str, np.ndarray]:
    """:meth:`Presence.proximity` of each of ``products``, in one product of M with itself (the same floats)."""
    n = m.zones_making
    codes = [m.code[p] for p in products if p in m.code and n[m.code[p]] > 0]
    out = {p: np.zeros(len(m.products)) for p in products}
    made = m.made.astype(np.int64)
    for at in range(0, len(codes), _PROXIMITY_BLOCK):  # a block of gaps at a time: memory bounded
        c = np.asarray(codes[at : at + _PROXIMITY_BLOCK], dtype=np.int64)
        both = made[:, c].T @ made  # zones making both p and q: exact integers
        phi = both / np.maximum(n[None, :], n[c][:, None])
        phi[np.arange(len(c)), c] = 0.0
        for k, code in enumerate(c.tolist()):
            out[m.products[code]] = phi[k]
    return out


def _matrix(
    opts: Options,
    g: Gaps,
    raw: frozenset[str],
    m: Presence,
    related: Mapping[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]],
    scale: ZoneScale,
    *,
    capture: float,
    multiplier: float,
    drivers: bool = True,
) -> GapMatrix:
    mine = np.zeros(len(m.products), dtype=bool)
    if opts.zone in m.zones:
        mine = m.made[m.zones.index(opts.zone)]
    n = m.zones_making
    items = []
    phis = _proximities(m, [r.product for r in g.gaps if r.product not in raw])
    for r in g.gaps:
        if r.product in raw:
            continue
        phi = phis[r.product]
        c = m.code.get(r.product)
        listed = [(m.products[i], float(phi[i])) for i in np.flatnonzero(mine & (phi > 0)).tolist()] if drivers else []
        ins, ins_made, outs, outs_bought = related[r.product]
        items.append(MatrixInput(r.product, r.kind, r.external_demand, len(r.buyers), r.dependents,
                                 math.fsum(phi[mine].tolist()), math.fsum(phi.tolist()),
                                 0 if c is None else int(n[c]), listed, ins, ins_made, outs, outs_bought))  # fmt: skip
    return matrix_rows(opts.zone, opts.scope, items, capture=capture, multiplier=multiplier,
                       zones=len(m.zones), scale=scale,
                       supply_security=[r.product for r in g.gaps if r.product in raw])  # fmt: skip
