"""``report.html``: the report a zone's leadership reads and signs.

First screen: a conclusion written from the figures, the headline figures against the target and
the other zones, the five gaps that matter most and whom to invite.  Then one section per table,
each with its definition in one line, a heading that says what is shown, and an empty-state line.
Money: three significant digits in prose and cards, exact in tables (one unit per column, named in
the header).  Charts are HTML bars with an axis; an outlier is capped and labelled so small bars
stay readable.  The page reads on a phone (viewport meta, tables as cards below 640 px) and prints
on A4 (rows never split, headers repeated, date, data source and row counts at the foot of every
page).

Every value from the data is escaped (control characters made visible); the page loads nothing
from the network; its only script is the panorama's (a stage's details on click).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chaingraph.render.brief import DEFINITIONS, KIND_LABELS
from chaingraph.render.fmt import QUADRANT_LABELS, decimals_for, money3, pct, wan
from chaingraph.render.matrix_chart import MATRIX_CSS
from chaingraph.spreadsheet import printable

if TYPE_CHECKING:
    from chaingraph.render.brief import Brief, Invitee
    from chaingraph.results.benchmark import GapPeers
    from chaingraph.results.resilience import ProductSupply

__all__ = ["POTENTIAL_SHOWN", "write_report"]

#: Potential-saving rows shown in the page (the workbook has them all).
POTENTIAL_SHOWN = 30
#: Bars in one chart at most (the table below it has more rows).
CHART_BARS = 20
#: Rows of one table in the page at most; the workbook has them all, and the heading says how many are shown.
TABLE_ROWS = 50

CSS = """
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", sans-serif;
  margin: 0 auto; padding: 20px 28px 40px; max-width: 1180px; color: #1d1d1f; font-size: 15px; line-height: 1.6; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 30px 0 4px; padding-bottom: 4px; border-bottom: 2px solid #d0dced; }
