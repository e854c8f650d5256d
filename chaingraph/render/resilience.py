"""Resilience for people (docs/analysis.md, "Resilience"): the Chinese sentences, terminal tables, CSV and JSON.

The what-if's warnings ("this landing cuts cost but leaves 功率模块 on one supplier") are worded
here, once, for the terminal, the JSON (``text``) and anything else that shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from chaingraph.render.fmt import money3, pct, yuan

if TYPE_CHECKING:
    from rich.console import RenderableType

    from chaingraph.results.resilience import Resilience, ResilienceChange, ResilienceWarning
    from chaingraph.results.whatif import WhatIf

__all__ = [
    "HHI_SOURCE",
    "MAX_ROWS",
    "hhi_text",
    "resilience_dict",
    "resilience_frame",
    "resilience_sentence",
    "resilience_view",
    "resilience_warning",
    "whatif_dict",
    "whatif_resilience_view",
]

#: Where the concentration threshold comes from, for people.
HHI_SOURCE = "美国司法部与联邦贸易委员会《横向并购指南》（2010）第 5.3 节：HHI 超过 2500 点为高度集中"
#: Product rows a terminal table shows (JSON and CSV have them all).
MAX_ROWS = 40


def hhi_text(h: float | None) -> str:
    """An HHI (0–1) in points, as competition authorities write it (10,000 = one supplier).

    >>> hhi_text(0.629606), hhi_text(1.0), hhi_text(None)
    ('6,296 点', '10,000 点', '—')
    """
    if h is None:
        return "—"
    return f"{round(h * 10000):,} 点"


def resilience_warning(w: ResilienceWarning, names: Mapping[str, str] | None = None) -> str:
    """The warning of a what-if that leaves a product on one supplier or pushes its HHI past the threshold.

    >>> from chaingraph.results.resilience import ResilienceWarning
    >>> w = ResilienceWarning("new_single_point", "功率模块", "NEW-1", "功率模块新厂", True, 1.0, 164e6, 2,
    ...                       0.733195, 1.0, 2, 1, 164e6, 8.2e6, 0.05, 0.25)
    >>> print(resilience_warning(w))
    功率模块：落地后区内企业每年 1.64亿元 的采购改由区内 功率模块新厂 供应（节约见本次模拟的节约对比），但 2 家区内企业的 功率模块 将全部只靠区内的 功率模块新厂 一家供应（单一供应商，之前 2 家）：它一旦停产，这些企业都会断供。建议保留至少一家外地供应商作备份，或再引进一家同类厂家。
    """
    name = w.supplier_name or (names or {}).get(w.supplier_id, w.supplier_id)
    where = "区内的" if w.supplier_local else "外地的"
    if w.cuts_cost:
        gain = (f"落地后区内企业每年 {money3(w.moved)} 的采购改由区内 {name} 供应"
                "（节约见本次模拟的节约对比），但")  # fmt: skip
    else:
        gain = "落地后"
    if w.kind == "new_single_point":
        return (f"{w.product}：{gain} {w.buyers} 家区内企业的 {w.product} 将全部只靠{where} {name} 一家供应"
                f"（单一供应商，之前 {w.suppliers_before} 家）：它一旦停产，{'这家企业就会' if w.buyers == 1 else '这些企业都会'}断供。"
                "建议保留至少一家外地供应商作备份，或再引进一家同类厂家。")  # fmt: skip
    return (f"{w.product}：{gain}供应集中度 HHI 由 {hhi_text(w.hhi_before)}升至 {hhi_text(w.hhi_after)}，"
            f"超过 {hhi_text(w.threshold)}的高度集中线（{HHI_SOURCE}）：{where} {name} 占 {pct(w.share, digits=0)}，"
            f"供应更依赖一家。建议保持多家供应商，避免把采购集中到一家。")  # fmt: skip


def resilience_sentence(r: Resilience | None) -> str:
    """One sentence for a report's conclusion: how much of the zone's purchases rests on one supplier.

    >>> from chaingraph.results.resilience import build_resilience
    >>> resilience_sentence(build_resilience("Z", "zone", [("芯片", "C", 100.0, False), ("钢", "A", 300.0, True),
    ...                                                    ("钢", "B", 100.0, False)], {}))
    '供应方面，1 种产品只靠一家供应商（芯片），占区内采购额的 20.0%：它们的供应商一旦停产即断供（见“供应韧性”）。'
    """
    if r is None or not r.products:
        return ""
    if not r.single_points:
        return "供应方面，区内企业采购的每种产品都有两家以上供应商。"
    names = [p.product for p in r.products if p.single_point]
    shown = "、".join(names[:3]) + (" 等" if len(names) > 3 else "")
    return (f"供应方面，{r.single_points} 种产品只靠一家供应商（{shown}），占区内采购额的 {pct(r.single_point_share)}："
            "它们的供应商一旦停产即断供（见“供应韧性”）。")  # fmt: skip


def resilience_view(r: Resilience, names: Mapping[str, str]) -> list[RenderableType]:
    """The zone's figures, then per product: suppliers, largest supplier and share, HHI, single point."""
    from rich.table import Table
    from rich.text import Text

    head = Table(title=f"{r.zone} 供应韧性 Supply resilience", title_justify="left", show_lines=False)
    for c in ("指标", "数值", "说明"):
        head.add_column(c, justify="right" if c == "数值" else "left")
    head.add_row("采购的产品", f"{len(r.products)} 种", f"区内企业采购总额 {yuan(r.purchases)}")
    head.add_row("单一供应商的产品（单点）", f"{r.single_points} 种",
                 f"采购额 {yuan(r.single_point_value)}，占采购总额 {pct(r.single_point_share)}")  # fmt: skip
    head.add_row(f"高度集中的产品（HHI>{hhi_text(r.threshold)}）", f"{r.concentrated} 种",
                 f"采购额 {yuan(r.concentrated_value)}，占 {pct(r.concentrated_share)}（含单点）")  # fmt: skip
    head.add_row("加权平均 HHI", hhi_text(r.weighted_hhi), "按各产品采购额加权")
    t = Table(title="各产品的供应集中度（集中度最高的在前）", title_justify="left")
    for c, right in (("产品", False), ("采购额", True), ("供应商数(区内)", True), ("最大供应商", False),
                     ("份额", True), ("HHI", True), ("单点", False)):  # fmt: skip
        t.add_column(c, justify="right" if right else "left")
    for p in r.products[:MAX_ROWS]:
        top = p.top
        who = "—" if top is None else f"{top.name or names.get(top.id, top.id)}（{'区内' if top.local else top.zone}）"
        t.add_row(p.product, yuan(p.purchases), f"{p.suppliers}({p.local_suppliers})", who,
                  pct(top.share if top else None), hhi_text(p.hhi), "是" if p.single_point else "")  # fmt: skip
    out: list[RenderableType] = [head, t]
    if len(r.products) > MAX_ROWS:
        out.append(Text(f"… 另有 {len(r.products) - MAX_ROWS} 种产品，-f json / -f csv 有全部", style="dim"))
    out.append(Text(f"供应商按在供关系中向区内企业供货的企业计（区内、外地都算，贸易商也算一家），份额按年采购额；"
                    f"单点 = 区内企业对该产品的采购全部来自一家供应商；HHI = 各供应商份额平方和 × 10,000，"
                    f"高度集中线 {hhi_text(r.threshold)}（{HHI_SOURCE}）。",
                    style="dim"))  # fmt: skip
    return out


