"""What the report and the workbook both show: headline figures, the zone against its target and its
peers, whom to invite, and the conclusion written from those figures.

Built once per report (:func:`build_brief`) so that ``report.html`` and ``workbook.xlsx`` say the same
thing in the same words.  Presentation only: every figure comes from an analysis result.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from chaingraph.render.explain import gap_explanation, supply_reason
from chaingraph.render.fmt import GAP_KINDS, money3, pct
from chaingraph.results.benchmark import comparable

if TYPE_CHECKING:
    import pandas as pd

    from chaingraph.model import Dataset
    from chaingraph.results.analysis import Analysis
    from chaingraph.results.benchmark import Benchmark
    from chaingraph.results.matrix import GapMatrix
    from chaingraph.results.panorama import Panorama
    from chaingraph.results.rank import RankedGap, Ranking
    from chaingraph.results.resilience import Resilience

__all__ = [
    "BASIS_LABELS",
    "DEFAULT_TARGET_LSR",
    "DEFINITIONS",
    "KIND_LABELS",
    "Brief",
    "Invitee",
    "Peer",
    "SupplyRow",
    "TopGap",
    "build_brief",
    "generation_date",
    "ranks_among_zones",
]

#: The local sourcing ratio a zone is held against unless ``--target-lsr`` says otherwise.
DEFAULT_TARGET_LSR = 0.5
KIND_LABELS = GAP_KINDS  # the gap kinds as people read them (render/fmt.py)
BASIS_LABELS = {
    "local_market": "区内市场价",
    "rate": "按本地配套节约率估算",
    "no_price": "无单价，按采购额×节约率估算",
}

#: One line per section: what the figure is (the reader has only the report).
DEFINITIONS: dict[str, str] = {
    "本地配套率": "区内企业从区内企业采购的金额 ÷ 区内企业的采购总额（在供关系，按年采购额）。",
    "园区对比": "同一份数据中有区内采购的园区，按本地配套率从高到低排名；只有外地供应商或客户的地区不参与排名。",
    "招商清单": "缺口按四项打分排序：外部采购额 40%、区内采购方数 20%、依赖它的区内产品数 20%、与区内已有环节的关联度 20%。",
    "招商对象": "建议邀请的外地生产企业：贸易、物流企业的货追溯到其背后的厂家，查不到的标明厂家未知；"
    "份额 = 它的供货额 ÷ 该产品的外部采购额。",
    "供应安全": "依赖外地资源的原材料（如矿石）：开发区招不来矿山，列为供应安全事项（稳定货源、分散供应商），不作为招商对象。",
    "缺口类型": "缺链：区内企业从外地采购、区内无企业生产；弱链：区内只有 1 家企业生产，且一半以上仍从外地采购；"
    "空白环节：产业链图谱中区内无企业生产的环节。",
    "环节覆盖": "终端产品的上游环节中，区内有企业生产的环节所占比例；100% 即该链条闭环。",
    "已实现节约": "原从外地采购、现改由区内企业供应的产品：（原到厂单价 − 现到厂单价）× 现年采购量。",
    "潜在节约": "仍从外地采购、但区内已有企业能生产的产品：若改由区内供应，每年可节约的金额（参考区内市场价，"
    "无价时按节约率估算）。",
    "本地链条": "完全由区内企业组成、至少两道供应关系的链条，按供应顺序排列。",
    "招商矩阵": "可行性 = 关联密度：数据中各地区“同时生产”的规律算出产品之间的接近度 φ，缺口与本园区已有产品越接近、"
    "越多，密度越高（0–1）；吸引力 = 补链可留在本地的采购额 50% + 区内采购方数 25% + 依赖它的区内产品数 25%。"
    "两者都以园区全部缺口的中位数为界：近期可招（都高）、重点攻坚（吸引力高、可行性低）、储备（可行性高、吸引力低）、暂缓（都低）。",
    "产业链全景": "每条产业链按上游 → 中游 → 下游排列各环节，标出强 / 弱 / 缺 / 空白、区内企业、区内需求、外购占比和招商对象。",
    "供应韧性": "每种区内企业采购的产品：各供应商（区内、外地都算，贸易商也算一家）占区内采购额的份额；"
    "集中度 HHI = 各份额平方和 × 10,000（只有一家供应商为 10,000 点）；超过 2,500 点为高度集中"
    "（美国司法部与联邦贸易委员会《横向并购指南》2010 年版第 5.3 节的标准）；只有一家供应商的产品为单点，它停产即断供。",
    "对标": "与数据中其他有区内采购的园区比较本地配套率、节约、缺口和各产业链环节覆盖率；"
    "对本园区的每个缺口，列出在本地有生产企业的对标园区及其厂家（不含贸易、物流企业），是招商的最短路径。",
}


@dataclass(frozen=True)
class Invitee:
    """One outside firm to invite for one gap."""

    rank: int
    product: str
    kind: str
    supplier_id: str
    name: str
    city: str
    share: float | None
    amount: float | None


@dataclass(frozen=True)
class TopGap:
    """A ranked gap with its invitees, for the report's lists."""

    rank: int
    product: str
    kind: str
    score: float
    external_demand: float
    buyers: int
    dependents: tuple[str, ...]
    invitees: tuple[Invitee, ...]
    explanation: str
    #: The feasibility × attractiveness quadrant (``results.matrix``), as in every gap output.
    quadrant: str | None = None


