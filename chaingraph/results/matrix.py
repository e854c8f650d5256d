"""The feasibility × attractiveness matrix of a zone's gaps (docs/analysis.md, "Where to invest"): the result types.

Both engines build it through :func:`matrix_rows`, so the scaling, the
medians, the quadrants, the rounding and the order are defined once; an
engine supplies, per gap, the proximity sums and the figures of the gap row.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from chaingraph.errors import ChaingraphError, param
from chaingraph.results.money import money, ratio

if TYPE_CHECKING:
    from chaingraph.results.gaps import Gaps

__all__ = [
    "ATTRACTIVENESS_WEIGHTS",
    "DEFAULT_MULTIPLIER",
    "DRIVERS_SHOWN",
    "QUADRANTS",
    "GapMatrix",
    "MatrixInput",
    "MatrixRow",
    "ZoneScale",
    "check_capture",
    "check_multiplier",
    "matrix_rows",
    "quadrant_of",
    "scale_of",
    "with_quadrants",
]

#: The quadrants, in the order the matrix lists them: (feasible, attractive) → code.
QUADRANTS = ("near_term", "key_push", "reserve", "defer")

#: The output multiplier applied to the value kept local (docs/analysis.md, "Where to invest": its source).
DEFAULT_MULTIPLIER = 1.5

#: How the attractiveness score weighs its parts: the ranked list's default weights of the same
#: parts (demand 0.4, buyers 0.2, dependents 0.2; relatedness is feasibility's side), normalised.
ATTRACTIVENESS_WEIGHTS = {"value_kept": 0.5, "buyers": 0.25, "dependents": 0.25}

#: How many made products driving a gap's density each row lists (``driver_count`` counts them all).
DRIVERS_SHOWN = 10


def check_capture(capture: float) -> float:
    """The capture share, checked: a fraction in [0, 1].

    >>> check_capture(0.3)
    0.3
    """
    if math.isnan(capture) or not 0.0 <= capture <= 1.0:
        raise ChaingraphError(f"{param('capture')} must be a share between 0 and 1, not {capture}.")
    return float(capture)


def check_multiplier(multiplier: float) -> float:
    """The output multiplier, checked: at least 1 (the landed firm's own output) and finite.

    >>> check_multiplier(1.5)
    1.5
    """
    if math.isnan(multiplier) or math.isinf(multiplier) or multiplier < 1.0:
        raise ChaingraphError(f"{param('multiplier')} must be at least 1 (the firm's own output), not {multiplier}.")
    return float(multiplier)


def quadrant_of(feasible: bool, attractive: bool) -> str:
    """The quadrant of a gap.

    >>> quadrant_of(True, True), quadrant_of(False, True), quadrant_of(True, False), quadrant_of(False, False)
    ('near_term', 'key_push', 'reserve', 'defer')
    """
    if attractive:
        return "near_term" if feasible else "key_push"
    return "reserve" if feasible else "defer"


@dataclass(frozen=True)
class ZoneScale:
    """The zone's own output and employment, for the multiplier's figures (``None``: not in the data)."""

    #: Σ output_value of the zone's firms that report one (yuan a year).
    output_value: float | None
    #: Σ employees ÷ Σ output_value over the zone's firms reporting both (people per yuan of output).
    employees_per_yuan: float | None
    #: How many firms of the zone report both.
    firms_reporting: int


def scale_of(outputs: Sequence[float], both: Sequence[tuple[float, float]]) -> ZoneScale:
    """The zone's :class:`ZoneScale` from its firms' output_value (those > 0) and (output_value, employees) pairs.

    >>> scale_of([2e8, 1e8], [(2e8, 100.0)])
    ZoneScale(output_value=300000000.0, employees_per_yuan=5e-07, firms_reporting=1)
    """
    total = math.fsum(outputs) if outputs else None
    per = math.fsum(n for _, n in both) / math.fsum(o for o, _ in both) if both else None
    return ZoneScale(total, per, len(both))


@dataclass(frozen=True)
class MatrixInput:
    """One gap as an engine gives it: the gap row's figures and its proximity sums (exact)."""

    product: str
    kind: str
    external_demand: float
    buyers: int
    dependents: tuple[str, ...]
    #: Σ_q φ(p, q) · M(Z, q) and Σ_q φ(p, q), over the products q ≠ p made somewhere in the scope.
    proximity_made: float
    proximity_total: float
    #: How many zones of the scope make p (N_p).
    zones_making: int
    #: (q, φ(p, q)) for the products q that Z makes with φ > 0, in any order.
    drivers: Sequence[tuple[str, float]]
    #: The ranked list's chain-based relatedness (docs/analysis.md, "The ranked invitation list") and its inputs.
    inputs: tuple[str, ...]
    inputs_made: tuple[str, ...]
    outputs: tuple[str, ...]
    outputs_bought: tuple[str, ...]


@dataclass(frozen=True)
class MatrixRow:
    """One gap on the matrix: feasibility (density), attractiveness (value kept local …), quadrant."""

    product: str
    kind: str
    density: float | None
    proximity_made: float
    proximity_total: float
    zones_making: int
    drivers: tuple[dict[str, Any], ...]
    driver_count: int
    chain_relatedness: float
    inputs: tuple[str, ...]
    inputs_made: tuple[str, ...]
    outputs: tuple[str, ...]
    outputs_bought: tuple[str, ...]
    external_demand: float
    value_kept: float
    buyers: int
    dependents: tuple[str, ...]
    output_effect: float | None
    output_share: float | None
    jobs: float | None
    attractiveness: float
    parts: dict[str, float]
    feasible: bool
    attractive: bool
    quadrant: str

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class GapMatrix:
    """The zone's gaps on the feasibility × attractiveness matrix (raw materials left out: supply security)."""

    zone: str
    scope: str
    capture: float
    multiplier: float
    #: How many zones of the scope make something (the rows of the co-location matrix M).
    zones: int
    #: The zone's medians over the rows: feasible ⇔ density ≥ it and > 0; attractive likewise.
    feasibility_median: float
    attractiveness_median: float
    scale: ZoneScale
    rows: tuple[MatrixRow, ...]
    supply_security: tuple[str, ...] = field(default=())

    def quadrant(self, product: str) -> str | None:
        """The quadrant of a gap product (``None``: not on the matrix, e.g. a raw material)."""
        return self._quadrants.get(product)

    @property
    def _quadrants(self) -> dict[str, str]:
        return {r.product: r.quadrant for r in self.rows}

    def to_dict(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "scope": self.scope,
            "capture": self.capture,
            "multiplier": self.multiplier,
            "zones": self.zones,
            "feasibility_median": self.feasibility_median,
            "attractiveness_median": self.attractiveness_median,
            "output_value": self.scale.output_value,
            "employees_per_yuan": self.scale.employees_per_yuan,
            "firms_reporting": self.scale.firms_reporting,
            "rows": [r.to_dict() for r in self.rows],
            "supply_security": list(self.supply_security),
        }


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 6) + 0.0 if values else 0.0


