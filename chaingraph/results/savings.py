"""Savings of a zone (definitions 4–5 of docs/analysis.md): the result rows, rounded and ordered as everywhere."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, overload

import numpy as np

from chaingraph.results.money import money, ratio, ratios, rounded, unit_money

__all__ = [
    "MAX_CANDIDATES",
    "PotentialRow",
    "PotentialRows",
    "RealizedRow",
    "Savings",
    "annual_exact",
    "bulk",
    "candidate_lists",
    "potential_row",
    "potential_rows",
    "realized_row",
    "sort_potential",
    "sort_realized",
]

#: Candidates listed per potential row (the local makers with the largest sales of the product first).
MAX_CANDIDATES = 10


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while many acyclic containers are made (a zone's rows: dicts, tuples, lists).

    Each collection walks every object made so far, so building a quarter of a million rows' dicts spends most
    of its time collecting nothing; what is made here holds no cycle, and collection resumes after.

    >>> with bulk():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    #: A tuple, or from the SQL engines the same rows held column by column (:class:`PotentialRows`).
    potential: Sequence[PotentialRow]
    total_realized: float
    total_potential: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "scope": self.scope,
            "local_saving_rate": self.local_saving_rate,
            "realized": [r.to_dict() for r in self.realized],
            "potential": _dicts(self.potential),
            "total_realized": self.total_realized,
            "total_potential": self.total_potential,
        }


#: The fields of a potential row in order; its :meth:`PotentialRow.to_dict` keys are these less the last.
_POTENTIAL_FIELDS = (
    "buyer_id", "product", "supplier_id", "supplier_zone", "value", "landed", "reference", "reference_basis",
    "unit_saving", "saving_rate", "volume", "annual_saving", "candidates", "candidate_count", "annual_exact",
)  # fmt: skip


class PotentialRows(Sequence[PotentialRow]):
    """Potential rows held column by column (a zone of a 10M-link province has a quarter of a million):
    each :class:`PotentialRow` is made only when read, and JSON is written from the columns.

    It equals (and hashes as) the tuple of its rows, so a result from the SQL engines equals the memory engine's.
    Made by :func:`potential_rows`, already rounded and in order.
    """

    __slots__ = ("_columns", "_rows")

    def __init__(self, columns: Mapping[str, list[Any]]) -> None:
        self._columns = tuple(columns[f] for f in _POTENTIAL_FIELDS)
        self._rows: tuple[PotentialRow, ...] | None = None

    def __len__(self) -> int:
        return len(self._columns[0])

    @overload
    def __getitem__(self, i: int) -> PotentialRow: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[PotentialRow, ...]: ...
    def __getitem__(self, i: int | slice) -> PotentialRow | tuple[PotentialRow, ...]:
        if isinstance(i, slice):
            return tuple(self._row(j) for j in range(*i.indices(len(self))))
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self._row(i % len(self))

    def _row(self, i: int) -> PotentialRow:
        return PotentialRow(*(c[i] for c in self._columns))

    def rows(self) -> tuple[PotentialRow, ...]:
        """Every row (made once)."""
        if self._rows is None:
            with bulk():
                self._rows = tuple(PotentialRow(*t) for t in zip(*self._columns, strict=True))
        return self._rows

    def __iter__(self) -> Iterator[PotentialRow]:
        return iter(self.rows())

    def column(self, name: str) -> list[Any]:
        """One field of every row, in order (``annual_exact``: the unrounded savings a total sums)."""
        return self._columns[_POTENTIAL_FIELDS.index(name)]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PotentialRows):
            return self._columns[:-1] == other._columns[:-1]  # annual_exact is not compared, as in PotentialRow
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self.rows() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.rows())

    def __repr__(self) -> str:
        return f"PotentialRows({len(self)} rows)"

    def to_dicts(self) -> list[dict[str, Any]]:
        """``[row.to_dict() for row in self]``, from the columns (no row object made; each dict a display with
        :meth:`PotentialRow.to_dict`'s keys, which builds faster than ``dict(zip(keys, row))``)."""
        cols = list(self._columns[:-1])
        with bulk():
            cols[_POTENTIAL_FIELDS.index("candidates")] = [list(c) for c in cols[_POTENTIAL_FIELDS.index("candidates")]]
            return [
                {"buyer_id": b, "product": p, "supplier_id": s, "supplier_zone": z, "value": v, "landed": ld,
                 "reference": rf, "reference_basis": bs, "unit_saving": u, "saving_rate": sr, "volume": vo,
                 "annual_saving": a, "candidates": c, "candidate_count": n}
                for b, p, s, z, v, ld, rf, bs, u, sr, vo, a, c, n in zip(*cols, strict=True)
            ]  # fmt: skip


def annual_exact(rows: Sequence[PotentialRow]) -> list[float]:
    """The unrounded annual savings of ``rows`` (what a total sums), read from the column when they are held so."""
    return rows.column("annual_exact") if isinstance(rows, PotentialRows) else [p.annual_exact for p in rows]


def _dicts(rows: Sequence[PotentialRow]) -> list[dict[str, Any]]:
    return rows.to_dicts() if isinstance(rows, PotentialRows) else [p.to_dict() for p in rows]


@bulk()
def candidate_lists(buyers: Sequence[str], products: Sequence[str],
                    makers: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:  # fmt: skip
    """Each row's candidates: the product's makers in order (``makers``: at least the first
    ``MAX_CANDIDATES + 1``), the buyer itself left out, at most :data:`MAX_CANDIDATES`.

    >>> candidate_lists(["b", "x"], ["p", "p"], {"p": ["a", "b", "c"]})
    [('a', 'c'), ('a', 'b', 'c')]
    """
    first = {p: (tuple(m[:MAX_CANDIDATES]), frozenset(m[: MAX_CANDIDATES + 1]), m) for p, m in makers.items()}
    out = []
    for b, p in zip(buyers, products, strict=True):
        top, members, every = first[p]
        out.append(top if b not in members else tuple(m for m in every if m != b)[:MAX_CANDIDATES])
    return out


def _or_none(values: np.ndarray, keep: np.ndarray, *, nan: bool = True) -> list[float | None]:
    """``values`` as Python floats, ``None`` where ``keep`` is false or (``nan``) the value is NaN."""
    out: list[float | None] = values.tolist()
    for i in np.flatnonzero(~keep | (np.isnan(values) if nan else False)).tolist():
        out[i] = None
    return out


@bulk()
def potential_rows(
    *,
    buyer: Sequence[str],
    product: Sequence[str],
    supplier: Sequence[str],
    supplier_zone: Sequence[str],
    value: np.ndarray,
    landed: np.ndarray,
    reference: np.ndarray,
    basis: Sequence[str],
    unit_saving: np.ndarray,
    volume: np.ndarray,
    annual: np.ndarray,
    candidates: Sequence[tuple[str, ...]],
    candidate_count: Sequence[int],
    rate: float,
) -> PotentialRows:
    """The potential rows of :func:`potential_row`, column by column, rounded and ordered as :func:`sort_potential`
    (exactly: the same floats, the same order; ``landed`` NaN: no unit price).

    >>> one = potential_rows(buyer=["b"], product=["p"], supplier=["s"], supplier_zone=["Y"],
    ...     value=np.array([1000.004]), landed=np.array([np.nan]), reference=np.array([np.nan]), basis=["no_price"],
    ...     unit_saving=np.array([np.nan]), volume=np.array([0.0]), annual=np.array([50.0002]), candidates=[("m",)],
    ...     candidate_count=[1], rate=0.05)
    >>> one[0] == potential_row("b", "p", "s", "Y", 1000.004, None, None, "no_price", None, None, 50.0002, ["m"], 1,
    ...                         rate=0.05)
    True
    """
    f64 = {k: np.asarray(v, dtype="float64") for k, v in
           (("value", value), ("landed", landed), ("reference", reference), ("unit", unit_saving),
            ("volume", volume), ("annual", annual))}  # fmt: skip
    priced = ~np.isnan(f64["landed"])
    money_value = np.nan_to_num(rounded(f64["value"], 2) + 0.0, nan=0.0)  # money(x) or 0.0
    money_annual = np.nan_to_num(rounded(f64["annual"], 2) + 0.0, nan=0.0)
    order = np.lexsort((
        -money_value, _ranks(supplier), _ranks(product), _ranks(buyer), -money_annual,
    ))  # fmt: skip  # sort_potential's key, last = first; lexsort is stable, as sorted is
    pick = order.tolist()
    gather = itemgetter(*pick) if len(pick) > 1 else None

    def take(values: Sequence[Any]) -> list[Any]:
        return list(gather(values)) if gather is not None else [values[i] for i in pick]

    rate_col = np.where(priced, ratios(f64["unit"], f64["landed"]), round(rate, 6))
    columns: dict[str, list[Any]] = {
        "buyer_id": take(buyer), "product": take(product), "supplier_id": take(supplier),
        "supplier_zone": take(supplier_zone), "value": money_value[order].tolist(),
        "landed": _or_none((rounded(f64["landed"], 6) + 0.0)[order], priced[order]),
        "reference": _or_none((rounded(f64["reference"], 6) + 0.0)[order], priced[order]),
        "reference_basis": take(basis),
        "unit_saving": _or_none((rounded(f64["unit"], 6) + 0.0)[order], priced[order]),
        "saving_rate": _or_none(rate_col[order], np.ones(len(pick), dtype=bool)),
        "volume": _or_none(rounded(f64["volume"], 4)[order], priced[order], nan=False),  # round(v or 0.0, 4)
        "annual_saving": money_annual[order].tolist(),
        "candidates": take(candidates), "candidate_count": [int(c) for c in take(candidate_count)],
        "annual_exact": f64["annual"][order].tolist(),
    }  # fmt: skip
    return PotentialRows(columns)


def _ranks(values: Sequence[str]) -> np.ndarray:
    """Each string's rank among the distinct values, in Python's order of str (so lexsort sorts as sorted does).

    Only the distinct values are sorted, found by hashing (a zone's rows repeat few buyers and products).

    >>> _ranks(["b", "a", "c", "a"]).tolist()
    [1, 0, 2, 0]
    """
    seen: dict[Any, int] = {}
    codes = np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.int64, count=len(values))
    words = list(seen)
    # NumPy's fixed-width text compares code points as str does, but drops trailing NULs: with one, as objects
    try:
        plain = bool(words) and "\0" not in "".join(words)
    except TypeError:  # not all text
        plain = False
    fixed = np.array(words, dtype=str) if plain else None
    order = np.argsort(fixed if fixed is not None else np.asarray(words, dtype=object), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank[codes]


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
    """One potential-savings row, rounded as everywhere (``landed`` None: no unit price).

    The reference :func:`potential_rows` is tested against (``tests/test_shaping.py``): every engine hands its
    columns to :func:`potential_rows`, the one home of the rounding and the order.
    """
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
    """Largest annual saving first, then buyer, product, supplier and value (the reference order of
    :func:`potential_rows`, with :func:`potential_row`)."""
    return tuple(sorted(rows, key=lambda x: (-x.annual_saving, x.buyer_id, x.product, x.supplier_id, -x.value)))