@dataclass(frozen=True)
class SupplyRow:
    """A raw material bound to a resource, bought from outside: a supply-security item, not an invitation target."""

    product: str
    kind: str
    external_demand: float
    buyers: tuple[str, ...]
    suppliers: tuple[Invitee, ...]
    reason: str


@dataclass(frozen=True)
class Peer:
    """One zone of the data in the comparison."""

    zone: str
    local_sourcing_ratio: float | None
    local_value: float
    total_value: float
    total_realized: float
    total_potential: float
    gaps: int


@dataclass(frozen=True)
class Brief:
    """Everything the report's first screen and the workbook's 总览 need."""

    analysis: Analysis
    names: Mapping[str, str]
    target_lsr: float
    peers: tuple[Peer, ...]
    rank: int | None
    median_lsr: float | None
    ranked: tuple[TopGap, ...]
    conclusion: str
    source: str
    generated: str
    counts: tuple[tuple[str, int], ...] = field(default=())
    rejected: int = 0
    panorama: Panorama | None = None
    supply: tuple[SupplyRow, ...] = ()
    #: Supply concentration (docs/analysis.md, "Resilience") and the peer comparison ("Peer zones").
    resilience: Resilience | None = None
    benchmark: Benchmark | None = None
    #: The gaps on the feasibility × attractiveness matrix (report chart, 招商矩阵 sheet).
    matrix: GapMatrix | None = None

    @property
    def zone(self) -> str:
        return self.analysis.closure.zone

    @property
    def invitees(self) -> tuple[Invitee, ...]:
        """Every invitee of every ranked gap, in rank order."""
        return tuple(i for g in self.ranked for i in g.invitees)


def generation_date() -> str:
    """Today's date (UTC), or the date of ``SOURCE_DATE_EPOCH`` when set, as ``YYYY-MM-DD``.

    The date is the only thing in a report that changes between runs on the same input
    (reproducible-builds convention: set ``SOURCE_DATE_EPOCH`` to fix it too).
    """
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    return date.today().isoformat()


def _invitees_of(g: RankedGap) -> tuple[dict[str, Any], ...]:
    """The firms the ranked list offers for a gap (the ranked list's own choice: follow its API)."""
    chosen = getattr(g, "invitees", None)
    return tuple(chosen) if chosen is not None else tuple(g.suppliers)


def ranks_among_zones(row: Mapping[Any, Any]) -> bool:
    """Whether a zones-summary row is a zone to compare: it has local purchases and so a ratio.

    Places with none are mostly outside suppliers' regions (深圳市, 香港 …), not zones.

    >>> ranks_among_zones({"local_value": 5.0, "local_sourcing_ratio": 0.5})
    True
    >>> ranks_among_zones({"local_value": 0.0, "local_sourcing_ratio": 0.0})
    False
    """
    return comparable(row)  # one home: results/benchmark.py


def _peers(summary: pd.DataFrame | None, zone: str) -> tuple[Peer, ...]:
    """Zones with local purchases (the zone itself always), highest local sourcing ratio first."""
    if summary is None or summary.empty:
        return ()
    rows = []
    for r in summary.to_dict("records"):
        lsr = r.get("local_sourcing_ratio")
        lsr = None if lsr is None or lsr != lsr else float(lsr)
        if r["zone"] != zone and not ranks_among_zones(r):
            continue
        rows.append(Peer(str(r["zone"]), lsr, float(r["local_value"] or 0), float(r["total_value"] or 0),
                         float(r["total_realized"] or 0), float(r["total_potential"] or 0), int(r["gaps"])))  # fmt: skip
    rows.sort(key=lambda p: (p.local_sourcing_ratio is None, -(p.local_sourcing_ratio or 0), p.zone))
    return tuple(rows)


