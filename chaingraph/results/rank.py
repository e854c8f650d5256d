"""The ranked invitation list (``gaps --rank``), supply security and single points of failure: the result types."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chaingraph.errors import ChaingraphError, param

if TYPE_CHECKING:
    from chaingraph.productflow import Columns

__all__ = ["RAW_SEGMENT", "RULE_ORDER", "RankedGap", "Ranking", "SinglePoint", "SupplyItem", "Weights",
           "is_raw_segment", "raw_products"]  # fmt: skip

#: The rules that place a gap, in list order: ranked by score within each, raw materials set apart.
RULE_ORDER = ("makers_known", "maker_unknown", "no_supplier", "raw_material")


#: A chains.csv ``segment`` that marks a raw material bound to a resource (上游原材料, 原材料, 资源, raw).
RAW_SEGMENT = re.compile(r"原材料|资源|raw", re.IGNORECASE)


def is_raw_segment(text: str) -> bool:
    """Whether a chains.csv ``segment`` marks a raw material bound to a resource.

    >>> is_raw_segment("上游原材料"), is_raw_segment("raw material"), is_raw_segment("上游")
    (True, True, False)
    """
    return bool(RAW_SEGMENT.search(text or ""))


def raw_products(chains: Columns | None) -> frozenset[str]:
    """Chain-map stages with no inputs whose segment marks them raw material (:func:`is_raw_segment`).

    ``chains`` has chains.csv's columns (``product``, ``input``, ``segment``: a frame, or each column as a list);
    the one rule for every engine.

    >>> sorted(raw_products({"product": ["铁矿", "钢", "煤"], "input": ["", "铁矿", ""], "segment": ["原材料"] * 3}))
    ['煤', '铁矿']
    """
    if chains is None:
        return frozenset()
    products, inputs, segments = (list(chains[c]) for c in ("product", "input", "segment"))
    fed = {p for p, i in zip(products, inputs, strict=True) if i != ""}
    return frozenset(p for p, t in zip(products, segments, strict=True) if is_raw_segment(str(t)) and p not in fed)


@dataclass(frozen=True)
class Weights:
    """How much each part counts; normalised to sum to 1."""

    demand: float = 0.4
    buyers: float = 0.2
    dependents: float = 0.2
    relatedness: float = 0.2

    @classmethod
    def parse(cls, text: str | None) -> Weights:
        """From ``demand=0.5,buyers=0.2,…`` (parts not named keep their default).

        >>> Weights.parse("demand=1,relatedness=1").normalised()
        Weights(demand=0.416667, buyers=0.083333, dependents=0.083333, relatedness=0.416667)
        """
        if not text:
            return cls()
        values: dict[str, float] = {}
        for part in text.split(","):
            m = re.fullmatch(r"\s*(demand|buyers|dependents|relatedness)\s*=\s*([0-9.]+)\s*", part)
            if not m:
                raise ChaingraphError(
                    f"{param('weights')}: cannot read {part!r}; write e.g. demand=0.4,buyers=0.2,dependents=0.2,relatedness=0.2"
                )
            values[m.group(1)] = float(m.group(2))
        return cls(**values)

    def normalised(self) -> Weights:
        total = self.demand + self.buyers + self.dependents + self.relatedness
        if total <= 0:
            raise ChaingraphError(f"{param('weights')} must not all be 0.")
        return Weights(*(round(w / total, 6) for w in (self.demand, self.buyers, self.dependents, self.relatedness)))


@dataclass(frozen=True)
class RankedGap:
    """A gap with its score and the parts it adds up (:func:`chaingraph.render.explain.gap_explanation` words them)."""

    product: str
    kind: str
    score: float
    parts: dict[str, float]
    external_demand: float
    buyers: int
    dependents: tuple[str, ...]
    relatedness: float
    inputs: tuple[str, ...]
    inputs_made: tuple[str, ...]
    outputs: tuple[str, ...]
    outputs_bought: tuple[str, ...]
    hhi: float | None
    suppliers: tuple[dict[str, Any], ...]
    #: The makers to invite (traders and logistics firms traced to the makers behind them; ``id`` None: unknown).
    targets: tuple[dict[str, Any], ...] = ()
    #: Which rule put the row where it is (:data:`RULE_ORDER`; render/explain.py words it), and for
    #: ``maker_unknown`` the traders and logistics firms the product comes through, by name.
    rule: str = "makers_known"
    via: tuple[str, ...] = ()
    #: The feasibility × attractiveness quadrant of the gap (:mod:`chaingraph.results.matrix`).
    quadrant: str | None = None

    @property
    def invitees(self) -> tuple[dict[str, Any], ...]:
        """The makers to invite, for lists that show them (report, workbook): the known makers of :attr:`targets`."""
        return tuple(t for t in self.targets if t["id"])

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class SupplyItem:
    """A raw material bound to a resource that the zone buys from outside: a supply-security item, not a target."""

    product: str
    kind: str
    external_demand: float
    buyers: tuple[str, ...]
    suppliers: tuple[dict[str, Any], ...]
    hhi: float | None
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class SinglePoint:
    """A product with one local maker serving several local buyers (kind ``single_point``).

    :func:`chaingraph.render.explain.single_point_reason` says why it matters.
    """

    product: str
    kind: str
    maker: str
    buyers: tuple[str, ...]
    local_value: float
    hhi: float | None

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Ranking:
    """``gaps --rank``: ranked gaps and single points of failure."""

    zone: str
    scope: str
    weights: Weights
    ranked: tuple[RankedGap, ...]
    single_points: tuple[SinglePoint, ...] = field(default=())
    supply_security: tuple[SupplyItem, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "scope": self.scope, "weights": dict(self.weights.__dict__),
                "ranked": [r.to_dict() for r in self.ranked], "single_points": [s.to_dict() for s in self.single_points],
                "supply_security": [x.to_dict() for x in self.supply_security]}  # fmt: skip
