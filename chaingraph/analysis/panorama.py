"""The chain panorama (产业链全景图): every chain by segment, stage by stage (docs/analysis.md, "Chain panorama").

Each stage of a chain gets a status (strong / weak / missing / empty, shown
as 强 / 弱 / 缺 / 空白) from figures the other analyses already compute: the
gap kind of :func:`~chaingraph.analysis.gaps.gaps`, the local makers of
:attr:`~chaingraph.analysis.context.ZoneContext.makers` and the share of the
zone's purchases bought outside.  With it come the stage's local makers (chain
leaders marked) and buyers with their amounts, every outside supplier with
its share (the firms to invite into weak and missing stages), the stages that
feed it and the local products that depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chaingraph.analysis.closure import derived_end_products, zone_turns
from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.analysis.gaps import dependents, gaps, outside_half
from chaingraph.analysis.invite import Tracer, raw_materials
from chaingraph.lookup import isin, positions
from chaingraph.model import Dataset
from chaingraph.productflow import ProductFlow
from chaingraph.results.money import money, money_sum, ratio
from chaingraph.results.options import Options
from chaingraph.results.panorama import Panorama, PanoramaChain, Stage, StageBuyer, StageMaker, StageSupplier

__all__ = ["derived_segment", "panorama", "stage_status"]

_SEGMENT_WORDS = {
    "上游": "上游", "上": "上游", "upstream": "上游", "up": "上游",
    "中游": "中游", "中": "中游", "midstream": "中游", "middle": "中游",
    "下游": "下游", "下": "下游", "downstream": "下游", "down": "下游",
    # a raw material bound to a resource is upstream (analysis.invite.is_raw_segment marks it)
    "上游原材料": "上游", "原材料": "上游", "资源": "上游", "raw": "上游", "raw material": "上游",
}  # fmt: skip


def stage_status(makers: int, outside_value: float, mostly_outside: bool, gap_kind: str | None) -> tuple[str, str]:
    """(status, reason) of a stage from its maker count, outside purchases and gap kind.

    The gap kinds keep their meaning (``missing`` → missing, ``empty`` →
    empty, ``weak`` → weak); a stage that is no gap is weak with a single
    maker or when at least half of Z's purchases come from outside
    (``mostly_outside``, :func:`~chaingraph.analysis.gaps.outside_half`, the
    rule of weak gaps), else strong.

    Examples
    --------
    >>> stage_status(0, 5.0, True, "missing"), stage_status(1, 9.0, True, "weak")
    (('missing', 'missing'), ('weak', 'weak_gap'))
    >>> stage_status(1, 0.0, False, None), stage_status(2, 6.0, True, None), stage_status(2, 1.0, False, None)
    (('weak', 'one_maker'), ('weak', 'mostly_outside'), ('strong', 'strong'))
    """
    if gap_kind in ("missing", "empty"):
        return gap_kind, gap_kind
    if gap_kind == "weak":
        return "weak", "weak_gap"
    if makers == 0:  # only without chains.csv: no gap kind "empty" there
        return ("missing", "missing") if outside_value > 0 else ("empty", "empty")
    if makers == 1:
        return "weak", "one_maker"
    if mostly_outside:
        return "weak", "mostly_outside"
    return "strong", "strong"


def derived_segment(level: int, top: int) -> str:
    """The segment of a stage ``level`` steps from the end product in a chain whose deepest stage is ``top``.

    End products are 下游; up to ``max(1, top // 3)`` steps 中游; further 上游.

    >>> [derived_segment(k, 4) for k in range(5)]
    ['下游', '中游', '上游', '上游', '上游']
    """
    if level == 0:
        return "下游"
    return "中游" if level <= max(1, top // 3) else "上游"


def _given_segments(ds: Dataset, chain: str) -> dict[str, str]:
    """Product → segment text of its chains.csv rows in ``chain`` (the last non-empty one, as Neo4j's load)."""
    if ds.chains is None or "segment" not in ds.chains:
        return {}
    rows = ds.chains[(ds.chains["chain"] == chain) & (ds.chains["segment"] != "")]
    return dict(zip(rows["product"].tolist(), rows["segment"].tolist(), strict=True))


@dataclass(frozen=True)
class _Zone:
    """The per-product figures of Z that every stage reads (one pass over the zone's links)."""

    makers: dict[str, list[tuple[str, float]]]
    buyers: dict[str, list[tuple[str, float, float]]]
    suppliers: dict[str, list[tuple[str, float]]]
    demand: dict[str, float]
    local: dict[str, float]
    outside: dict[str, float]
    half: dict[str, bool]
    firms: dict[str, tuple[str, str, str, bool]]
    made: frozenset[str]

    def firm(self, fid: str) -> tuple[str, str, str, bool]:
        """(name, zone, city, declared chain leader) of an enterprise; blanks for an id with no row."""
        return self.firms.get(fid, ("", "", "", False))


def _zone_figures(zone: ZoneContext, products: list[str]) -> _Zone:
    ds, act, makers, made = zone.dataset, zone.links, zone.makers, zone.made
    mk = makers[isin(makers["product"], products)]
    into = act[act["b_in"]]
    into = into[isin(into["product"], products)][["product", "buyer_id", "supplier_id", "value", "s_in"]]
    into = into.assign(local=np.where(into["s_in"].to_numpy(), into["value"].to_numpy(), 0.0))
    out = into[~into["s_in"]]

    def per_product(frame: pd.DataFrame, col: str) -> dict[str, float]:
        return {str(k): float(v) for k, v in frame.groupby("product", sort=False)[col].sum().items()}

    b = into.groupby(["product", "buyer_id"], sort=False)[["value", "local"]].sum().reset_index()
    b = b.sort_values(["product", "value", "buyer_id"], ascending=[True, False, True], kind="stable")
    s = out.groupby(["product", "supplier_id"], sort=False)["value"].sum().reset_index()
    s = s.sort_values(["product", "value", "supplier_id"], ascending=[True, False, True], kind="stable")
    buyers: dict[str, list[tuple[str, float, float]]] = {}
    for p, i, v, lv in zip(b["product"].tolist(), b["buyer_id"].tolist(), b["value"].tolist(), b["local"].tolist(),
                           strict=True):  # fmt: skip
        buyers.setdefault(p, []).append((i, v, lv))
    suppliers: dict[str, list[tuple[str, float]]] = {}
    for p, i, v in zip(s["product"].tolist(), s["supplier_id"].tolist(), s["value"].tolist(), strict=True):
        suppliers.setdefault(p, []).append((i, v))
    by_maker: dict[str, list[tuple[str, float]]] = {}
    for p, m, v in zip(mk["product"].tolist(), mk["maker"].tolist(), mk["sold"].tolist(), strict=True):
        by_maker.setdefault(p, []).append((m, v))
    ids = pd.Series(pd.unique(pd.concat([b["buyer_id"], s["supplier_id"], mk["maker"]]).to_numpy()), dtype="string")
    at = positions(ids, ds.enterprises["id"])
    e = ds.enterprises.iloc[at[at >= 0]]
    firms = dict(zip(ids[at >= 0].tolist(), zip(e["name"].tolist(), e["zone"].tolist(), e["city"].tolist(),
                                                 e["chain_leader"].astype(bool).tolist(), strict=True), strict=True))  # fmt: skip
    demand, outside = per_product(into, "value"), per_product(out, "value")
    keys = sorted(demand)
    half = outside_half([outside.get(k, 0.0) for k in keys], [demand[k] for k in keys])
    return _Zone(by_maker, buyers, suppliers, demand, per_product(into, "local"), outside,
                 {str(k): bool(v) for k, v in zip(keys, half.tolist(), strict=True)}, firms, made)  # fmt: skip


def panorama(data: Dataset | ZoneContext, *, opts: Options | None = None) -> Panorama:
    """The chain panorama of the zone (a :class:`ZoneContext`, or a dataset and ``opts``): each chain's stages.

    Each stage comes with its status, firms and invitees.

    With chains.csv one :class:`PanoramaChain` per chain (sorted by name),
    its stages the chain's products and inputs; without it one per derived
    end product (the products Z sells that no Z firm turns into another),
    its stages everything upstream of it in the product flow graph.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> p = panorama(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> ch = next(c for c in p.chains if c.chain == "充电桩")
    >>> [(s.product, s.segment, s.status) for s in ch.segment("下游")]
    [('充电桩', '下游', 'weak')]
    >>> [m.name for m in next(s for s in ch.stages if s.product == "冷轧薄板").makers]
    ['晋钢']
    """
    zone = zone_of(data, opts)
    ds, opts = zone.dataset, zone.opts
    gap_kind = {g.product: g.kind for g in gaps(zone).gaps}
    flow = zone.flow
    cmap = ds.index.chain_flow()
    plans: list[tuple[str | None, ProductFlow, dict[str, str]]] = []
    if ds.chains is not None:
        for chain in sorted(pd.unique(ds.chains["chain"]).tolist()):
            plans.append((str(chain), ds.index.chain_flow(str(chain)), _given_segments(ds, str(chain))))
    else:
        act = zone.links
        turned = zone_turns(act)
        zg = ProductFlow.of([], zip(turned["p"].tolist(), turned["q"].tolist(), strict=True))
        for q in derived_end_products(act):
            plans.append((None, zg.subgraph(zg.ancestors(q) | {q}) if q in zg else ProductFlow.of([q], []), {}))
    products = sorted({str(n) for _, g, _ in plans for n in g.names.tolist()})
    z = _zone_figures(zone, products)
    deps = {p: tuple(d) for p, d in dependents(products, cmap, flow, z.made).items()}
    raw = raw_materials(ds)
    tracer = zone.tracer
    parts = {p: _product_parts(p, z, gap_kind, deps, raw=raw, tracer=tracer) for p in products}
    chains = tuple(_chain(name, g, given, parts) for name, g, given in plans)
    return Panorama(opts.zone, opts.scope, "chains.csv" if ds.chains is not None else "derived", chains)


def _product_parts(
    p: str, z: _Zone, gap_kind: dict[str, str], deps: dict[str, tuple[str, ...]], *, raw: frozenset[str], tracer: Tracer
) -> dict[str, Any]:
    """The fields of a stage that depend on its product only (shared by every chain it is in)."""
    makers = tuple(StageMaker(m, z.firm(m)[0], money(v) or 0.0, z.firm(m)[3]) for m, v in z.makers.get(p, []))
    outside = z.outside.get(p, 0.0)
    demand = z.demand.get(p, 0.0)
    status, reason = stage_status(len(makers), outside, z.half.get(p, False), gap_kind.get(p))
    suppliers = tuple(StageSupplier(i, *z.firm(i)[:3], money(v) or 0.0, ratio(v, outside))
                      for i, v in z.suppliers.get(p, []))  # fmt: skip
    return dict(
        status=status, reason=reason, gap_kind=gap_kind.get(p), makers=makers,
        maker_sales=money(sum(v for _, v in z.makers.get(p, []))) or 0.0,
        buyers=tuple(StageBuyer(i, z.firm(i)[0], money(v) or 0.0, money(lv) or 0.0) for i, v, lv in z.buyers.get(p, [])),
        local_demand=money(demand) or 0.0, local_supplied=money(z.local.get(p, 0.0)) or 0.0,
        outside_value=money(outside) or 0.0, outside_share=ratio(outside, demand), suppliers=suppliers,
        invite=suppliers if status in ("weak", "missing") else (), dependents=deps[p],
        targets=_targets(p, z, tracer) if status in ("weak", "missing") and p not in raw else (),
        supply_security=p in raw and status in ("weak", "missing"),
    )  # fmt: skip


def _targets(p: str, z: _Zone, tracer: Tracer) -> tuple[StageSupplier, ...]:
    """The makers to invite into stage ``p``: the ranked list's rule (:class:`~chaingraph.analysis.invite.Tracer`)."""
    sellers = z.suppliers.get(p, [])
    out = []
    for t in tracer.targets(p, sellers, money_sum([v for _, v in sellers])):
        if t.id is None:
            route = "、".join(tracer.info.get(x, (x, ""))[0] or x for x in t.via)
            out.append(StageSupplier("", f"厂家未知（经 {route}）", "", "", t.value, t.share))
        else:
            out.append(StageSupplier(t.id, t.name, t.zone, tracer.city.get(t.id, ""), t.value, t.share))
    return tuple(out)


def _chain(name: str | None, g: ProductFlow, given: dict[str, str], parts: dict[str, dict[str, Any]]) -> PanoramaChain:
    level = g.heights()
    top = max(level.values(), default=0)
    stages = []
    for p in sorted(level, key=lambda n: (-level[n], n)):
        text = given.get(p, "")
        segment = _SEGMENT_WORDS.get(text.strip().lower())
        stages.append(Stage(
            product=p, segment=segment or derived_segment(level[p], top), segment_derived=segment is None,
            segment_given=text, level=level[p], inputs=tuple(g.predecessors(p)),
            outputs=tuple(g.successors(p)), **parts[p],
        ))  # fmt: skip
    ends = tuple(g.ends())
    return PanoramaChain(name, name is None, ends, tuple(stages))