def _names_joined(items: list[str], *, most: int = 2) -> str:
    shown = "、".join(items[:most])
    return shown + (f" 等 {len(items)} 家" if len(items) > most else "")


def _conclusion(a: Analysis, brief: dict[str, Any]) -> str:
    """One paragraph in Chinese, written from the figures."""
    c, s = a.closure, a.savings
    zone, target = c.zone, brief["target_lsr"]
    parts = []
    if c.local_sourcing_ratio is None:
        parts.append(f"{zone}的区内企业在数据中没有采购记录，本地配套率无法计算。")
    else:
        lsr = c.local_sourcing_ratio
        gap_pp = (target - lsr) * 100
        vs = (f"低于 {pct(target, digits=0)} 的目标 {gap_pp:.1f} 个百分点" if gap_pp > 0.05
              else f"达到 {pct(target, digits=0)} 的目标")  # fmt: skip
        sent = (f"{zone}的产业链本地配套率为 {pct(lsr)}（区内采购 {money3(c.local_value)}，"
                f"占采购总额 {money3(c.total_value)}），{vs}")  # fmt: skip
        if brief["rank"] is not None and len(brief["peers"]) > 1:
            sent += f"，在数据中的 {len(brief['peers'])} 个园区里排第 {brief['rank']}（中位数 {pct(brief['median'])}）"
        parts.append(sent + "。")
    if c.chains:
        closed = sum(1 for r in c.chains if r.closed)
        if closed:
            parts.append(f"{len(c.chains)} 条产业链（按终端产品计）中 {closed} 条已在区内闭环。")
        else:
            parts.append(f"{len(c.chains)} 条产业链（按终端产品计）都还没有在区内闭环。")
    done = f"本地配套每年已节约 {money3(s.total_realized)}" if s.total_realized else "数据中暂无已实现的本地配套节约"
    if s.total_potential:
        parts.append(
            f"{done}；若把区内已能生产、仍从外地采购的产品改由区内供应，每年还可节约 {money3(s.total_potential)}。"
        )
    else:
        parts.append(f"{done}；区内已能生产的产品都已由区内供应，暂无潜在节约。")
    top: list[TopGap] = brief["ranked"][:3]
    if not top:
        parts.append("当前数据中没有缺链、弱链或空白环节。")
    else:
        items = []
        for g in top:
            who = [i.name for i in g.invitees]
            ask = f"建议邀请{_names_joined(who)}" if who else "暂无外地供应商数据，需另找企业"
            amount = f"外部采购 {money3(g.external_demand)}" if g.external_demand > 0 else "区内暂无采购"
            items.append(f"{g.product}（{KIND_LABELS.get(g.kind, g.kind)}，{amount}，{ask}）")
        parts.append(f"最需要补的{'一二三'[len(top) - 1]}个缺口是：" + "；".join(items) + "。")
    supply: list[SupplyRow] = brief["supply"]
    if supply:
        first = "、".join(x.product for x in supply[:2]) + (f" 等 {len(supply)} 项" if len(supply) > 2 else "")
        total = sum(x.external_demand for x in supply)
        parts.append(
            f"另有{first}资源型原材料依赖外地供应（外部采购 {money3(total)}），属供应安全问题，不列为招商对象。"
        )
    parts.append(_matrix_sentence(brief.get("matrix")))
    return "".join(parts)


def _matrix_sentence(m: GapMatrix | None) -> str:
    """What the gap matrix says in one sentence: the gaps to land first (近期可招) and those to push for (重点攻坚)."""
    if m is None or not m.rows:
        return ""
    near = [r for r in m.rows if r.quadrant == "near_term"]
    push = [r for r in m.rows if r.quadrant == "key_push"]
    if not near and not push:
        return ""

    def joined(rows: list[Any]) -> str:
        return "、".join(r.product for r in rows[:3]) + (f" 等 {len(rows)} 个" if len(rows) > 3 else "")

    said = []
    if near:
        said.append(f"可行又有吸引力、可近期招引的有{joined(near)}"
                    f"（补链后每年可留在本地 {money3(sum(r.value_kept for r in near))}，"
                    f"按新厂承接区内现有外购的 {pct(m.capture, digits=0)} 估算）")  # fmt: skip
    if push:
        said.append(f"吸引力高但区内配套基础弱、需重点攻坚的有{joined(push)}")
    return "按招商矩阵，" + "；".join(said) + "。"