.meta { color: #555; font-size: 13px; margin: 0 0 12px; }
.meta a { margin-right: 10px; }
.def { color: #555; font-size: 13px; margin: 2px 0 10px; }
.lead { background: #f3f7fc; border-left: 4px solid #2e75b6; padding: 10px 16px; margin: 10px 0 14px; font-size: 16px; }
.lead h2 { border: 0; margin: 0 0 2px; padding: 0; font-size: 17px; }
.lead p { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 0 0 6px; }
.card { border: 1px solid #d9d9d9; border-radius: 6px; padding: 8px 12px; }
.card .k { font-size: 13px; color: #444; }
.card b { display: block; font-size: 22px; color: #1f4e79; line-height: 1.3; }
.card .s { font-size: 12px; color: #666; }
.card.bad b { color: #b42318; } .card.good b { color: #2e7d32; }
table { border-collapse: collapse; font-size: 13.5px; margin: 6px 0 10px; width: 100%; }
th, td { border: 1px solid #d9d9d9; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eaf1fa; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.mine { font-weight: 600; }
tr.mine td { background: #fff7e6; }
.empty { color: #666; font-style: italic; margin: 6px 0 12px; }
.more { color: #555; font-size: 13px; }
.tag { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; color: #fff; white-space: nowrap; }
.k-missing { background: #c0392b; } .k-weak { background: #d68910; } .k-empty { background: #7f8c8d; }
.s-closed { background: #2e7d32; } .s-part { background: #d68910; } .s-low { background: #c0392b; }
ul.inv { margin: 0; padding-left: 1.1em; }
.chart { margin: 8px 0 14px; max-width: 920px; }
td.name { min-width: 5.5em; } td.wide { min-width: 17em; } td.kind { white-space: nowrap; }
.chart .bar-row { display: grid; grid-template-columns: minmax(7em, 15em) 1fr 9.5em; gap: 0 10px; align-items: center;
  min-height: 24px; break-inside: avoid; }
.chart .label { font-size: 13px; text-align: right; line-height: 1.25; overflow-wrap: anywhere; }
.chart .track { position: relative; height: 16px; }
.chart .bar { position: absolute; left: 0; top: 0; height: 16px; border-radius: 0 2px 2px 0; min-width: 2px; }
.chart .bar.capped { background-image: linear-gradient(105deg, transparent 92%, #fff 92%, #fff 95%, transparent 95%); }
.chart .target { position: absolute; top: -4px; bottom: -4px; border-left: 2px dashed #1d1d1f; }
.chart .value { font-size: 12.5px; white-space: nowrap; font-variant-numeric: tabular-nums; }
.chart .axis { position: relative; height: 18px; border-top: 1px solid #999; font-size: 11.5px; color: #555; }
.chart .axis span { position: absolute; top: 1px; transform: translateX(-50%); white-space: nowrap; }
.chart .axis span:first-child { transform: none; }
.chart .grid { background-image: linear-gradient(to right, #e8e8e8 1px, transparent 1px); }
.legend { font-size: 12.5px; color: #444; margin: 2px 0 6px; }
.legend i { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin: 0 4px 0 10px; border-radius: 2px; }
.c-missing { background: #c0392b; } .c-weak { background: #d68910; } .c-empty { background: #7f8c8d; }
.c-closed { background: #2e7d32; } .c-part { background: #d68910; } .c-low { background: #c0392b; }
.c-peer { background: #9db7d5; } .c-mine { background: #1f4e79; } .c-saving { background: #548235; }
dl.defs dt { font-weight: 600; margin-top: 6px; } dl.defs dd { margin: 0 0 0 1.5em; color: #333; font-size: 14px; }
footer { margin-top: 30px; padding-top: 8px; border-top: 1px solid #ccc; color: #555; font-size: 12.5px; }
@media (max-width: 640px) {
  body { padding: 12px 14px 30px; font-size: 16px; }
  h1 { font-size: 21px; }
  .cards { grid-template-columns: 1fr 1fr; }
  .card b { font-size: 19px; }
  .chart .bar-row { grid-template-columns: 1fr auto; }
  .chart .label { grid-column: 1 / -1; text-align: left; margin-top: 4px; }
  .chart .axis-row .label { display: none; }
  table.t, table.t tbody, table.t tr, table.t td { display: block; width: 100%; }
  table.t thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.t tr { border: 1px solid #d9d9d9; border-radius: 6px; margin: 0 0 10px; padding: 4px 0; }
  table.t td { border: 0; padding: 2px 10px; text-align: left; white-space: normal; }
  table.t td::before { content: attr(data-label) "："; color: #555; font-size: 13px; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; line-height: 1.45; }
  table { font-size: 9pt; } th, td { padding: 2px 5px; }
  h2 { font-size: 14pt; margin-top: 16px; }
  .lead { font-size: 10.5pt; }
  .chart .bar-row { min-height: 18px; } .chart .track, .chart .bar { height: 12px; }
  a { color: inherit; text-decoration: none; }
  .noprint { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .def, .legend { break-after: avoid; }
  tr, .card, .bar-row, .lead { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer { break-inside: avoid; }
}
"""


def _e(value: object) -> str:
    """Escaped text with control characters made visible."""
    return escape(printable(str(value))[0])


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (every non-alphanumeric ASCII character escaped)."""
    out = []
    for ch in printable(text)[0]:
        out.append(
            ch if (ch.isascii() and ch.isalnum()) or ch in " ·.:-_/()" or ord(ch) > 0x2E80 else f"\\{ord(ch):x} "
        )
    return '"' + "".join(out) + '"'


def _nice_step(top: float, ticks: int = 4) -> float:
    """A round tick step (1, 2 or 5 × 10^k) giving about ``ticks`` intervals up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)


def _tick_money(v: float) -> str:
    if v == 0:
        return "0"
    if v >= 1e8:
        return f"{v / 1e8:g}亿"
    if v >= 1e4:
        return f"{v / 1e4:g}万"
    return f"{v:g}"


def _bars(
    rows: Sequence[tuple[str, float, str, str]],
    *,
    unit: str,
    legend: str = "",
    target: float | None = None,
    fixed_top: float | None = None,
    label: str = "",
) -> str:
    """Horizontal bars with an axis: (label, value, shown text, colour class).

    ``unit`` is ``money`` or ``pct``.  When one bar is over three times the next, the axis stops
    above the next and the outlier is drawn cut (a white notch), its value printed beside it.
    """
    if not rows:
        return ""
    values = sorted((v for _, v, _, _ in rows), reverse=True)
    top = fixed_top or values[0] or 1.0
    capped_at = None
    if fixed_top is None and len(values) >= 3 and values[1] > 0 and values[0] > 3 * values[1]:
        capped_at = values[1] * 1.15
        top = capped_at
    step = _nice_step(top)
    top = max(top, step) if fixed_top else math.ceil(top / step - 1e-9) * step
    ticks = [k * step for k in range(round(top / step) + 1)]
    fmt = (lambda v: f"{v * 100:g}%") if unit == "pct" else _tick_money
    grid = f"background-size: {100 * step / top:.4f}% 100%;"
    parts = [f'<div class="chart" role="img" aria-label="{_e(label)}">', legend]
    for name, value, text, cls in rows:
        cut = capped_at is not None and value > top
        w = 100.0 if cut else max(0.0, 100.0 * value / top)
        tgt = f'<span class="target" style="left:{100 * target / top:.2f}%"></span>' if target is not None else ""
        parts.append(
            f'<div class="bar-row"><div class="label">{_e(name)}</div>'
            f'<div class="track grid" style="{grid}"><span class="bar {cls}{" capped" if cut else ""}" '
            f'style="width:{w:.2f}%"></span>{tgt}</div>'
            f'<div class="value">{_e(text)}{"（超出刻度）" if cut else ""}</div></div>'
        )
    axis = "".join(f'<span style="left:{100 * t / top:.2f}%">{_e(fmt(t))}</span>' for t in ticks)
    parts.append(
        f'<div class="bar-row axis-row"><div class="label"></div><div class="axis">{axis}</div><div></div></div>'
    )
    parts.append("</div>")
    return "".join(parts)


class _Col:
    """A table column: header, whether it holds numbers (right-aligned), a width class (name, wide, kind)."""

    def __init__(self, header: str, *, num: bool = False, cls: str = "") -> None:
        self.header, self.num = header, num
        self.cls = "num" if num else cls


def _table(cols: Sequence[_Col], rows: Sequence[Sequence[str]], *, empty: str, mine: Sequence[bool] = ()) -> str:
    """A table whose cells are already HTML; ``empty`` is the line shown when there are no rows."""
    if not rows:
        return f'<p class="empty">{_e(empty)}</p>'
    head = "".join(f"<th{' class=num' if c.num else ''}>{_e(c.header)}</th>" for c in cols)
    body = []
    for k, r in enumerate(rows):
        cells = "".join(
            f'<td{f" class={c.cls}" if c.cls else ""} data-label="{_e(c.header)}">{v}</td>'
            for c, v in zip(cols, r, strict=True)
        )
        body.append(f"<tr{' class=mine' if k < len(mine) and mine[k] else ''}>{cells}</tr>")
    return f'<table class="t"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _money_cells(values: Sequence[float | None], *, scale: float = 1e4) -> list[str]:
    """One column of money with one precision: 万元 to two decimals (to the hundred yuan, as accounts
    show 万元); 元 (unit prices) with the fewest decimals that lose nothing, at least two."""
    d = 2 if scale == 1e4 else decimals_for(list(values), scale=scale, most=6)
    return [_e(wan(v, decimals=d, scale=scale)) for v in values]


def _some(items: Sequence[str], *, most: int = 4, unit: str = "家") -> str:
    """``a、b、c、d 等 9 家`` (the workbook lists them all), or ``—``."""
    if not items:
        return "—"
    return "、".join(items[:most]) + (f" 等 {len(items)} {unit}" if len(items) > most else "")


def _kind(kind: str) -> str:
    return f'<span class="tag k-{_e(kind)}">{_e(KIND_LABELS.get(kind, kind))}</span>'


def _invitees(items: Sequence[Invitee], *, most: int = 3) -> str:
    if not items:
        return '<span class="more">暂无外地供应商数据</span>'
    li = "".join(
        f"<li>{_e(i.name)}（{_e(i.city or '—')}，份额 {_e(pct(i.share, digits=0))}，{_e(money3(i.amount))}）</li>"
        for i in items[:most]
    )
    more = f'<li class="more">另有 {len(items) - most} 家，见工作簿“招商对象”</li>' if len(items) > most else ""
    return f'<ul class="inv">{li}{more}</ul>'


def _quadrant(code: str | None) -> str:
    """A quadrant tag (``—`` where the gap has none)."""
    if code is None:
        return "—"
    return f'<span class="q q-{_e(code)}">{_e(QUADRANT_LABELS.get(code, code))}</span>'


def _cov_status(coverage: float) -> tuple[str, str]:
    if coverage >= 1.0:
        return "closed", "闭环"
    return ("part", "部分覆盖") if coverage >= 0.5 else ("low", "覆盖不足")


def _first_screen(b: Brief, links: str) -> list[str]:
    a = b.analysis
    c, s, g = a.closure, a.savings, a.gaps
    lsr = c.local_sourcing_ratio
    below = lsr is not None and lsr < b.target_lsr - 5e-4
    kinds = {k: sum(1 for x in g.gaps if x.kind == k) for k in KIND_LABELS}
    closed = sum(1 for x in c.chains if x.closed)
    cards = [
        ("本地配套率", pct(lsr),
         (f"目标 {pct(b.target_lsr, digits=0)}，" + (f"差 {(b.target_lsr - lsr) * 100:.1f} 个百分点" if below else "已达到"))
         if lsr is not None else "区内无采购，无法计算", "bad" if below else "good" if lsr is not None else ""),
        ("园区排名", f"第 {b.rank} / {len(b.peers)}" if b.rank and len(b.peers) > 1 else "—",
         f"各园区中位数 {pct(b.median_lsr)}" if len(b.peers) > 1 else "数据中没有可比的其他园区", ""),
        ("区内采购额 / 年", money3(c.local_value), f"采购总额 {money3(c.total_value)}", ""),
        ("已实现节约 / 年", money3(s.total_realized), f"{len(s.realized)} 项已改由区内供应", ""),
        ("潜在节约 / 年", money3(s.total_potential),
         f"{sum(1 for p in s.potential if p.annual_saving > 0)} 项改由区内供应可节约", ""),
        ("缺口", f"{len(g.gaps)} 个", f"缺链 {kinds['missing']} · 弱链 {kinds['weak']} · 空白 {kinds['empty']}", ""),
        ("闭环产业链", f"{closed} / {len(c.chains)}", "按终端产品计，环节全在区内", ""),
        ("本地链条", f"{len(c.local_chains)} 条", "全部由区内企业组成的供应链", ""),
    ]  # fmt: skip
    top = b.ranked[:5]
    demand = _money_cells([x.external_demand for x in top])
    return [
        f"<header><h1>{_e(b.zone)} 产业链本地配套报告</h1>",
        f'<p class="meta">{links}生成日期 {_e(b.generated)} · 数据来源 {_e(b.source or "—")}</p></header>',
        f'<section class="lead" id="conclusion"><h2>结论</h2><p>{_e(b.conclusion)}</p></section>',
        '<section class="cards" id="figures">'
        + "".join(
            f'<div class="card {cls}"><div class="k">{_e(k)}</div><b>{_e(v)}</b><div class="s">{_e(sub)}</div></div>'
            for k, v, sub, cls in cards
        )
        + "</section>",
        f'<section id="top"><h2>最需要补的 {len(top)} 个缺口及招商对象</h2>'
        if top
        else '<section id="top"><h2>最需要补的缺口</h2>',
        f'<p class="def">{_e(DEFINITIONS["招商清单"])}</p>',
        _table(
            [
                _Col("优先级", num=True),
                _Col("产品", cls="name"),
                _Col("类型", cls="kind"),
                _Col("外部采购额（万元）", num=True),
                _Col("象限", cls="kind"),
                _Col("建议邀请（城市，供货份额，年供货额）", cls="wide"),
            ],
            [
                [str(x.rank), _e(x.product), _kind(x.kind), demand[k], _quadrant(x.quadrant), _invitees(x.invitees)]
                for k, x in enumerate(top)
            ],
            empty="当前数据中没有缺链、弱链或空白环节。",
        ),
        "</section>",
    ]


def _peers(b: Brief) -> list[str]:
    lsr = b.analysis.closure.local_sourcing_ratio
    out = ['<section id="peers"><h2>本地配套率：对照目标与数据中的其他园区</h2>',
           f'<p class="def">{_e(DEFINITIONS["本地配套率"])} {_e(DEFINITIONS["园区对比"])} '
           f'虚线为目标 {_e(pct(b.target_lsr, digits=0))}（生成报告时设定）。</p>']  # fmt: skip
    if len(b.peers) <= 1:
        out.append(f'<p class="empty">数据中只有 {_e(b.zone)} 一个有区内采购的园区，无法与其他园区比较。</p>')
    legend = '<p class="legend"><i class="c-mine"></i>本园区<i class="c-peer"></i>其他园区</p>'
    out.append(
        _bars(
            [
                (
                    p.zone,
                    p.local_sourcing_ratio or 0.0,
                    pct(p.local_sourcing_ratio),
                    "c-mine" if p.zone == b.zone else "c-peer",
                )
                for p in b.peers
            ]
            if len(b.peers) > 1
            else [],
            unit="pct",
            target=b.target_lsr,
            fixed_top=max(1.0, max([p.local_sourcing_ratio or 0 for p in b.peers] + [b.target_lsr])),
            legend=legend,
            label="各园区本地配套率",
        )
    )
    if len(b.peers) > 1:
        local = _money_cells([p.local_value for p in b.peers])
        total = _money_cells([p.total_value for p in b.peers])
        out.append(
            _table(
                [
                    _Col("排名", num=True),
                    _Col("园区", cls="name"),
                    _Col("本地配套率", num=True),
                    _Col("区内采购额（万元）", num=True),
                    _Col("采购总额（万元）", num=True),
                    _Col("缺口数", num=True),
                ],
                [
                    [str(k), _e(p.zone), _e(pct(p.local_sourcing_ratio)), local[k - 1], total[k - 1], str(p.gaps)]
                    for k, p in enumerate(b.peers, 1)
                ],
                empty="",
                mine=[p.zone == b.zone for p in b.peers],
            )
        )
    elif lsr is None:
        out.append('<p class="empty">本园区企业在数据中没有采购记录。</p>')
    out.append("</section>")
    return out


def _supply(b: Brief) -> list[str]:
    if not b.supply:
        return []
    demand = _money_cells([x.external_demand for x in b.supply])
    return [
        f'<section id="supply"><h2>供应安全：{len(b.supply)} 项资源型原材料（不作为招商对象）</h2>',
        f'<p class="def">{_e(DEFINITIONS["供应安全"])}</p>',
        _table([_Col("原材料", cls="name"), _Col("外部采购额（万元）", num=True), _Col("区内采购方"),
                _Col("现有外地供应商（城市，份额，年供货额）", cls="wide"), _Col("说明")],
               [[_e(x.product), demand[k], _e(_some(list(x.buyers))), _invitees(x.suppliers), _e(x.reason or "—")]
                for k, x in enumerate(b.supply)],
               empty=""),
        "</section>",
    ]  # fmt: skip


def _coverage(b: Brief) -> list[str]:
    c = b.analysis.closure
    derived = c.coverage_basis == "derived"
    rows = sorted(c.chains, key=lambda r: (r.stage_coverage, r.chain or "", r.end_product))[:TABLE_ROWS]
    head = (f"各产业链环节覆盖（{len(c.chains)} 条，按终端产品）" if len(rows) == len(c.chains)
            else f"各产业链环节覆盖（覆盖率最低的 {len(rows)} 条，共 {len(c.chains)} 条，全部见工作簿“环节覆盖”）")  # fmt: skip
    legend = (
        '<p class="legend"><i class="c-closed"></i>闭环（100%）<i class="c-part"></i>部分覆盖（50% 及以上）'
        '<i class="c-low"></i>覆盖不足（低于 50%）</p>'
    )
    return [
        f'<section id="coverage"><h2>{_e(head)}</h2>',
        f'<p class="def">{_e(DEFINITIONS["环节覆盖"])}'
        + (" 数据没有产业链图谱，环节由供应关系推导，会多算上游环节。" if derived else "")
        + "</p>",
        _bars(
            [
                (
                    f"{r.chain or '推导'} · {r.end_product}",
                    r.stage_coverage,
                    f"{pct(r.stage_coverage)}（{r.covered}/{r.stages}）",
                    f"c-{_cov_status(r.stage_coverage)[0]}",
                )
                for r in rows[:CHART_BARS]
            ],
            unit="pct",
            fixed_top=1.0,
            legend=legend,
            label="环节覆盖率",
        ),
        _table(
            [
                _Col("产业链", cls="name"),
                _Col("终端产品", cls="name"),
                _Col("覆盖率", num=True),
                _Col("状态", cls="kind"),
                _Col("区内缺失的环节"),
            ],
            [
                [
                    _e(r.chain or "（推导）"),
                    _e(r.end_product),
                    f"{_e(pct(r.stage_coverage))}（{r.covered}/{r.stages}）",
                    f'<span class="tag s-{_cov_status(r.stage_coverage)[0]}">{_cov_status(r.stage_coverage)[1]}</span>',
                    _e("、".join(r.missing_stages) or "—"),
                ]
                for r in rows
            ],
            empty="区内企业没有可计算环节覆盖的产品（没有产业链图谱，区内企业也没有销售记录）。",
        ),
        "</section>",
    ]


def _gap_list(b: Brief) -> list[str]:
    g = b.analysis.gaps
    with_demand = sorted((x for x in g.gaps if x.external_demand > 0), key=lambda x: (-x.external_demand, x.product))
    shown = with_demand[:CHART_BARS]
    legend = (
        '<p class="legend"><i class="c-missing"></i>缺链<i class="c-weak"></i>弱链<i class="c-empty"></i>空白环节</p>'
    )
    chart_title = (
        f"外部采购额（{len(shown)} 个有外部采购的缺口）"
        if len(shown) == len(with_demand)
        else f"外部采购额最大的 {len(shown)} 个缺口（共 {len(with_demand)} 个有外部采购）"
    )
    buyers = {x.product: x for x in g.gaps}
    listed = b.ranked[:TABLE_ROWS]
    demand = _money_cells([x.external_demand for x in listed])
    head = (f"招商清单：全部 {len(b.ranked)} 个缺口（按招商优先级）" if len(listed) == len(b.ranked)
            else f"招商清单：优先级最高的 {len(listed)} 个缺口（共 {len(b.ranked)} 个，全部见工作簿“招商清单”）")  # fmt: skip
    apart = len(g.gaps) - len(b.ranked)  # raw materials: supply security, not invitation targets
    if apart > 0:
        head += f"，另 {apart} 个资源型原材料列入供应安全"
    return [
        f'<section id="gaps"><h2>{_e(head)}</h2>',
        f'<p class="def">{_e(DEFINITIONS["缺口类型"])} {_e(DEFINITIONS["招商清单"])}</p>',
        f'<p class="def"><b>{_e(chart_title)}</b></p>' if shown else "",
        _bars(
            [(x.product, x.external_demand, money3(x.external_demand), f"c-{x.kind}") for x in shown],
            unit="money",
            legend=legend,
            label=chart_title,
        ),
        _table(
            [
                _Col("优先级", num=True),
                _Col("产品", cls="name"),
                _Col("类型", cls="kind"),
                _Col("外部采购额（万元）", num=True),
                _Col("象限", cls="kind"),
                _Col("区内采购方"),
                _Col("建议邀请（城市，供货份额，年供货额）", cls="wide"),
                _Col("依赖它的区内产品"),
            ],
            [
                [
                    str(x.rank),
                    _e(x.product),
                    _kind(x.kind),
                    demand[k],
                    _quadrant(x.quadrant),
                    _e(_some([y["name"] or y["id"] for y in buyers[x.product].buyers] if x.product in buyers else [])),
                    _invitees(x.invitees),
                    _e(_some(list(x.dependents), most=6, unit="个")),
                ]
                for k, x in enumerate(listed)
            ],
            empty="当前数据中没有缺链、弱链或空白环节。",
        ),
        "</section>",
    ]


def _drivers(drivers: Sequence[dict[str, Any]], count: int, *, most: int = 3) -> str:
    """``LED芯片（0.50）、传感器（0.50） 等 21 种``: the made products driving a density, or ``—``."""
    if not drivers:
        return "—"
    shown = "、".join(f"{d['product']}（{d['proximity']:.2f}）" for d in drivers[:most])
    return shown + (f" 等 {count} 种" if count > most else "")


def _matrix(b: Brief) -> list[str]:
    """招商矩阵: the scatter of the gaps (feasibility × attractiveness) and the table of its figures and inputs."""
    m = b.matrix
    if m is None:
        return []
    from chaingraph.render.matrix_chart import CHART_POINTS, matrix_svg

    out = [
        '<section id="matrix"><h2>招商矩阵：可行性 × 吸引力</h2>',
        f'<p class="def">{_e(DEFINITIONS["招商矩阵"])}</p>',
    ]
    if not m.rows:
        return [*out, '<p class="empty">当前数据中没有可放进矩阵的缺口。</p>', "</section>"]
    counts = {q: sum(1 for r in m.rows if r.quadrant == q) for q in QUADRANT_LABELS if q != "supply_security"}
    near = [r.product for r in m.rows if r.quadrant == "near_term"]
    summary = "，".join(f"{QUADRANT_LABELS[q]} {n} 个" for q, n in counts.items())
    lead = f"{len(m.rows)} 个缺口：{summary}。" + (f"近期可招：{_some(near, most=5, unit='个')}。" if near else "")
    title = f"{b.zone} 招商矩阵（{len(m.rows)} 个缺口）"
    shown = min(len(m.rows), CHART_POINTS)
    legend = ('<p class="legend">点的编号见下表；面积表示补链可留在本地的采购额<i class="c-missing"></i>缺链'
              '<i class="c-weak"></i>弱链<i class="c-empty"></i>空白环节</p>')  # fmt: skip
    out += [f'<p class="def"><b>{_e(lead)}</b></p>', legend, matrix_svg(m, title=title)]
    if shown < len(m.rows):
        out.append(
            f'<p class="more">图中画出前 {shown} 个缺口（共 {len(m.rows)} 个，全部见下表和工作簿“招商矩阵”）。</p>'
        )
    rows = m.rows[:TABLE_ROWS]
    kept = _money_cells([r.value_kept for r in rows])
    effect = _money_cells([r.output_effect for r in rows])
    out.append(_table(
        [_Col("编号", num=True), _Col("产品", cls="name"), _Col("象限", cls="kind"), _Col("关联密度", num=True),
         _Col("依托的区内产品（接近度）", cls="wide"), _Col("链上关联", num=True), _Col("可留本地 万元/年", num=True),
         _Col("带动产出 万元/年", num=True), _Col("就业 人", num=True), _Col("采购方/依赖", num=True),
         _Col("吸引力", num=True)],
        [[str(k), f"{_e(r.product)} {_kind(r.kind)}", _quadrant(r.quadrant),
          "—" if r.density is None else f"{r.density:.3f}", _e(_drivers(r.drivers, r.driver_count)),
          f"{r.chain_relatedness:.2f}", kept[k - 1], effect[k - 1], "—" if r.jobs is None else f"{r.jobs:,.0f}",
          f"{r.buyers} / {len(r.dependents)}", f"{r.attractiveness:.3f}"]
         for k, r in enumerate(rows, 1)],
        empty="",
    ))  # fmt: skip
    scale = m.scale
    if scale.output_value:
        jobs = (f"带动就业 = 带动产出 × 园区 {scale.firms_reporting} 家企业的从业人数 ÷ 年产值。"
                if scale.employees_per_yuan is not None else "数据中没有从业人数，不估带动就业。")  # fmt: skip
        effect_text = f"带动产出 = 补链可留本地 × 产出乘数 {m.multiplier:g}（区域投入产出乘数的保守取值，可用 --multiplier 改）。{jobs}"
    else:
        effect_text = "数据中没有年产值，不估带动产出和就业。"
    raw = f"资源型原材料（{'、'.join(m.supply_security)}）列为供应安全，不在矩阵中。" if m.supply_security else ""
    out.append(
        f'<p class="def">补链可留本地 = 外部采购额 × 承接比例 {_e(pct(m.capture, digits=0))}（补上缺口后区内企业改从本地采购的比例，'
        f"可用 --capture 改）。{_e(effect_text)} 关联密度由数据中 {m.zones} 个地区的产品共现算出；链上关联度是招商清单打分用的"
        f"上下游关联（上游已有、下游已买的比例），列在旁边供对照。{_e(raw)}</p>"
    )
    out.append("</section>")
    return out


def _savings(b: Brief) -> list[str]:
    s, n = b.analysis.savings, b.names
    name = lambda i: _e(n.get(i, i))  # noqa: E731
    realized = sorted(s.realized, key=lambda r: (-r.annual_saving, r.buyer_id, r.product))[:TABLE_ROWS]
    real_head = (f"已实现节约（{len(s.realized)} 项，合计 {money3(s.total_realized)}/年）" if len(realized) == len(s.realized)
                 else f"已实现节约（年节约最大的 {len(realized)} 项，共 {len(s.realized)} 项，合计 {money3(s.total_realized)}/年，"
                 "全部见工作簿）")  # fmt: skip
    before = _money_cells([r.before for r in realized], scale=1)
    after = _money_cells([r.after for r in realized], scale=1)
    annual = _money_cells([r.annual_saving for r in realized])
    saving = [p for p in s.potential if p.annual_saving > 0]
    zero = len(s.potential) - len(saving)
    pot = saving[:POTENTIAL_SHOWN]
    value = _money_cells([p.value for p in pot])
    p_annual = _money_cells([p.annual_saving for p in pot])
    pot_head = (
        f"潜在节约（{len(saving)} 项）"
        if len(saving) <= POTENTIAL_SHOWN
        else f"潜在节约（年节约最大的 {POTENTIAL_SHOWN} 项，共 {len(saving)} 项）"
    )
    pot_note = (f" 另有 {zero} 项外地到厂价不高于区内参考价，节约为 0，未列出。" if zero else "") + (
        " 完整清单见工作簿“潜在节约”。" if zero or len(saving) > POTENTIAL_SHOWN else ""
    )
    return [
        f'<section id="realized"><h2>{_e(real_head)}</h2>',
        f'<p class="def">{_e(DEFINITIONS["已实现节约"])}</p>',
        _bars(
            [
                (
                    f"{n.get(r.buyer_id, r.buyer_id)} · {r.product}",
                    max(r.annual_saving, 0.0),
                    money3(r.annual_saving),
                    "c-saving",
                )
                for r in realized[:CHART_BARS]
            ],
            unit="money",
            label="年节约",
        ),
        _table(
            [
                _Col("采购方", cls="name"),
                _Col("产品", cls="name"),
                _Col("区内供应商", cls="name"),
                _Col("原到厂单价（元）", num=True),
                _Col("现到厂单价（元）", num=True),
                _Col("节约率", num=True),
                _Col("年节约（万元）", num=True),
            ],
            [
                [
                    name(r.buyer_id),
                    _e(r.product),
                    name(r.supplier_id),
                    before[k],
                    after[k],
                    _e(pct(r.saving_rate)),
                    annual[k],
                ]
                for k, r in enumerate(realized)
            ],
            empty="数据中没有已实现节约：没有同一产品“原从外地采购（历史关系）、现由区内企业供应”且有单价的记录。",
        ),
        "</section>",
        f'<section id="potential"><h2>{_e(pot_head)}，合计 {_e(money3(s.total_potential))}/年</h2>',
        f'<p class="def">{_e(DEFINITIONS["潜在节约"] + pot_note)}</p>',
        _table(
            [
                _Col("采购方", cls="name"),
                _Col("产品", cls="name"),
                _Col("外地供应商", cls="name"),
                _Col("年采购额（万元）", num=True),
                _Col("年节约（万元）", num=True),
                _Col("区内可供企业"),
            ],
            [
                [
                    name(p.buyer_id),
                    _e(p.product),
                    name(p.supplier_id),
                    value[k],
                    p_annual[k],
                    _e("、".join(n.get(x, x) for x in p.candidates))
                    + (f"（共 {p.candidate_count} 家）" if p.candidate_count > len(p.candidates) else ""),
                ]
                for k, p in enumerate(pot)
            ],
            empty="没有潜在节约：区内企业从外地采购的产品，区内都还没有别的企业生产，或外地价格不高于区内。",
        ),
        "</section>",
    ]


def _local_chains(b: Brief) -> list[str]:
    c, n = b.analysis.closure, b.names
    method = "" if c.local_chains_method == "all_maximal_paths" else " 链条太多，只列出每个终端采购方最长的一条。"
    chains = c.local_chains[:TABLE_ROWS]
    head = (f"本地链条（{len(chains)} 条）" if len(chains) == len(c.local_chains)
            else f"本地链条（最长的 {len(chains)} 条，共 {len(c.local_chains)} 条，全部见工作簿）")  # fmt: skip
    return [
        f'<section id="chains"><h2>{_e(head)}</h2>',
        f'<p class="def">{_e(DEFINITIONS["本地链条"])}{_e(method)}</p>',
        _table(
            [_Col("序号", num=True), _Col("链条（供应顺序）"), _Col("供应关系数", num=True)],
            [
                [str(i), _e(" → ".join(n.get(p, p) for p in path)), str(len(path) - 1)]
                for i, path in enumerate(chains, 1)
            ],
            empty="区内还没有至少两道供应关系、全部由区内企业组成的链条。",
        ),
        "</section>",
    ]


def _resilience(b: Brief) -> list[str]:
    """供应韧性: the zone's figures as cards, then the products by concentration (docs/analysis.md, "Resilience")."""
    r = b.resilience
    if r is None:
        return []
    from chaingraph.render.resilience import hhi_text

    head = (f"供应韧性：{r.single_points} 种产品只有一家供应商，承担 {pct(r.single_point_share)} 的采购额"
            if r.single_points else "供应韧性：没有只靠一家供应商的产品")  # fmt: skip
    cards = [
        ("采购的产品", f"{len(r.products)} 种", f"采购总额 {money3(r.purchases)}", ""),
        ("单一供应商的产品（单点）", f"{r.single_points} 种", f"采购额 {money3(r.single_point_value)}",
         "bad" if r.single_points else "good"),
        ("单点承担的采购占比", pct(r.single_point_share), "它们的供应商一停产即断供", "bad" if r.single_points else ""),
        (f"高度集中（HHI>{hhi_text(r.threshold)}）", f"{r.concentrated} 种",
         f"占采购额 {pct(r.concentrated_share)}，加权 HHI {hhi_text(r.weighted_hhi)}", ""),
    ]  # fmt: skip
    shown = r.products[:TABLE_ROWS]
    title = (f"各产品的供应集中度（{len(shown)} 种，集中度最高的在前）" if len(shown) == len(r.products)
             else f"集中度最高的 {len(shown)} 种产品（共 {len(r.products)} 种，全部见工作簿“供应韧性”）")  # fmt: skip
    value = _money_cells([p.purchases for p in shown])

    def top(p: ProductSupply) -> str:
        t = p.top
        if t is None:
            return "—"
        where = "区内" if t.local else (t.zone or "外地")
        return f"{_e(t.name or b.names.get(t.id, t.id))}（{_e(where)}，{_e(pct(t.share, digits=0))}）"

    rows = [[_e(p.product), value[k], f"{p.suppliers}（区内 {p.local_suppliers}）", top(p), _e(hhi_text(p.hhi)),
             '<span class="tag k-missing">单一供应商</span>' if p.single_point
             else '<span class="tag k-weak">高度集中</span>' if p.concentrated else "—"]
            for k, p in enumerate(shown)]  # fmt: skip
    return [
        f'<section id="resilience"><h2>{_e(head)}</h2>',
        f'<p class="def">{_e(DEFINITIONS["供应韧性"])}</p>',
        '<div class="cards">'
        + "".join(
            f'<div class="card {cls}"><div class="k">{_e(k)}</div><b>{_e(v)}</b><div class="s">{_e(sub)}</div></div>'
            for k, v, sub, cls in cards
        )
        + "</div>",
        f'<p class="def"><b>{_e(title)}</b></p>',
        _table(
            [
                _Col("产品", cls="name"),
                _Col("采购额（万元）", num=True),
                _Col("供应商数", num=True),
                _Col("最大供应商（所在地，份额）", cls="wide"),
                _Col("集中度 HHI", num=True),
                _Col("风险", cls="kind"),
            ],
            rows,
            empty="区内企业在数据中没有采购记录。",
        ),
        "</section>",
    ]


def _benchmark(b: Brief) -> list[str]:
    """对标: the zone against its peers, its chains' coverage in each, and the peers' makers of its gaps."""
    bm = b.benchmark
    if bm is None:
        return []
    from chaingraph.render.benchmark import chain_label

    out = [f'<section id="benchmark"><h2>对标：{_e(bm.zone)}与 {len(bm.peers)} 个园区逐项比较</h2>'
           if bm.peers else '<section id="benchmark"><h2>对标</h2>',
           f'<p class="def">{_e(DEFINITIONS["对标"])}</p>']  # fmt: skip
    if not bm.peers:
        out += ['<p class="empty">数据中没有其他有区内采购的园区可以对标。</p>', "</section>"]
        return out
    zs = bm.zones
    local, real, pot = (_money_cells([getattr(z, k) for z in zs]) for k in ("local_value", "total_realized",
                                                                             "total_potential"))  # fmt: skip
    out.append(_table(
        [_Col("排名", num=True), _Col("园区", cls="name"), _Col("本地配套率", num=True), _Col("区内采购额（万元）", num=True),
         _Col("已实现节约（万元/年）", num=True), _Col("潜在节约（万元/年）", num=True), _Col("缺口（缺链 / 弱链 / 空白）"),
         _Col("闭环产业链", num=True)],
        [[str(z.rank or "—"), _e(z.zone), _e(pct(z.local_sourcing_ratio)), local[k], real[k], pot[k],
          f"{z.gaps}（{z.missing} / {z.weak} / {z.empty}）", f"{z.chains_closed} / {z.chains}"]
         for k, z in enumerate(zs)],
        empty="", mine=[z.zone == bm.zone for z in zs]))  # fmt: skip
    if bm.chains:
        shown = list(bm.peers[:4])
        more = f"（列出前 {len(shown)} 个对标园区，全部见工作簿“对标园区”）" if len(bm.peers) > len(shown) else ""
        out.append(f'<p class="def"><b>各产业链环节覆盖率：本园区与对标园区{_e(more)}</b></p>')
        out.append(_table(
            [_Col("产业链 · 终端产品", cls="name"), _Col(f"{bm.zone}（本园区）", num=True), _Col("覆盖最高的对标园区"),
             *(_Col(z, num=True) for z in shown)],
            [[_e(chain_label(c)), _e(pct(c.of(bm.zone))),
              _e(f"{c.best_peer} {pct(c.best_coverage)}" if c.best_peer else "对标园区都为 0"),
              *(_e(pct(c.of(z))) for z in shown)] for c in bm.chains[:TABLE_ROWS]],
            empty=""))  # fmt: skip
    found = [g for g in bm.gaps if g.peers]
    none = [g.product for g in bm.gaps if not g.peers]
    star = "；★ 已在向本园区供货" if any(m.sells_to_zone for g in found for p in g.peers for m in p.makers) else ""
    out.append(f'<p class="def"><b>本园区的缺口在哪些对标园区有厂家（招商的最短路径{star}）</b></p>')
    demand = _money_cells([g.external_demand for g in found[:TABLE_ROWS]])

    def makers(g: GapPeers) -> str:
        li = []
        for p in g.peers[:3]:
            firms = "、".join(("★" if m.sells_to_zone else "") + (m.name or m.id) for m in p.makers[:3])
            more = f" 等 {len(p.makers)} 家" if len(p.makers) > 3 else ""
            li.append(f"<li>{_e(p.zone)}：{_e(firms + more)}</li>")
        if len(g.peers) > 3:
            li.append(f'<li class="more">另有 {len(g.peers) - 3} 个园区，见工作簿“对标厂家”</li>')
        return f'<ul class="inv">{"".join(li)}</ul>'

    out.append(_table(
        [_Col("缺口产品", cls="name"), _Col("类型", cls="kind"), _Col("外部采购额（万元）", num=True),
         _Col("对标园区及其厂家", cls="wide")],
        [[_e(g.product), _kind(g.kind), demand[k], makers(g)] for k, g in enumerate(found[:TABLE_ROWS])],
        empty="对标园区中没有本园区缺口产品的生产企业：这些缺口要到数据之外的地区去找厂家。"))  # fmt: skip
    if none and found:
        out.append(
            f'<p class="more">对标园区也没有厂家的缺口 {len(none)} 个：{_e(_some(none, most=12, unit="个"))}。</p>'
        )
    out.append("</section>")
    return out


def _footer_text(b: Brief) -> str:
    counts = "、".join(f"{k} {v:,} 行" for k, v in b.counts)
    rejected = f"，另有 {b.rejected:,} 行有问题已剔除" if b.rejected else ""
    return f"生成日期 {b.generated} · 数据来源 {b.source or '—'}" + (f"（{counts}{rejected}）" if counts else "")


def write_report(
    b: Brief,
    path: str | Path,
    *,
    graph: str | None = "graph.html",
    workbook: str | None = "workbook.xlsx",
    sections: Sequence[str] = (),
) -> Path:
    """Write ``report.html`` for one zone.

    Parameters
    ----------
    b
        The report's figures (:func:`chaingraph.render.brief.build_brief`).
    path
        Where to write (the parent folder is created).
    graph, workbook
        Relative links to the interactive graph and the workbook, or ``None``.
    sections
        Further HTML fragments (already escaped), placed after the panorama.

    The chain panorama of ``b.panorama`` (its own script opens a stage's details) comes right
    after the first screen: it is what leadership looks at first.
    """
    pano_css = pano_js = ""
    pano: list[str] = []
    if b.panorama is not None:
        from chaingraph.render.panorama import panorama_fragment

        frag = panorama_fragment(b.panorama, stamp=f"{b.zone} 产业链全景图 · {_footer_text(b)}")
        pano_css, pano_js = frag.css, frag.js
        pano = ['<section id="panorama"><h2>产业链全景图</h2>', f'<p class="def">{_e(DEFINITIONS["产业链全景"])}</p>',
                printable(frag.html)[0], "</section>"]  # fmt: skip
    links = "".join(
        f'<a class="noprint" href="{escape(x)}">{escape(label)}</a>'
        for x, label in ((graph, "交互式产业链图"), (workbook, "Excel 工作簿（全部明细）"))
        if x
    )
    footer = _footer_text(b)
    page_css = (
        "@page { size: A4; margin: 14mm 12mm 16mm; "
        f"@bottom-left {{ content: {_css_string(footer)}; font-size: 8pt; color: #555; }} "
        '@bottom-right { content: "第 " counter(page) " / " counter(pages) " 页"; font-size: 8pt; color: #555; } }'
    )
    defs = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in DEFINITIONS.items())
    html = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(b.zone)} 产业链本地配套报告</title><style>{CSS}{MATRIX_CSS}{pano_css}{page_css}</style></head><body>",
        *_first_screen(b, links),
        *pano,
        *sections,
        *_peers(b),
        *_benchmark(b),
        *_gap_list(b),
        *_matrix(b),
        *_supply(b),
        *_resilience(b),
        *_coverage(b),
        *_savings(b),
        *_local_chains(b),
        f'<section id="definitions"><h2>口径说明</h2><p class="def">金额为每年的采购或节约额。表格中金额单位见表头：'
        f"万元保留两位小数，单价（元）不舍入；文字和卡片中取三位有效数字；精确到分的金额见 Excel 工作簿。</p><dl class=defs>{defs}</dl></section>",
        f"<footer>{_e(footer)} · 由 chaingraph 生成</footer>",
        f"<script>{pano_js}</script>" if pano_js else "",
        "</body></html>",
    ]
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(html), encoding="utf-8")
    return out
