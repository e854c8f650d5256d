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

from chaingraph.analysis.common import Options, considered_links, local_makers, money, money_sum, ratio, zone_members
from chaingraph.analysis.flow import zone_flow
from chaingraph.analysis.gaps import KIND_LABELS, gaps
from chaingraph.analysis.invite import Tracer, raw_materials
from chaingraph.errors import ChaingraphError
from chaingraph.model import Dataset
from chaingraph.render.fmt import yuan

__all__ = ["RULES", "RULE_LABELS", "RankedGap", "Ranking", "SinglePoint", "SupplyItem", "Weights", "rank_gaps"]

#: The rules that place a gap, in list order: ranked by score within each, raw materials set apart.
RULES = {
    "makers_known": "按得分排序: 数据中有可邀请的外地厂家",
    "maker_unknown": "排在有厂家的缺链之后: 只有贸易商/物流商{via}供货, 数据看不到背后的厂家, 先查明厂家再招商",
    "no_supplier": "排在最后: 数据中没有外地供应商 (空白环节), 需另找厂家",
    "raw_material": "不参与排名, 列为供应安全事项: 资源型原材料 (chains.csv 标为原材料、无上游投入), 开发区不招引矿山, 应保障稳定供应",
}
#: Short labels of :data:`RULES` for tables.
RULE_LABELS = {"makers_known": "有厂家可邀", "maker_unknown": "厂家未知·先查明", "no_supplier": "无供应商",
               "raw_material": "供应安全"}  # fmt: skip
_TIER = {"makers_known": 0, "maker_unknown": 1, "no_supplier": 2}


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
    #: The makers to invite (traders and logistics firms traced to the makers behind them; ``id`` None: unknown).
    targets: tuple[dict[str, Any], ...] = ()
    #: Which rule put the row where it is (:data:`RULES`), and that rule in a sentence.
    rule: str = "makers_known"
    rule_text: str = ""

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
    rule_text: str
    reason: str

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
    supply_security: tuple[SupplyItem, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "scope": self.scope, "weights": dict(self.weights.__dict__),
                "ranked": [r.to_dict() for r in self.ranked], "single_points": [s.to_dict() for s in self.single_points],
                "supply_security": [x.to_dict() for x in self.supply_security]}  # fmt: skip


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
    >>> top = r.ranked[0]
    >>> top.product, top.rule, [(t["id"], t["share"]) for t in top.targets]  # makers, not traders
    ('MCU芯片', 'makers_known', [('EX-043', 0.217648), ('SZ-MCU', 0.013485), (None, 0.768867)])
    >>> r.ranked[-1].product, r.ranked[-1].rule, r.ranked[-1].targets[0]["via"]  # only a trader: maker unknown
    ('光学胶', 'maker_unknown', ['HK-YT'])
    >>> [(x.product, x.rule) for x in r.supply_security]  # a mine is not invited
    [('铁矿石', 'raw_material')]
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
    raw = raw_materials(ds)
    rows = [r for r in g.gaps if r.product not in raw]  # raw materials are not invitation targets
    tracer = Tracer(ds, opts)
    outside = into[~into["s_in"]]
    sold_in = {str(p): _by_value(grp) for p, grp in outside.groupby("product", sort=False)}
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
        sellers = sold_in.get(r.product, [])
        targets = tracer.targets(r.product, sellers, money_sum([v for _, v in sellers]))
        rule = "makers_known" if any(t.id for t in targets) else "maker_unknown" if targets else "no_supplier"
        via = "、".join(sorted({ds.names.get(x, x) for t in targets if t.id is None for x in t.via[:1]}))
        ranked.append(RankedGap(r.product, r.kind, score, parts, r.external_demand, len(r.buyers), r.dependents, rel,
                                ins, ins_made, outs, outs_bought, None if h is None or pd.isna(h) else round(float(h), 6),
                                r.suppliers, explanation, tuple(t.to_dict() for t in targets), rule,
                                RULES[rule].format(via=f" ({via}) " if via else "")))  # fmt: skip
    ranked.sort(key=lambda x: (_TIER[x.rule], -x.score, -x.external_demand, x.product))
    supply = []
    for r in g.gaps:
        if r.product in raw:
            h = hhi.get(r.product)
            kinds = {i: tracer.kind.get(i, "manufacturer") for i in (s["id"] for s in r.suppliers)}
            sups = tuple({**s, "kind": kinds[s["id"]]} for s in r.suppliers)
            hv = None if h is None or pd.isna(h) else round(float(h), 6)
            reason = (f"{r.product}: 外部采购 {yuan(r.external_demand)}/年, {len(r.buyers)} 家区内企业在买, "
                      f"外地供应商 {len(sups)} 家 (其中贸易/物流 {sum(1 for k in kinds.values() if k != 'manufacturer')} 家), "
                      f"集中度 HHI {hv if hv is not None else '—'}")  # fmt: skip
            supply.append(SupplyItem(r.product, r.kind, r.external_demand, tuple(b["id"] for b in r.buyers), sups, hv,
                                     "raw_material", RULES["raw_material"], reason))  # fmt: skip
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
    return Ranking(opts.zone, opts.scope, w, tuple(ranked), tuple(singles), tuple(supply))


def _by_value(frame: pd.DataFrame) -> list[tuple[str, float]]:
    """(supplier id, exact value) of a product's outside links into the zone, largest first, then id."""
    v = frame.groupby("supplier_id", sort=False)["value"].sum().reset_index()
    v = v.sort_values(["value", "supplier_id"], ascending=[False, True], kind="stable")
    return [(str(i), float(x)) for i, x in zip(v["supplier_id"], v["value"], strict=True)]