def matrix_rows(
    zone: str,
    scope: str,
    items: Sequence[MatrixInput],
    *,
    capture: float,
    multiplier: float,
    zones: int,
    scale: ZoneScale,
    supply_security: Sequence[str] = (),
) -> GapMatrix:
    """The matrix from each gap's figures: densities, parts, medians and quadrants, rounded and ordered once.

    Examples
    --------
    Two gaps: A with density 2/3 and demand 100, B with density 0 and demand 50.

    >>> a = MatrixInput("A", "missing", 100.0, 2, ("X",), 1.0, 1.5, 2, [("Q", 1.0)], (), (), (), ())
    >>> b = MatrixInput("B", "missing", 50.0, 1, (), 0.0, 1.0, 1, [], (), (), (), ())
    >>> m = matrix_rows("Z", "zone", [a, b], capture=1.0, multiplier=1.5, zones=3,
    ...                 scale=ZoneScale(None, None, 0))
    >>> [(r.product, r.density, r.attractiveness, r.quadrant) for r in m.rows]
    [('A', 0.666667, 1.0, 'near_term'), ('B', 0.0, 0.375, 'defer')]
    """
    capture, multiplier = check_capture(capture), check_multiplier(multiplier)
    kept = {x.product: x.external_demand * capture for x in items}
    max_v = max([*kept.values(), 0.0]) or 1.0
    max_b = max([x.buyers for x in items] + [0]) or 1
    max_d = max([len(x.dependents) for x in items] + [0]) or 1
    w = ATTRACTIVENESS_WEIGHTS
    staged = []
    for x in items:
        density = ratio(x.proximity_made, x.proximity_total)
        parts = {"value_kept": round(kept[x.product] / max_v, 6) + 0.0, "buyers": round(x.buyers / max_b, 6) + 0.0,
                 "dependents": round(len(x.dependents) / max_d, 6) + 0.0}  # fmt: skip
        score = round(sum(parts[k] * w[k] for k in w), 6) + 0.0
        staged.append((x, density, parts, score))
    f_med = _median([d or 0.0 for _, d, _, _ in staged])
    a_med = _median([s for *_, s in staged])
    rows = []
    for x, density, parts, score in staged:
        feasible = (density or 0.0) > 0 and (density or 0.0) >= f_med
        attractive = score > 0 and score >= a_med
        value_kept = kept[x.product]
        effect = value_kept * multiplier if scale.output_value else None
        jobs = None if effect is None or scale.employees_per_yuan is None else effect * scale.employees_per_yuan
        drivers = sorted(x.drivers, key=lambda d: (-d[1], d[0]))
        rel = ratio(len(x.inputs_made) + len(x.outputs_bought), len(x.inputs) + len(x.outputs)) or 0.0
        rows.append(MatrixRow(
            x.product, x.kind, density, round(x.proximity_made, 6) + 0.0, round(x.proximity_total, 6) + 0.0,
            x.zones_making, tuple({"product": q, "proximity": round(phi, 6) + 0.0} for q, phi in drivers[:DRIVERS_SHOWN]),
            len(drivers), rel, tuple(x.inputs), tuple(x.inputs_made), tuple(x.outputs), tuple(x.outputs_bought),
            money(x.external_demand) or 0.0, money(value_kept) or 0.0, x.buyers, tuple(x.dependents), money(effect),
            None if effect is None or not scale.output_value else ratio(effect, scale.output_value),
            None if jobs is None else round(jobs, 1) + 0.0, score, parts, feasible, attractive,
            quadrant_of(feasible, attractive),
        ))  # fmt: skip
    order = {q: i for i, q in enumerate(QUADRANTS)}
    rows.sort(key=lambda r: (order[r.quadrant], -r.attractiveness, -(r.density or 0.0), r.product))
    return GapMatrix(zone, scope, capture, multiplier, zones, f_med, a_med, scale, tuple(rows),
                     tuple(sorted(supply_security)))  # fmt: skip


def with_quadrants(g: Gaps, m: GapMatrix | Mapping[str, str]) -> Gaps:
    """``g`` with each row's ``quadrant`` from the matrix (raw materials: ``supply_security``)."""
    q = {r.product: r.quadrant for r in m.rows} if isinstance(m, GapMatrix) else dict(m)
    raw = set(m.supply_security) if isinstance(m, GapMatrix) else set()
    rows = tuple(replace(r, quadrant=q.get(r.product, "supply_security" if r.product in raw else None)) for r in g.gaps)
    return replace(g, gaps=rows)
