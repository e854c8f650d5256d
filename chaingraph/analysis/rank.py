"""The ranked invitation list (``gaps --rank``) and single points of failure.

Each gap of DOMAIN.md definition 6 gets a score from four parts, each scaled
to 0–1 over the zone's gaps: external demand, number of local buyers, number
of local products that depend on it, and relatedness.  Relatedness applies
the Atlas of Economic Complexity's *density* to chain stages: of the gap's
inputs and outputs in the product flow graph, the share the zone already
covers (inputs it makes, outputs it buys).  A gap with related capabilities
around it is easier to fill.  Weights are the user's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from chaingraph.analysis.common import Options, considered_links, local_makers, money, ratio, zone_members
from chaingraph.productflow import zone_flow
from chaingraph.analysis.gaps import KIND_LABELS, gaps
from chaingraph.errors import ChaingraphError
from chaingraph.model import Dataset
from chaingraph.render.fmt import yuan

__all__ = ["RankedGap", "Ranking", "SinglePoint", "Weights", "rank_gaps"]


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
                    f"--weights: cannot read {part!r}; write e.g. demand=0.4,buyers=0.2,dependents=0.2,relatedness=0.2"
                )
            values[m.group(1)] = float(m.group(2))
        return cls(**values)

    def normalised(self) -> Weights:
        total = self.demand + self.buyers + self.dependents + self.relatedness
        if total <= 0:
            raise ChaingraphError("--weights must not all be 0.")
        return Weights(*(round(w / total, 6) for w in (self.demand, self.buyers, self.dependents, self.relatedness)))


@dataclass(frozen=True)
class RankedGap:
    """A gap with its score and why."""

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
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class SinglePoint:
    """A product with one local maker serving several local buyers (kind ``single_point``)."""

    product: str
    kind: str
    maker: str
    buyers: tuple[str, ...]
    local_value: float
    hhi: float | None
    reason: str

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

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "scope": self.scope, "weights": dict(self.weights.__dict__),
                "ranked": [r.to_dict() for r in self.ranked], "single_points": [s.to_dict() for s in self.single_points]}  # fmt: skip


def _hhi(frame: pd.DataFrame) -> pd.Series:
    """Herfindahl index of suppliers' shares per product (0–1)."""
    by = frame.groupby(["product", "supplier_id"], sort=False)["value"].sum().reset_index()
    tot = by.groupby("product", sort=False)["value"].transform("sum")
    by["sq"] = (by["value"] / tot.where(tot > 0)) ** 2
    return by.groupby("product", sort=False)["sq"].sum(min_count=1)


def rank_gaps(ds: Dataset, *, opts: Options, weights: Weights | None = None) -> Ranking:
    """Score the zone's gaps and list its single points of failure.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> r = rank_gaps(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> r.ranked[0].product, r.ranked[0].score >= r.ranked[1].score
    ('铁矿石', True)
    """
    w = (weights or Weights()).normalised()
    g = gaps(ds, opts=opts)
    members = zone_members(ds, opts)
    act = considered_links(ds, opts, members)
    makers = local_makers(ds, act, members)
    made = set(makers["product"].tolist())
    bought = set(act.loc[act["b_in"], "product"].tolist())
    flow = zone_flow(ds, opts.statuses)
    into = act[act["b_in"]]
    hhi = _hhi(into)
    rows = [r for r in g.gaps]
    max_d = max([r.external_demand for r in rows] + [0.0]) or 1.0
    max_b = max([len(r.buyers) for r in rows] + [0]) or 1
    max_p = max([len(r.dependents) for r in rows] + [0]) or 1
    ranked = []
    for r in rows:
        ins = tuple(flow.predecessors(r.product))
        outs = tuple(flow.successors(r.product))
        ins_made = tuple(p for p in ins if p in made)
        outs_bought = tuple(p for p in outs if p in bought)
        rel = ratio(len(ins_made) + len(outs_bought), len(ins) + len(outs)) or 0.0
        parts = {"demand": round(r.external_demand / max_d, 6), "buyers": round(len(r.buyers) / max_b, 6),
                 "dependents": round(len(r.dependents) / max_p, 6), "relatedness": rel}  # fmt: skip
        score = round(sum(parts[k] * getattr(w, k) for k in parts), 6)
        explanation = (
            f"{KIND_LABELS.get(r.kind, r.kind)} {r.product}: 外部需求 {yuan(r.external_demand)} ({parts['demand']:.2f})×{w.demand}"
            f" + 本地采购方 {len(r.buyers)} 家 ({parts['buyers']:.2f})×{w.buyers}"
            f" + 依赖它的本地产品 {len(r.dependents)} 个 ({parts['dependents']:.2f})×{w.dependents}"
            f" + 关联度 {rel:.2f} (上游已有 {len(ins_made)}/{len(ins)}, 下游已买 {len(outs_bought)}/{len(outs)})×{w.relatedness}"
            f" = {score:.3f}"
        )
        h = hhi.get(r.product)
        ranked.append(RankedGap(r.product, r.kind, score, parts, r.external_demand, len(r.buyers), r.dependents, rel,
                                ins, ins_made, outs, outs_bought, None if h is None or pd.isna(h) else round(float(h), 6),
                                r.suppliers, explanation))  # fmt: skip
    ranked.sort(key=lambda x: (-x.score, -x.external_demand, x.product))
    # single points: one local maker, two or more local buyers of it
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
        name = ds.names.get(ms[0], ms[0])
        singles.append(SinglePoint(str(product), "single_point", str(ms[0]), buyers, money(float(sub["value"].sum())) or 0.0,
                                   hv, f"{product} 只有 {name} 一家本地供应, 却供 {len(buyers)} 家区内企业; "
                                   f"供应商集中度 HHI {hv if hv is not None else '—'}: 它停产, 这些企业都要转向外地"))  # fmt: skip
    singles.sort(key=lambda s: (-len(s.buyers), -s.local_value, s.product))
    return Ranking(opts.zone, opts.scope, w, tuple(ranked), tuple(singles))
