"""The chain panorama (产业链全景图): the result types (docs/analysis.md, "Chain panorama").

:func:`chaingraph.analysis.panorama.panorama` builds them; render/panorama.py
draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chaingraph.results.closure import DERIVED_NOTE

__all__ = [
    "REASONS",
    "SEGMENTS",
    "STATUSES",
    "Panorama",
    "PanoramaChain",
    "Stage",
    "StageBuyer",
    "StageMaker",
    "StageSupplier",
]

#: The three columns of the panorama, upstream first.
SEGMENTS = ("上游", "中游", "下游")
#: Stage statuses, strongest first (强 / 弱 / 缺 / 空白 on the page).
STATUSES = ("strong", "weak", "missing", "empty")
#: Why a stage has its status: the rule of docs/analysis.md that applied.
REASONS = ("strong", "mostly_outside", "one_maker", "weak_gap", "missing", "empty")


@dataclass(frozen=True)
class StageMaker:
    """A firm of Z that makes the stage's product; ``sales`` its yearly sales of it (any buyer)."""

    id: str
    name: str
    sales: float
    leader: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "sales": self.sales, "leader": self.leader}


@dataclass(frozen=True)
class StageBuyer:
    """A firm of Z that buys the stage's product: ``value`` in all, ``local_value`` of it from Z."""

    id: str
    name: str
    value: float
    local_value: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "value": self.value, "local_value": self.local_value}


@dataclass(frozen=True)
class StageSupplier:
    """A firm outside Z selling the stage's product into Z; ``share`` of Z's outside purchases of it."""

    id: str
    name: str
    zone: str
    city: str
    value: float
    share: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "zone": self.zone, "city": self.city, "value": self.value,
                "share": self.share}  # fmt: skip


@dataclass(frozen=True)
class Stage:
    """One stage (product) of a chain in zone Z.

    ``local_demand`` is Z's yearly purchases of the product (any supplier),
    ``outside_value`` the part bought from outside Z and ``outside_share``
    their ratio (``None`` when Z buys none).  ``invite`` lists the current
    outside suppliers of weak and missing stages (all of ``suppliers``, traders
    included, as definition 6 lists them; none otherwise).  ``targets`` are the
    makers to invite, as the ranked invitation list gives them: outside
    makers, the makers traced behind traders and logistics firms, or a
    "maker unknown" row per intermediary route (``id`` empty); none for a raw
    material bound to a resource, which is a ``supply_security`` item instead.  ``level`` counts the steps from the stage to the chain's
    end product (0 for an end product).
    """

    product: str
    segment: str
    segment_derived: bool
    segment_given: str
    level: int
    status: str
    reason: str
    gap_kind: str | None
    makers: tuple[StageMaker, ...]
    maker_sales: float
    buyers: tuple[StageBuyer, ...]
    local_demand: float
    local_supplied: float
    outside_value: float
    outside_share: float | None
    suppliers: tuple[StageSupplier, ...]
    invite: tuple[StageSupplier, ...]
    targets: tuple[StageSupplier, ...]
    supply_security: bool
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    dependents: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "product": self.product,
            "segment": self.segment,
            "segment_derived": self.segment_derived,
            "segment_given": self.segment_given,
            "level": self.level,
            "status": self.status,
            "reason": self.reason,
            "gap_kind": self.gap_kind,
            "makers": [m.to_dict() for m in self.makers],
            "maker_sales": self.maker_sales,
            "buyers": [b.to_dict() for b in self.buyers],
            "local_demand": self.local_demand,
            "local_supplied": self.local_supplied,
            "outside_value": self.outside_value,
            "outside_share": self.outside_share,
            "suppliers": [s.to_dict() for s in self.suppliers],
            "invite": [s.to_dict() for s in self.invite],
            "targets": [s.to_dict() for s in self.targets],
            "supply_security": self.supply_security,
            "inputs": list(self.inputs),
            "outputs": list(self.outputs),
            "dependents": list(self.dependents),
        }


@dataclass(frozen=True)
class PanoramaChain:
    """One chain's stages in supply order (furthest upstream first).

    ``chain`` is the chain's name in chains.csv, ``None`` for a chain derived
    from the links (then ``derived`` is true and ``end_products`` names the one
    end product it leads to).
    """

    chain: str | None
    derived: bool
    end_products: tuple[str, ...]
    stages: tuple[Stage, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Stages per status, in :data:`STATUSES` order."""
        return {s: sum(1 for x in self.stages if x.status == s) for s in STATUSES}

    def segment(self, name: str) -> tuple[Stage, ...]:
        """The stages of one segment (上游, 中游 or 下游), in supply order."""
        return tuple(s for s in self.stages if s.segment == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "chain": self.chain,
            "derived": self.derived,
            "end_products": list(self.end_products),
            "counts": self.counts,
            "stages": [s.to_dict() for s in self.stages],
        }


@dataclass(frozen=True)
class Panorama:
    """Every chain of zone Z, stage by stage; ``basis`` is ``chains.csv`` or ``derived``."""

    zone: str
    scope: str
    basis: str
    chains: tuple[PanoramaChain, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "scope": self.scope,
            "basis": self.basis,
            "note": DERIVED_NOTE if self.basis == "derived" else None,
            "chains": [c.to_dict() for c in self.chains],
        }