def build_brief(
    a: Analysis,
    *,
    ranking: Ranking,
    names: Mapping[str, str],
    dataset: Dataset | None = None,
    summary: pd.DataFrame | None = None,
    target_lsr: float = DEFAULT_TARGET_LSR,
    generated: str | None = None,
    panorama: Panorama | None = None,
    resilience: Resilience | None = None,
    benchmark: Benchmark | None = None,
    matrix: GapMatrix | None = None,
) -> Brief:
    """The figures, comparison, invitation list and conclusion of one zone's report.

    Parameters
    ----------
    a
        The zone's closure, savings and gaps.
    ranking
        The ranked invitation list (:func:`chaingraph.analysis.rank.rank_gaps`): whom to invite.
    names
        Enterprise id → name.
    dataset
        For invitees' cities and the footer's data source and row counts.
    summary
        Every zone's headline figures (``zones_summary``), for the comparison.
    target_lsr
        The local sourcing ratio the zone is held against (0–1).
    generated
        The date printed on the report (default :func:`generation_date`).
    panorama
        The chain panorama (产业链全景图), shown after the first screen and as the 全景 sheet.
    resilience, benchmark
        The zone's supply concentration and its peer comparison (对标): a section and sheets each.
    matrix
        The gaps' feasibility × attractiveness matrix (:func:`chaingraph.analysis.matrix.gap_matrix`).
    """
    zone = a.closure.zone
    city: dict[str, str] = {}
    if dataset is not None:
        e = dataset.enterprises
        col = "city" if "city" in e.columns else "zone"
        city = {
            str(i): str(c or z) for i, c, z in zip(e["id"].tolist(), e[col].tolist(), e["zone"].tolist(), strict=True)
        }
    ranked = []
    for k, g in enumerate(ranking.ranked, 1):
        invs = tuple(
            Invitee(k, g.product, g.kind, str(x["id"]), str(x.get("name") or names.get(x["id"], x["id"])),
                    city.get(str(x["id"])) or str(x.get("zone") or ""), x.get("share"), x.get("value"))
            for x in _invitees_of(g)
        )  # fmt: skip
        ranked.append(TopGap(k, g.product, g.kind, g.score, g.external_demand, g.buyers, tuple(g.dependents), invs,
                             gap_explanation(g, ranking.weights), g.quadrant))  # fmt: skip
    supply = []
    for x in ranking.supply_security:  # raw materials set apart by the ranked list
        sups = tuple(
            Invitee(0, x.product, x.kind, str(y["id"]), str(y.get("name") or names.get(y["id"], y["id"])),
                    city.get(str(y["id"])) or str(y.get("zone") or ""), y.get("share"), y.get("value"))
            for y in x.suppliers
        )  # fmt: skip
        supply.append(SupplyRow(x.product, x.kind, x.external_demand, tuple(names.get(b, b) for b in x.buyers), sups,
                                supply_reason(x)))  # fmt: skip
    peers = _peers(summary, zone)
    rank = next((k for k, p in enumerate(peers, 1) if p.zone == zone), None)
    lsrs = [p.local_sourcing_ratio for p in peers if p.local_sourcing_ratio is not None]
    median = statistics.median(lsrs) if lsrs else None
    if rank is not None and peers[rank - 1].local_sourcing_ratio is None:
        rank = None
    facts = {"target_lsr": target_lsr, "rank": rank, "peers": peers, "median": median, "ranked": ranked,
             "supply": supply, "matrix": matrix}  # fmt: skip
    counts: list[tuple[str, int]] = []
    rejected = 0
    source = ""
    if dataset is not None:
        source = dataset.source
        labels = {"enterprises": "企业", "links": "供应关系", "chains": "产业链图谱"}
        for f in dataset.files:
            counts.append((labels.get(f.kind, f.kind), f.loaded))
            rejected += f.rejected
        if not dataset.files:
            counts = [("企业", len(dataset.enterprises)), ("供应关系", len(dataset.links))]
    from chaingraph.render.resilience import resilience_sentence

    conclusion = _conclusion(a, facts) + resilience_sentence(resilience)
    return Brief(a, names, target_lsr, peers, rank, median, tuple(ranked), conclusion, source,
                 generated or generation_date(), tuple(counts), rejected, panorama, tuple(supply), resilience,
                 benchmark, matrix)  # fmt: skip
