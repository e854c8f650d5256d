"""Terminal tables (rich) for each analysis: Chinese labels, money in 万元/亿元.

Each function returns a list of rich renderables; the CLI prints them.  Rich
measures CJK characters as two columns, so tables stay aligned at 80 columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from chaingraph.render.explain import RULE_LABELS, RULES, gap_explanation, single_point_reason, supply_reason
from chaingraph.render.fmt import gap_kind, money3, pct, quadrant, unit_yuan, yuan

if TYPE_CHECKING:
    from rich.console import RenderableType

    from chaingraph.model import Dataset
    from chaingraph.results.closure import Closure
    from chaingraph.results.gaps import Gaps
    from chaingraph.results.leaders import Leaders
    from chaingraph.results.matrix import GapMatrix
    from chaingraph.results.rank import Ranking
    from chaingraph.results.routes import Routes
    from chaingraph.results.savings import Savings
    from chaingraph.results.whatif import WhatIf

__all__ = ["MAX_ROWS", "closure_view", "gaps_view", "matrix_view", "savings_view", "validate_view"]

#: Rows shown per terminal table; JSON and CSV carry all rows.
MAX_ROWS = 20
#: Routes shown per intermediary in the routes table (the rest are counted; JSON lists all).
MAX_ROUTES = 4


def _name(names: Mapping[str, str], i: str) -> str:
    return names.get(i) or i


def _table(title: str, *cols: str, right: tuple[int, ...] = ()) -> Table:
    t = Table(title=title, title_justify="left", show_lines=False, expand=False, pad_edge=False)
    for k, c in enumerate(cols):
        t.add_column(c, justify="right" if k in right else "left", overflow="fold")
    return t


def _more(n: int) -> list[RenderableType]:
    return (
        [
            Text(
                f"… 另有 {n - MAX_ROWS} 行未显示, 用 --format json 或 --format csv -o 文件 查看全部 "
                f"({n - MAX_ROWS} more rows; see --format json/csv)",
                style="dim",
            )
        ]
        if n > MAX_ROWS
        else []
    )


def validate_view(ds: Dataset) -> list[RenderableType]:
    """What loaded: files, enterprises per zone, links per status, totals."""
    files = _table("数据文件 Files", "文件", "行数", "已载入", "已剔除", "编码", right=(1, 2, 3))
    for f in ds.files:
        shown = f"{f.file} [{f.sheet}]" if f.sheet is not None else f.file
        files.add_row(shown, str(f.rows), str(f.loaded), str(f.rejected), f.encoding)
    zones = _table("各园区企业数 Enterprises per zone", "园区/地区", "企业数", right=(1,))
    counts = ds.enterprises["zone"].value_counts()
    for z, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        zones.add_row(str(z), str(n))
    status = _table("供应关系 Links", "状态", "条数", "年采购额", right=(1, 2))
    label = {"active": "在供 active", "planned": "拟供 planned", "former": "历史 former"}
    for s in ("active", "planned", "former"):
        sel = ds.links[ds.links["status"] == s]
        status.add_row(label[s], str(len(sel)), yuan(float(sel["value"].sum())))
    n_products = len(set(ds.links["product"].tolist()) | set(ds.listed_products["product"].tolist()))
    out: list[RenderableType] = [files]
    notes = Text()
    for f in ds.files:  # units read from headers: the figures below are in yuan
        for u in f.units:
            notes.append(f"单位 unit: {f.file}{f' [{f.sheet}]' if f.sheet else ''}: {u}\n", style="cyan")
    for w in ds.warnings:
        notes.append(f"注意 warning: {w}\n", style="yellow")
    if notes:
        out.append(notes)
    out += [zones, status, Text(f"产品 products: {n_products}")]
    if ds.rejected:
        out.append(Text(f"已剔除 {len(ds.rejected)} 个问题行 (set aside: {len(ds.rejected)} problems)", style="yellow"))
    return out


def closure_view(c: Closure, names: Mapping[str, str]) -> list[RenderableType]:
    """Headline LSR, stage coverage per chain, local chains."""
    head = Text()
    head.append(f"{c.zone}  本地配套率 {pct(c.local_sourcing_ratio)}", style="bold")
    head.append(f"  (本地 {yuan(c.local_value)} / 总采购 {yuan(c.total_value)})")
    cov = _table("环节覆盖 Stage coverage", "产业链", "终端产品", "覆盖率", "闭环", "缺失环节", right=(2,))
    for r in c.chains[:MAX_ROWS]:
        cov.add_row(
            r.chain or "(推导)",
            r.end_product,
            pct(r.stage_coverage),
            "是" if r.closed else "否",
            "、".join(r.missing_stages) or "—",
        )
    out: list[RenderableType] = [head, cov, *_more(len(c.chains))]
    if c.coverage_basis == "derived":
        out.append(
            Text("注: 无 chains.csv, 环节由供应关系推导, 上游集合偏大 (derived stages over-approximate).", style="dim")
        )
    loc = _table("本地链条 Local chains", "#", "链条 (供应顺序)")
    for i, path in enumerate(c.local_chains[:MAX_ROWS], 1):
        loc.add_row(str(i), " → ".join(_name(names, p) for p in path))
    out += [loc, *_more(len(c.local_chains))]
    return out


def savings_view(s: Savings, names: Mapping[str, str]) -> list[RenderableType]:
    """Realized savings, then the largest potential savings."""
    real = _table(
        "已实现节约 Realized savings",
        "采购方",
        "产品",
        "原→现 单位成本",
        "单位节约",
        "节约率",
        "年节约",
        right=(3, 4, 5),
    )
    for r in s.realized[:MAX_ROWS]:
        real.add_row(
            _name(names, r.buyer_id),
            r.product,
            f"{unit_yuan(r.before)}→{unit_yuan(r.after)}",
            unit_yuan(r.unit_saving),
            pct(r.saving_rate),
            yuan(r.annual_saving),
        )
    pot = _table("潜在节约 Potential savings", "采购方", "产品", "外部供应商", "年节约", "本地可供企业", right=(3,))
    saving = [p for p in s.potential if p.annual_saving > 0]
    zero = len(s.potential) - len(saving)
    for p in saving[:MAX_ROWS]:
        cands = "、".join(_name(names, c) for c in p.candidates[:3]) + (
            f" 等{p.candidate_count}家" if p.candidate_count > 3 else ""
        )
        pot.add_row(_name(names, p.buyer_id), p.product, _name(names, p.supplier_id), yuan(p.annual_saving), cands)
    total = Text(
        f"合计 已实现 {yuan(s.total_realized)}/年, 潜在 {yuan(s.total_potential)}/年 "
        f"(无单价时按本地配套节约率 {pct(s.local_saving_rate)} 估算)",
        style="bold",
    )
    if zero:  # one Text with the total: adjacent Texts would print on one line
        note = f"另有 {zero} 行外地到厂价不高于区内参考价，节约为 0，未列出（--format json/csv 查看全部）\n"
        total = Text.assemble((note, "dim"), total)
    return [real, *_more(len(s.realized)), pot, *_more(len(saving)), total]


def gaps_view(g: Gaps, names: Mapping[str, str]) -> list[RenderableType]:
    """The promotion list, largest external demand first."""
    t = _table(f"{g.zone} 缺链清单 Gaps (招商目标)", "产品", "类型", "外部采购额", "目前的外部供应方 (份额)",
               "本地采购方", "象限", right=(2,))  # fmt: skip
    for r in g.gaps[:MAX_ROWS]:
        sups = "、".join(f"{s['name'] or s['id']}({pct(s['share'], digits=0)})" for s in r.suppliers[:3])
        if len(r.suppliers) > 3:
            sups += f" 等{len(r.suppliers)}家"
        t.add_row(r.product, gap_kind(r.kind, short=True), yuan(r.external_demand), sups or "—", str(len(r.buyers)),
                  quadrant(r.quadrant))  # fmt: skip
    out: list[RenderableType] = [t, *_more(len(g.gaps))]
    if g.gaps:
        out.append(Text(SUPPLIERS_NOTE, style="dim"))
    if any(r.quadrant for r in g.gaps):
        out.append(Text(QUADRANT_NOTE, style="dim"))
    return out


#: Under the plain gap table: its suppliers are who sells today (traders included), not whom to invite.
SUPPLIERS_NOTE = ("外部供应方含贸易、物流企业, 不等于招商对象; 建议邀请的生产企业 (贸易商背后的厂家) 见 "
                  "chaingraph gaps --rank")  # fmt: skip


#: What the quadrant column means, under every gap table (docs/analysis.md, "Where to invest").
QUADRANT_NOTE = ("象限 (可行性 × 吸引力, chaingraph matrix 查看依据): 近期可招 = 关联密度和吸引力都不低于园区缺口的中位数; "
                 "重点攻坚 = 吸引力高、关联密度低; 储备 = 关联密度高、吸引力低; 暂缓 = 都低")  # fmt: skip


def matrix_view(m: GapMatrix, names: Mapping[str, str]) -> list[RenderableType]:
    """The gaps by quadrant: feasibility (relatedness density and what drives it) beside attractiveness."""
    t = _table(f"{m.zone} 招商矩阵 Feasibility × attractiveness", "象限", "产品", "密度", "链上", "依托产品",
               "可留本地", "就业", "吸引力", right=(2, 3, 5, 6, 7))  # fmt: skip
    for k in (0, 2, 3, 5, 6, 7):  # short figures on one line; products and drivers wrap
        t.columns[k].no_wrap = True
    t.columns[1].min_width, t.columns[4].min_width = 8, 10
    for r in m.rows[:MAX_ROWS]:
        drivers = "、".join(d["product"] for d in r.drivers[:2])
        if r.driver_count > 2:
            drivers += f" 等{r.driver_count}种"
        t.add_row(quadrant(r.quadrant), r.product,
                  "—" if r.density is None else f"{r.density:.3f}", f"{r.chain_relatedness:.2f}", drivers or "—",
                  money3(r.value_kept), "—" if r.jobs is None else f"{r.jobs:,.0f}人", f"{r.attractiveness:.3f}")  # fmt: skip
    scale = m.scale
    effect = (f"带动产出 = 可留本地 × 产出乘数 {m.multiplier:g}"
              + (f", 带动就业按园区 {scale.firms_reporting} 家企业的 从业人数 ÷ 年产值 折算"
                 if scale.employees_per_yuan is not None else ", 数据无从业人数, 不估就业")
              if scale.output_value else "数据无年产值, 不估带动产出和就业")  # fmt: skip
    lines = [
        "密度 = 关联密度 (可行性, 0–1); 链上 = 招商清单的上下游关联度; 依托产品 = 与该缺口接近度最高的区内已有产品; "
        "可留本地 = 补链后每年可留在本地的采购额; 就业 = 带动就业",
        f"可行: 关联密度 ≥ 园区缺口中位数 {m.feasibility_median:.3f} 且 > 0 (由数据中 {m.zones} 个地区的产品共现算出); "
        f"有吸引力: 吸引力 ≥ 中位数 {m.attractiveness_median:.3f} 且 > 0",
        f"补链可留本地 = 外部采购额 × 承接比例 {pct(m.capture, digits=0)} (--capture); {effect} (--multiplier); "
        "-f json 列出每项的接近度、缺口类型和带动产出",
        "吸引力 = 可留本地 50% + 本地采购方数 25% + 依赖它的本地产品数 25% (各按园区缺口中的最大值折成 0–1)",
    ]
    if m.supply_security:
        lines.append(f"不在矩阵中: {'、'.join(m.supply_security)} (资源型原材料, 列为供应安全)")
    return [t, *_more(len(m.rows)), Text("\n".join(lines), style="dim")]


def leaders_view(x: Leaders, names: Mapping[str, str]) -> list[RenderableType]:
    """Leaders by anchored value, then the 以商引商 list."""
    t = _table(f"{x.zone} 链主 Chain leaders", "#", "企业", "链主", "锚定供应额", "占比", "区内采购", "外地采购",
               "区内销售", right=(3, 4, 5, 6, 7))  # fmt: skip
    for i, r in enumerate(x.leaders[:MAX_ROWS], 1):
        t.add_row(str(i), r.name or r.id, "是" if r.declared else "", yuan(r.anchored_value), pct(r.share),
                  yuan(r.local_purchases), yuan(r.outside_purchases), yuan(r.local_sales))  # fmt: skip
    inv = _table("以商引商: 链主的外地供应商 Outside suppliers of the leaders", "供应商", "所在地", "年供应额", "产品",
                 "供给的链主", right=(2,))  # fmt: skip
    for s in x.invite[:MAX_ROWS]:
        inv.add_row(s["name"] or s["id"], s["zone"], yuan(s["value"]), "、".join(s["products"]),
                    "、".join(_name(names, i) for i in s["leaders"]))  # fmt: skip
    hubs = _table(f"{x.zone} 枢纽 Hubs: 贸易商、物流/保税中转 (按经手额, 不是链主)", "#", "企业", "类型", "所在地",
                  "经手额/年", "其中输入园区", "占园区采购", "条数", "产品", right=(4, 5, 6, 7))  # fmt: skip
    kinds = {"trader": "贸易", "logistics": "物流"}
    for i, h in enumerate(x.hubs[:MAX_ROWS], 1):
        prods = "、".join(h.products[:3]) + (f" 等{len(h.products)}种" if len(h.products) > 3 else "")
        hubs.add_row(str(i), h.name or h.id, kinds.get(h.kind, "中转"), h.zone, yuan(h.value), yuan(h.into_value),
                     pct(h.share_of_purchases), str(h.links), prods)  # fmt: skip
    out: list[RenderableType] = [t, *_more(len(x.leaders)), Text(f"方法 method: {x.method}", style="dim"), inv,
                                 *_more(len(x.invite))]  # fmt: skip
    if x.hubs:
        out += [hubs, *_more(len(x.hubs)), Text(f"方法 method: {x.hubs_method}", style="dim")]
    return out


def routes_view(r: Routes, names: Mapping[str, str]) -> list[RenderableType]:
    """Value through each intermediary; with re-routing, what moves."""
    t = _table(f"{r.zone} 贸易路径 Routes", "中转方", "所在地", "经过金额/年", "条数", "路径", right=(2, 3))
    for i in r.intermediaries[:MAX_ROWS]:
        more = len(i.routes) - MAX_ROUTES
        shown = "\n".join(i.routes[:MAX_ROUTES]) + (
            f"\n… 另有 {more} 条路径 (--format json 查看全部)" if more > 0 else ""
        )
        t.add_row(i.name or i.id, i.zone, yuan(i.value), str(i.links), shown)
    out: list[RenderableType] = [t, *_more(len(r.intermediaries))]
    if r.reroute_via and r.replacing:
        out.append(
            Text(
                f"改道: {_name(names, r.reroute_via)} 接替 {_name(names, r.replacing)} → 每年新增业务量 "
                f"{yuan(r.rerouted_value)} ({len(r.rerouted_links)} 条), 改道后共 {yuan(r.via_value_after)}",
                style="bold",
            )
        )
    return out


def whatif_view(w: WhatIf, names: Mapping[str, str]) -> list[RenderableType]:
    """Before, after and the change of the headline figures; per product, maker versus demand met locally."""
    t = _table(f"{w.zone} 情景推演 What-if: +" + "、".join(_name(names, i) for i in w.added), "指标", "之前", "之后",
               "变化", right=(1, 2, 3))  # fmt: skip
    ch = w.changes
    lsr = ch["local_sourcing_ratio"]
    t.add_row(
        "本地配套率",
        pct(w.before.local_sourcing_ratio),
        pct(w.after.local_sourcing_ratio),
        "—" if lsr is None else f"{lsr * 100:+.1f} 个百分点",
    )
    t.add_row("本地采购额", yuan(w.before.local_value), yuan(w.after.local_value), yuan(ch["local_value"]))
    t.add_row("采购总额", yuan(w.before.total_value), yuan(w.after.total_value), yuan(ch["total_value"]))
    t.add_row("已实现节约/年", yuan(w.before.total_realized), yuan(w.after.total_realized), yuan(ch["total_realized"]))
    t.add_row("潜在节约/年", yuan(w.before.total_potential), yuan(w.after.total_potential), yuan(ch["total_potential"]))
    t.add_row(
        "缺链/弱链/空白",
        str(len(w.before.gaps)),
        str(len(w.after.gaps)),
        f"{len(w.after.gaps) - len(w.before.gaps):+d}",
    )
    moved = (f"落地企业承接外地采购 {yuan(ch['captured_value'])}/年; 采购总额"
             + ("不变" if ch["purchases_unchanged"] else f"因新增需求增加 {yuan(ch['added_demand'])}")
             + f" (未填 capture 的企业按 {pct(w.capture_default, digits=0)} 承接)")  # fmt: skip
    prod = _table("产品 Products: 本地有厂家 ≠ 本地需求本地满足", "产品", "本地有厂家 之前→之后", "本地满足 之前→之后",
                  "区内采购额", "本地需求已本地满足", right=(3,))  # fmt: skip
    for p in w.products[:MAX_ROWS]:
        prod.add_row(p.product, f"{'是' if p.local_maker_before else '否'}→{'是' if p.local_maker_after else '否'}",
                     f"{pct(p.met_locally_before)}→{pct(p.met_locally_after)}", yuan(p.purchases_after),
                     "是" if p.demand_met_locally else "否")  # fmt: skip
    cov = "、".join(f"{c['end_product']} {pct(c['before'])}→{pct(c['after'])}" for c in ch["coverage_changed"])
    changed = "、".join(f"{c['product']} {gap_kind(c['before'])}→{gap_kind(c['after'])}" for c in ch["gaps_changed"])
    lines = [f"环节覆盖 coverage: {cov or '不变'}",
             f"补上的缺链 closed: {'、'.join(ch['gaps_closed']) or '—'}",
             f"类型改变 changed: {changed or '—'}",
             f"新出现 opened: {'、'.join(ch['gaps_opened']) or '—'}"]  # fmt: skip
    from chaingraph.render.resilience import whatif_resilience_view

    return [t, Text(moved, style="bold"), prod, *_more(len(w.products)), Text("\n".join(lines)),
            *whatif_resilience_view(w.resilience, names)]  # fmt: skip


def ranking_view(r: Ranking, names: Mapping[str, str]) -> list[RenderableType]:
    """The ranked invitation list (makers to invite, the rule that placed each row), supply security, single points."""

    t = _table(f"{r.zone} 招商优先级 Ranked gaps (邀请厂家, 不邀请贸易商)", "#", "产品", "类型", "得分", "邀请厂家 (份额)",
               "排序规则", "象限", "得分说明", right=(3,))  # fmt: skip
    for i, g in enumerate(r.ranked[:MAX_ROWS], 1):
        known = [f"{x['name'] or x['id']}({pct(x['share'], digits=0)})" for x in g.targets if x["id"]]
        makers = known[:2] + ([f"等{len(known)}家"] if len(known) > 2 else [])
        unknown = [x for x in g.targets if not x["id"]]
        if unknown:
            via = "、".join(sorted({_name(names, x["via"][0]) for x in unknown if x["via"]}))
            share = sum(x["share"] or 0.0 for x in unknown)
            makers.append(f"厂家未知({pct(share, digits=0)}, 经 {via})")
        t.add_row(str(i), g.product, gap_kind(g.kind, short=True), f"{g.score:.3f}", "、".join(makers) or "—",
                  RULE_LABELS.get(g.rule, g.rule), quadrant(g.quadrant), gap_explanation(g, r.weights))  # fmt: skip
    legend = Text("排序规则: " + "; ".join(f"{RULE_LABELS[k]} = {RULES[k].format(via='')}" for k in RULES), style="dim")
    out: list[RenderableType] = [t, *_more(len(r.ranked)), legend, Text(QUADRANT_NOTE, style="dim")]
    if r.supply_security:
        sec = _table("供应安全 Supply security (资源型原材料, 不作招商目标)", "产品", "外部采购额", "供应商", "HHI",
                     "说明", right=(1, 3))  # fmt: skip
        for x in r.supply_security[:MAX_ROWS]:
            sups = "、".join(f"{s['name'] or s['id']}({'贸易' if s['kind'] == 'trader' else '物流' if s['kind'] == 'logistics' else '厂家'})"
                            for s in x.suppliers[:3])  # fmt: skip
            sec.add_row(x.product, yuan(x.external_demand), sups or "—", "—" if x.hhi is None else f"{x.hhi:.2f}",
                        supply_reason(x))  # fmt: skip
        out += [sec, *_more(len(r.supply_security))]
    sp = _table(
        "本地独家供应风险 (区内只有一家厂家, 供多家区内企业)",
        "产品",
        "唯一本地供应商",
        "区内采购方",
        "HHI",
        "说明",
        right=(3,),
    )
    for s in r.single_points[:MAX_ROWS]:
        sp.add_row(s.product, _name(names, s.maker), str(len(s.buyers)), "—" if s.hhi is None else f"{s.hhi:.2f}",
                   single_point_reason(s, names))  # fmt: skip
    w = r.weights
    note = Text(f"权重 weights: demand {w.demand}, buyers {w.buyers}, dependents {w.dependents}, "
                f"relatedness {w.relatedness}", style="dim")  # fmt: skip
    return [*out, note, sp, *_more(len(r.single_points))]


def zones_view(rows: list[dict[str, Any]]) -> list[RenderableType]:
    """One line per zone (rows of :func:`~chaingraph.analysis.zones.zones_summary`), ranked as the report ranks them.

    Zones with local purchases first, highest local sourcing ratio first, with their rank; then the
    places with none (outside suppliers' regions: 深圳市, 香港 …), which are not ranked.
    """
    from chaingraph.render.brief import ranks_among_zones

    ranked = sorted(
        (r for r in rows if ranks_among_zones(r)), key=lambda r: (-float(r["local_sourcing_ratio"]), str(r["zone"]))
    )
    others = [r for r in rows if not ranks_among_zones(r)]
    t = _table("各园区概览 All zones（按本地配套率排名）", "#", "园区", "本地配套率", "采购额", "已实现节约", "潜在节约",
               "缺链 缺失/薄弱/空白", right=(0, 2, 3, 4, 5, 6))  # fmt: skip
    t.columns[1].no_wrap = True  # a zone's name on one line: it is what people look for
    for k, r in enumerate(ranked, 1):
        t.add_row(str(k), *_zone_cells(r))
    out: list[RenderableType] = [t]
    if others:
        o = _table("区内无本地采购的地区（多为外地供应商所在地，不参与排名）", "地区", "本地配套率", "采购额", "已实现节约",
                   "潜在节约", "缺链 缺失/薄弱/空白", right=(1, 2, 3, 4, 5))  # fmt: skip
        for r in others:
            o.add_row(*_zone_cells(r))
        out.append(o)
    return out


def _zone_cells(r: dict[str, Any]) -> list[str]:
    kinds = "/".join(str(int(r[k])) for k in ("missing", "weak", "empty"))
    return [str(r["zone"]), pct(r["local_sourcing_ratio"]), yuan(r["total_value"]), yuan(r["total_realized"]),
            yuan(r["total_potential"]), f"{int(r['gaps'])} = {kinds}"]  # fmt: skip