def resilience_frame(r: Resilience) -> pd.DataFrame:
    """One row per product the zone buys."""
    rows = [{"product": p.product, "purchases": p.purchases, "local_value": p.local_value, "suppliers": p.suppliers,
             "local_suppliers": p.local_suppliers, "top_supplier_id": p.top.id if p.top else None,
             "top_supplier_name": p.top.name if p.top else None, "top_share": p.top.share if p.top else None,
             "hhi": p.hhi, "single_point": p.single_point, "concentrated": p.concentrated,
             "shares": ";".join(f"{s.id}:{s.share}" for s in p.shares)} for p in r.products]  # fmt: skip
    return pd.DataFrame(rows, columns=["product", "purchases", "local_value", "suppliers", "local_suppliers",
                                       "top_supplier_id", "top_supplier_name", "top_share", "hhi", "single_point",
                                       "concentrated", "shares"])  # fmt: skip


def resilience_dict(r: Resilience, names: Mapping[str, str]) -> dict[str, Any]:
    """``r.to_dict()`` with the threshold's source."""
    return {**r.to_dict(), "hhi_threshold_source": "U.S. DOJ/FTC Horizontal Merger Guidelines (2010), §5.3"}


def whatif_dict(w: WhatIf, names: Mapping[str, str]) -> dict[str, Any]:
    """``w.to_dict()`` with each resilience warning's sentence (``text``)."""
    d = w.to_dict()
    if w.resilience is not None:
        for row, x in zip(d["resilience"]["warnings"], w.resilience.warnings, strict=True):
            row["text"] = resilience_warning(x, names)
    return d


def whatif_resilience_view(c: ResilienceChange | None, names: Mapping[str, str]) -> list[RenderableType]:
    """Before and after of the zone's supply concentration, the products whose supply changed, the warnings."""
    if c is None:
        return []
    from rich.table import Table
    from rich.text import Text

    b, a, ch = c.before, c.after, c.changes
    t = Table(title="供应韧性 Resilience: 之前 → 之后", title_justify="left")
    for col in ("指标", "之前", "之后", "变化"):
        t.add_column(col, justify="left" if col == "指标" else "right")
    sp = ch["single_point_share"]
    wh = ch["weighted_hhi"]
    t.add_row("单一供应商的产品", f"{b.single_points} 种", f"{a.single_points} 种", f"{ch['single_points']:+d}")
    t.add_row("单一供应商承担的采购占比", pct(b.single_point_share), pct(a.single_point_share),
              "—" if sp is None else f"{sp * 100:+.1f} 个百分点")  # fmt: skip
    t.add_row(f"高度集中的产品（HHI>{hhi_text(a.threshold)}）", f"{b.concentrated} 种", f"{a.concentrated} 种",
              f"{ch['concentrated']:+d}")  # fmt: skip
    t.add_row(
        "加权平均 HHI",
        hhi_text(b.weighted_hhi),
        hhi_text(a.weighted_hhi),
        "—" if wh is None else f"{round(wh * 10000):+,} 点",
    )
    out: list[RenderableType] = [t]
    if c.products:
        p = Table(title="供应变化的产品", title_justify="left")
        for col in ("产品", "供应商数 之前→之后", "HHI 之前→之后", "单点 之前→之后"):
            p.add_column(col)
        for row in c.products[:MAX_ROWS]:
            p.add_row(row["product"], f"{row['suppliers_before']}→{row['suppliers_after']}",
                      f"{hhi_text(row['hhi_before'])}→{hhi_text(row['hhi_after'])}",
                      f"{'是' if row['single_point_before'] else '否'}→{'是' if row['single_point_after'] else '否'}")  # fmt: skip
        out.append(p)
    if c.warnings:
        out.append(Text("注意 Warning:\n" + "\n".join(f"· {resilience_warning(w, names)}" for w in c.warnings),
                        style="bold red"))  # fmt: skip
    else:
        out.append(Text("这次落地没有让任何产品变成单一供应商，也没有让供应集中度超过高度集中线。", style="dim"))
    return out
