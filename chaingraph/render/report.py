"""``report.html``: headline figures, charts (inline SVG), the tables, a link to the graph.

Every value from the data passes through :func:`html.escape`; the page loads
nothing from the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from chaingraph.render.fmt import gap_kind, pct, unit_yuan, yuan

if TYPE_CHECKING:
    from chaingraph.results.analysis import Analysis

__all__ = ["write_report"]

CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ddd; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; min-width: 160px; }
.card b { display: block; font-size: 22px; color: #1f4e79; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef4fb; } td.num { text-align: right; white-space: nowrap; }
.note { color: #666; font-size: 12px; }
"""


def _bars(items: list[tuple[str, float, str]], *, color: str, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG: (label, value, shown text)."""
    if not items:
        return '<p class="note">无数据 (no data)</p>'
    top = max(v for _, v, _ in items) or 1.0
    row, label_w = 24, 150
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row * len(items) + 6}" role="img">']
    for k, (label, value, text) in enumerate(items):
        y = k * row + 3
        w = max(1.0, (width - label_w - 140) * value / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="16" fill="{color}"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="12">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in numeric else ''}>{escape(c)}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_report(a: Analysis, names: Mapping[str, str], path: str | Path, *, graph: str | None = "graph.html",
                 workbook: str | None = "workbook.xlsx") -> Path:  # fmt: skip
    """Write ``report.html`` for one zone."""
    c, s, g = a.closure, a.savings, a.gaps
    n = lambda i: names.get(i, i)  # noqa: E731
    cards = [("本地配套率 LSR", pct(c.local_sourcing_ratio)), ("本地采购额", yuan(c.local_value)),
             ("已实现节约/年", yuan(s.total_realized)), ("潜在节约/年", yuan(s.total_potential)),
             ("缺链/弱链产品", str(sum(1 for r in g.gaps if r.kind in ("missing", "weak")))),
             ("本地链条", str(len(c.local_chains)))]  # fmt: skip
    links = "".join(
        f'<a href="{escape(x)}">{escape(label)}</a> · '
        for x, label in ((graph, "交互式产业链图 graph"), (workbook, "Excel 工作簿 workbook")) if x
    )  # fmt: skip
    html = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(c.zone)} 产业链本地配套报告</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(c.zone)} 产业链本地配套报告</h1>",
        f"<p>{links}<span class=note>金额单位 元/万元/亿元; 口径见 docs/analysis.md</span></p>",
        '<div class="cards">' + "".join(f"<div class=card>{escape(k)}<b>{escape(v)}</b></div>" for k, v in cards) + "</div>",
        "<h2>各产业链环节覆盖 Closure by chain</h2>",
        _bars([(f"{r.chain or '推导'} · {r.end_product}", r.stage_coverage, pct(r.stage_coverage)) for r in c.chains],
              color="#2e75b6"),
        _table(["产业链", "终端产品", "覆盖率", "闭环", "缺失环节"],
               [[r.chain or "(推导)", r.end_product, pct(r.stage_coverage), "是" if r.closed else "否",
                 "、".join(r.missing_stages) or "—"] for r in c.chains], {2}),
        "<h2>本地链条 Local chains</h2>",
        _table(["#", "链条 (供应顺序)"], [[str(i), " → ".join(n(p) for p in path)]
                                        for i, path in enumerate(c.local_chains, 1)]),
        "<h2>已实现节约 Realized savings</h2>",
        _bars([(f"{n(r.buyer_id)} · {r.product}", max(r.annual_saving, 0.0), yuan(r.annual_saving)) for r in s.realized],
              color="#548235"),
        _table(["采购方", "产品", "本地供应商", "原单位成本", "现单位成本", "单位节约", "节约率", "年节约"],
               [[n(r.buyer_id), r.product, n(r.supplier_id), unit_yuan(r.before), unit_yuan(r.after), unit_yuan(r.unit_saving),
                 pct(r.saving_rate), yuan(r.annual_saving)] for r in s.realized], {3, 4, 5, 6, 7}),
        "<h2>潜在节约 Potential savings (前 30)</h2>",
        _table(["采购方", "产品", "外部供应商", "年采购额", "年节约", "本地可供企业"],
               [[n(p.buyer_id), p.product, n(p.supplier_id), yuan(p.value), yuan(p.annual_saving),
                 "、".join(n(x) for x in p.candidates)] for p in s.potential[:30]], {3, 4}),
        "<h2>缺链招商清单 Gaps to fill (前 15)</h2>",
        _bars([(r.product, r.external_demand, yuan(r.external_demand)) for r in g.gaps[:15] if r.external_demand > 0],
              color="#c55a11"),
        _table(["产品", "类型", "外部采购额", "本地采购方", "招商对象 (份额)", "依赖它的本地产品"],
               [[r.product, gap_kind(r.kind), yuan(r.external_demand),
                 "、".join(b["name"] or b["id"] for b in r.buyers),
                 "、".join(f"{x['name'] or x['id']} ({x['zone']}, {pct(x['share'], digits=0)})" for x in r.suppliers),
                 "、".join(r.dependents)] for r in g.gaps], {2}),
        "</body></html>",
    ]  # fmt: skip
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(html), encoding="utf-8")
    return out
