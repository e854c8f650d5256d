"""The chain panorama page (产业链全景图): one self-contained HTML file, its embeddable parts, its sheet rows.

Per chain three columns 上游 / 中游 / 下游, each stage a box in supply order
coloured by status (强 / 弱 / 缺 / 空白) with its top local makers, local
demand, the share bought outside and, for weak and missing stages, the top
outside suppliers to invite.  Clicking (tapping) a box opens the stage's
details: every maker, buyer and outside supplier with amounts, what feeds it
and what depends on it.

Names from the data are escaped with :func:`html.escape` in the boxes and
reach the details panel as JSON inside ``<script type="application/json">``
(``<``, ``>``, ``&`` escaped) put on screen with ``textContent``: a name
cannot inject markup or script.  The page loads nothing from the network.

For embedding (``report.html``): :func:`panorama_fragment` gives the HTML,
CSS and JavaScript apart; :func:`sheet` gives the rows of a 全景 sheet.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chaingraph.render.fmt import pct, yuan
from chaingraph.results.panorama import SEGMENTS, STATUSES, Panorama, PanoramaChain, Stage

if TYPE_CHECKING:
    import pandas as pd

    from chaingraph.model import Dataset

__all__ = [
    "BOX_FIRMS",
    "REASON_TEXT",
    "SHEET_TITLE",
    "STATUS_LABELS",
    "STATUS_RULES",
    "Fragment",
    "chain_title",
    "drawn_chains",
    "generated_date",
    "panorama_fragment",
    "panorama_frame",
    "panorama_html",
    "panorama_view",
    "sheet",
    "source_line",
    "source_text",
    "write_panorama",
]

STATUS_LABELS = {"strong": "强", "weak": "弱", "missing": "缺", "empty": "空白"}
STATUS_RULES = {
    "strong": "本地有 2 家及以上企业生产，且区内企业采购额过半来自本地（或区内无采购）",
    "weak": "仅 1 家本地企业生产，或区内企业采购额一半及以上来自外地",
    "missing": "本地无企业生产，区内企业从外地采购（缺链）",
    "empty": "本地无企业生产，区内也无采购（空白环节）",
}
REASON_TEXT = {
    "strong": "本地 {makers} 家企业生产，区内采购 {local} 来自本地",
    "mostly_outside": "本地 {makers} 家企业生产，但区内采购的 {share} 来自外地",
    "one_maker": "仅 1 家本地企业生产（本地独家），区内采购的 {share} 来自外地",
    "weak_gap": "仅 1 家本地企业生产，区内采购的 {share} 来自外地（弱链）",
    "missing": "本地无企业生产，区内企业每年从外地采购 {outside}（缺链）",
    "empty": "本地无企业生产，区内也无采购（空白环节）",
}
#: Firms shown in a stage box per list (makers, invitees); the rest are counted, all are in the details.
BOX_FIRMS = 3
#: Inputs / outputs named in a stage box and the stage list (the details panel has them all).
BOX_LINKS = 6
#: Derived chains drawn on a page at most, the largest end products (by the zone's sales) first; JSON has all.
MAX_DERIVED_CHAINS = 30
#: The workbook sheet of the panorama.
SHEET_TITLE = "全景 Panorama"
#: Firms named per cell of the sheet and the CSV (the count says how many more).
SHEET_FIRMS = 20

_COLORS = {"strong": ("#1b7a3a", "#e6f4ea"), "weak": ("#a15c00", "#fff3dc"), "missing": ("#b3261e", "#fde7e5"),
           "empty": ("#6b6b6b", "#f3f3f3")}  # fmt: skip


@dataclass(frozen=True)
class Fragment:
    """The panorama as parts of a page: ``html`` (a ``<section>``), ``css`` and ``js`` to add to the host page."""

    html: str
    css: str
    js: str


def generated_date() -> str:
    """Today's date (local time), or the date of ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return time.strftime("%Y-%m-%d", time.gmtime(int(epoch)) if epoch and epoch.isdigit() else time.localtime())


def source_text(ds: Dataset) -> str:
    """Where the data came from and how many rows were analysed, in Chinese.

    >>> from chaingraph.load import load_dataset
    >>> source_text(load_dataset("data"))
    '数据来源 data：企业 170 行 · 供应关系 385 行 · 产业链图谱 51 行'
    """
    return source_line(source=ds.source, enterprises=len(ds.enterprises), links=len(ds.links),
                       chains=len(ds.chains) if ds.chains is not None else None, rejected=len(ds.rejected))  # fmt: skip


def source_line(*, source: str, enterprises: int, links: int, chains: int | None, rejected: int) -> str:
    """:func:`source_text` from the counts (a SQL engine counts its rows rather than reading them).

    >>> source_line(source="", enterprises=2, links=1, chains=None, rejected=0)
    '数据来源 —：企业 2 行 · 供应关系 1 行 · 无产业链图谱 (chains.csv)'
    """
    parts = [f"企业 {enterprises} 行", f"供应关系 {links} 行"]
    parts.append(f"产业链图谱 {chains} 行" if chains is not None else "无产业链图谱 (chains.csv)")
    if rejected:
        parts.append(f"另有 {rejected} 处问题行已剔除")
    return f"数据来源 {source or '—'}：" + " · ".join(parts)


def chain_title(c: PanoramaChain) -> str:
    """The heading of one chain.

    >>> from chaingraph.results.panorama import PanoramaChain
    >>> chain_title(PanoramaChain("充电桩", False, ("充电桩",), ())), chain_title(PanoramaChain(None, True, ("视觉系统",), ()))
    ('充电桩产业链', '视觉系统（推导链条）')
    """
    return f"{c.chain}产业链" if c.chain is not None else f"{'、'.join(c.end_products)}（推导链条）"


def _reason(s: Stage) -> str:
    return REASON_TEXT[s.reason].format(makers=len(s.makers), share=pct(s.outside_share),
                                        local=pct(None if s.outside_share is None else 1 - s.outside_share),
                                        outside=yuan(s.outside_value))  # fmt: skip


def _few(products: tuple[str, ...], *, limit: int = BOX_LINKS) -> str:
    """Up to ``limit`` product names joined, then how many more.

    >>> _few(("甲", "乙")), _few(tuple("甲乙丙丁戊己庚"), limit=3)
    ('甲、乙', '甲、乙、丙 等 7 项')
    """
    return "、".join(products[:limit]) + (f" 等 {len(products)} 项" if len(products) > limit else "")


def _more(n: int) -> str:
    return f"还有 {n} 家" if n > 0 else ""


def _place(zone: str, city: str) -> str:
    return " · ".join(dict.fromkeys(x for x in (city, zone) if x)) or "—"


def _firm_name(name: str, fid: str) -> str:
    return name or fid


def _safe_json(data: Any) -> str:
    """JSON for a ``<script type="application/json">`` block: ``<``, ``>``, ``&`` escaped so no name closes it."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _figures(s: Stage) -> list[list[str]]:
    return [
        ["区内需求（年采购额）", yuan(s.local_demand)],
        ["其中本地供应", yuan(s.local_supplied)],
        ["从外地采购", yuan(s.outside_value)],
        ["外购占比", pct(s.outside_share)],
        ["本地企业年销售额", yuan(s.maker_sales)],
    ]


def _product_data(s: Stage) -> dict[str, Any]:
    """What the details panel shows of a stage's product: the same in every chain it is in, so sent once."""
    return {
        "p": s.product, "st": s.status, "label": STATUS_LABELS[s.status], "why": _reason(s), "fig": _figures(s),
        "makers": [[_firm_name(m.name, m.id), m.leader, yuan(m.sales)] for m in s.makers],
        "buyers": [[_firm_name(b.name, b.id), yuan(b.value), yuan(b.local_value)] for b in s.buyers],
        "sups": [[_firm_name(x.name, x.id), _place(x.zone, x.city), pct(x.share), yuan(x.value)] for x in s.suppliers],
        "invite": bool(s.invite), "deps": list(s.dependents), "safe": s.supply_security,
        "targets": [[_firm_name(x.name, x.id), _place(x.zone, x.city), pct(x.share), yuan(x.value)] for x in s.targets],
    }  # fmt: skip


def _stage_data(k: int, chain: str, s: Stage, index: dict[str, int], product: int) -> dict[str, Any]:
    return {
        "k": k, "chain": chain, "seg": s.segment, "segd": s.segment_derived, "pi": product,
        "inputs": [index[p] for p in s.inputs], "outputs": [index[p] for p in s.outputs],
    }  # fmt: skip


def _box(k: int, s: Stage, index: dict[str, int]) -> str:
    e = escape
    makers = ""
    if s.makers:
        names = "、".join(
            f"{e(_firm_name(m.name, m.id))}{'<span class=cg-lead title=链主>★</span>' if m.leader else ''}"
            for m in s.makers[:BOX_FIRMS]
        )
        more = _more(len(s.makers) - BOX_FIRMS)
        makers = (f'<div class="cg-row">本地企业 <b>{len(s.makers)}</b> 家：{names}'
                  f"{'<span class=cg-more>，' + more + '</span>' if more else ''}</div>")  # fmt: skip
    else:
        makers = '<div class="cg-row cg-none">本地无企业生产</div>'
    demand = (f'<div class="cg-row">区内需求 <span class=cg-nw>{e(yuan(s.local_demand))}</span> · '
              f"<span class=cg-nw>外购 <b>{e(pct(s.outside_share))}</b></span></div>"
              if s.local_demand > 0 else '<div class="cg-row cg-none">区内无采购</div>')  # fmt: skip
    invite = ""
    if s.targets:
        items = "".join(
            f"<li>{e(_firm_name(x.name, x.id))}<span class=cg-sub>（{e(x.city or x.zone or '—')}，{e(pct(x.share, digits=0))}，"
            f"{e(yuan(x.value))}/年）</span></li>"
            for x in s.targets[:BOX_FIRMS]
        )
        more = _more(len(s.targets) - BOX_FIRMS)
        invite = (f'<div class="cg-invite"><span class="cg-tag">招商对象（生产企业）</span><ul>{items}</ul>'
                  f"{'<div class=cg-more>' + more + '</div>' if more else ''}</div>")  # fmt: skip
    elif s.supply_security:
        invite = (
            '<div class="cg-invite"><span class="cg-tag">供应安全</span>'
            "<span class=cg-sub>资源型原材料，不作招商对象，关注供应稳定</span></div>"
        )
    feeds = ""
    if s.inputs:
        feeds = f'<div class="cg-feeds" title="上游投入">← {e(_few(s.inputs))}</div>'
    to = f'<div class="cg-to" title="供给">→ {e(_few(s.outputs))}</div>' if s.outputs else ""
    seg = '<span class="cg-derived" title="位置按产品流深度推导">推导</span>' if s.segment_derived else ""
    return (
        f'<div class="cg-stage cg-{s.status}" data-k="{k}" tabindex="0" role="button" aria-haspopup="dialog" '
        f'aria-label="{e(s.product)}：{STATUS_LABELS[s.status]}，点击查看详情">'
        f'<div class="cg-top"><b class="cg-name">{e(s.product)}</b>{seg}'
        f'<span class="cg-badge">{STATUS_LABELS[s.status]}</span></div>'
        f"{feeds}{makers}{demand}{invite}{to}</div>"
    )


def _list_table(c: PanoramaChain, first: int) -> str:
    """The chain's stage list (一图一清单): every stage with status, makers, demand, invitees; printed whole."""
    e = escape
    rows = []
    for k, s in enumerate(c.stages, first):
        makers = "、".join(e(_firm_name(m.name, m.id)) + ("★" if m.leader else "") for m in s.makers[:10])
        if len(s.makers) > 10:
            makers += f"，{_more(len(s.makers) - 10)}"
        inv = "、".join(f"{e(_firm_name(x.name, x.id))}（{e(x.city or x.zone or '—')}，{e(pct(x.share, digits=0))}，"
                       f"{e(yuan(x.value))}）" for x in s.targets[:5])  # fmt: skip
        if len(s.targets) > 5:
            inv += f"，{_more(len(s.targets) - 5)}"
        if s.supply_security:
            inv = "供应安全项（资源型原材料，不作招商对象）"
        rows.append(
            f'<tr data-k="{k}"><td>{e(s.product)}</td><td>{e(s.segment)}{"（推导）" if s.segment_derived else ""}</td>'
            f'<td class="cg-st cg-{s.status}"><span class="cg-badge">{STATUS_LABELS[s.status]}</span></td>'
            f"<td>{makers or '—'}</td><td class=cg-num>{e(yuan(s.local_demand))}</td>"
            f"<td class=cg-num>{e(pct(s.outside_share))}</td><td>{inv or '—'}</td>"
            f"<td>{e(_few(s.inputs)) or '—'}</td></tr>"
        )
    return (
        '<table class="cg-list"><thead><tr><th>环节</th><th>位置</th><th>状态</th><th>本地企业（★链主）</th>'
        "<th>区内需求/年</th><th>外购占比</th><th>招商对象（所在地，份额，年供应额）</th><th>上游投入</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _counts(c: PanoramaChain) -> str:
    n = c.counts
    return " · ".join(f'<span class="cg-count cg-{s}">{STATUS_LABELS[s]} {n[s]}</span>' for s in STATUSES)


def _chain_section(ci: int, c: PanoramaChain, first: int, stamp: str,
                   products: dict[str, int], pdata: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:  # fmt: skip
    e = escape
    index = {s.product: k for k, s in enumerate(c.stages, first)}
    label = c.chain if c.chain is not None else "、".join(c.end_products)
    for s in c.stages:
        if s.product not in products:
            products[s.product] = len(pdata)
            pdata.append(_product_data(s))
    data = [_stage_data(k, label, s, index, products[s.product]) for k, s in enumerate(c.stages, first)]
    cols = []
    for seg in SEGMENTS:
        boxes = [(k, s) for k, s in enumerate(c.stages, first) if s.segment == seg]
        inner = "".join(_box(k, s, index) for k, s in boxes) or '<p class="cg-empty-col">（无环节）</p>'
        cols.append(f'<div class="cg-col" data-seg="{seg}"><h3>{seg}<span class=cg-sub> {len(boxes)} 个环节</span></h3>'
                    f'<div class="cg-boxes">{inner}</div></div>')  # fmt: skip
    arrow = '<div class="cg-arrow" aria-hidden="true">➜</div>'
    derived = sum(1 for s in c.stages if s.segment_derived)
    notes = []
    if c.derived:
        notes.append(
            "本链条由供应关系推导（未提供 chains.csv）：终端产品上游的全部产品；上/中/下游按到终端产品的步数推导。"
        )
    elif derived:
        notes.append(f"{derived} 个环节在 chains.csv 中未注明上/中/下游，按到终端产品的步数推导（标“推导”）。")
    ends = "、".join(c.end_products)
    html = (
        f'<section class="cg-chain" id="cg-pano-c{ci}" data-chain="{ci}">'
        f'<div class="cg-stamp">{e(stamp)}</div>'
        f"<h2>{e(chain_title(c))}</h2>"
        f'<p class="cg-summary">终端产品：{e(ends) or "—"} · 共 {len(c.stages)} 个环节：{_counts(c)}</p>'
        + "".join(f'<p class="cg-note">{e(n)}</p>' for n in notes)
        + f'<div class="cg-cols">{cols[0]}{arrow}{cols[1]}{arrow}{cols[2]}</div>'
        f'<button type="button" class="cg-toggle cg-noprint" aria-expanded="false">显示环节清单（表格）</button>'
        f'<div class="cg-listwrap" hidden><h3 class="cg-list-h">{e(chain_title(c))} 环节清单</h3>{_list_table(c, first)}'
        "</div></section>"
    )
    return html, data


CSS = """
.cg-pano { --cg-strong:#1b7a3a; --cg-weak:#a15c00; --cg-missing:#b3261e; --cg-empty:#6b6b6b; color:#1d1d1f;
  font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif; }
.cg-pano * { box-sizing:border-box; }
.cg-pano h2 { font-size:20px; margin:18px 0 4px; }
.cg-pano h3 { font-size:15px; margin:0 0 8px; }
.cg-legend { display:flex; flex-wrap:wrap; gap:6px 18px; font-size:13px; margin:8px 0; padding:8px 10px;
  border:1px solid #e0e0e0; border-radius:6px; background:#fafafa; }
.cg-legend .cg-item { display:flex; align-items:center; gap:6px; }
.cg-nav { display:flex; flex-wrap:wrap; gap:6px; margin:8px 0 4px; font-size:13px; }
.cg-nav a { text-decoration:none; color:#1d1d1f; border:1px solid #ccc; border-radius:14px; padding:3px 10px; background:#fff; }
.cg-nav a:hover, .cg-nav a:focus { border-color:#1f4e79; }
.cg-chain { margin-top:20px; padding-top:4px; border-top:2px solid #1f4e79; }
@media screen { .cg-chain { content-visibility:auto; contain-intrinsic-size:auto 900px; } }
.cg-summary { margin:2px 0 6px; font-size:13px; color:#444; }
.cg-note { margin:2px 0; font-size:12px; color:#7a4b00; }
.cg-count { white-space:nowrap; font-weight:600; }
.cg-count.cg-strong { color:var(--cg-strong); } .cg-count.cg-weak { color:var(--cg-weak); }
.cg-count.cg-missing { color:var(--cg-missing); } .cg-count.cg-empty { color:var(--cg-empty); }
.cg-cols { display:grid; grid-template-columns:minmax(0,1fr) 22px minmax(0,1fr) 22px minmax(0,1fr); gap:6px; align-items:start; }
.cg-col { background:#f6f8fb; border-radius:8px; padding:8px; min-width:0; }
.cg-col h3 { color:#1f4e79; }
.cg-arrow { align-self:start; margin-top:64px; text-align:center; color:#1f4e79; font-size:20px; }
.cg-boxes { display:grid; grid-template-columns:repeat(auto-fill,minmax(190px,1fr)); gap:8px; }
.cg-empty-col { color:#888; font-size:13px; margin:4px; }
.cg-stage { border:1px solid #ccc; border-left:6px solid #999; border-radius:6px; background:#fff; padding:6px 8px;
  font-size:12.5px; line-height:1.45; cursor:pointer; break-inside:avoid; page-break-inside:avoid; overflow-wrap:anywhere; }
.cg-stage:hover, .cg-stage:focus { outline:2px solid #1f4e79; outline-offset:1px; }
.cg-stage.cg-sel { outline:3px solid #1f4e79; }
.cg-stage.cg-feed { box-shadow:0 0 0 3px #7fb3e6; }
.cg-stage.cg-out { box-shadow:0 0 0 3px #c3a3e6; }
.cg-top { display:flex; align-items:flex-start; gap:6px; margin-bottom:2px; }
.cg-name { font-size:14px; flex:1; }
.cg-badge { display:inline-block; min-width:2.2em; text-align:center; border-radius:10px; padding:0 6px; color:#fff;
  font-size:12px; font-weight:700; background:#999; white-space:nowrap; }
.cg-derived { font-size:11px; color:#7a4b00; border:1px dashed #c9a86a; border-radius:4px; padding:0 3px; white-space:nowrap; }
.cg-stage.cg-strong { border-left-color:var(--cg-strong); }
.cg-stage.cg-weak { border-left-color:var(--cg-weak); background:#fffaf0; }
.cg-stage.cg-missing { border-left-color:var(--cg-missing); background:#fff6f5; }
.cg-stage.cg-empty { border-left-color:var(--cg-empty); border-style:dashed; border-left-style:solid; }
.cg-strong .cg-badge, .cg-badge.cg-strong { background:var(--cg-strong); }
.cg-weak .cg-badge, .cg-badge.cg-weak { background:var(--cg-weak); }
.cg-missing .cg-badge, .cg-badge.cg-missing { background:var(--cg-missing); }
.cg-empty .cg-badge, .cg-badge.cg-empty { background:var(--cg-empty); }
.cg-legend .cg-hint { display:block; flex-basis:100%; color:#444; }
.cg-legend .cg-hl { display:inline-block; width:14px; height:10px; border-radius:3px; }
.cg-row { margin:1px 0; } .cg-none { color:#777; } .cg-nw { white-space:nowrap; }
.cg-sub { color:#666; font-weight:normal; font-size:0.94em; }
.cg-more { color:#1f4e79; }
.cg-lead { color:#c88a00; margin-left:1px; }
.cg-feeds, .cg-to { color:#555; font-size:12px; }
.cg-invite { margin-top:3px; border-top:1px dotted #d9b3ae; padding-top:2px; }
.cg-invite ul { margin:2px 0 0; padding-left:16px; }
.cg-tag { font-size:11px; color:#fff; background:#c55a11; border-radius:3px; padding:0 4px; }
.cg-list-h { margin-top:14px; }
.cg-toggle { margin-top:8px; font-size:13px; border:1px solid #1f4e79; color:#1f4e79; background:#fff; border-radius:4px;
  padding:3px 10px; cursor:pointer; }
.cg-list { border-collapse:collapse; font-size:12.5px; width:100%; margin:4px 0 10px; }
.cg-list th, .cg-list td { border:1px solid #ddd; padding:3px 6px; text-align:left; vertical-align:top; }
.cg-list th { background:#eef4fb; } .cg-list tr { break-inside:avoid; page-break-inside:avoid; }
.cg-list td.cg-num, .cg-list td:nth-child(2), .cg-list td:nth-child(3) { text-align:right; white-space:nowrap; }
.cg-list td:nth-child(2), .cg-list td:nth-child(3) { text-align:left; }
.cg-list td.cg-st { border-left:1px solid #ddd; background:none; }
.cg-list tbody tr { cursor:pointer; } .cg-list tbody tr:hover { background:#f3f7fc; }
.cg-stamp { display:none; font-size:11px; color:#555; }
.cg-detail { position:fixed; top:0; right:0; bottom:0; width:min(480px,100vw); background:#fff; z-index:50;
  box-shadow:-4px 0 16px rgba(0,0,0,.18); overflow-y:auto; padding:14px 16px 24px; font-size:13px; }
.cg-detail[hidden] { display:none; }
.cg-detail h2 { margin:0 36px 4px 0; font-size:19px; }
.cg-detail .cg-close { position:absolute; top:8px; right:10px; font-size:22px; line-height:1; border:0; background:none;
  cursor:pointer; padding:4px 8px; }
.cg-detail table { border-collapse:collapse; width:100%; margin:4px 0 10px; }
.cg-detail th, .cg-detail td { border-bottom:1px solid #eee; padding:3px 4px; text-align:left; vertical-align:top; }
.cg-detail td.cg-num, .cg-detail th.cg-num { text-align:right; white-space:nowrap; }
.cg-detail h3 { margin:12px 0 2px; font-size:14px; color:#1f4e79; }
.cg-figs { display:grid; grid-template-columns:1fr 1fr; gap:4px 10px; margin:6px 0; }
.cg-figs div { background:#f6f8fb; border-radius:4px; padding:3px 6px; } .cg-figs b { display:block; font-size:15px; }
.cg-chips { display:flex; flex-wrap:wrap; gap:4px; }
.cg-chips button, .cg-chips span { border:1px solid #bbb; border-radius:12px; padding:1px 8px; background:#fff; font-size:12px; }
.cg-chips button { cursor:pointer; color:#1f4e79; }
@media (max-width: 820px) {
  .cg-cols { grid-template-columns:minmax(0,1fr); }
  .cg-arrow { transform:rotate(90deg); margin:-4px 0; }
  .cg-boxes { grid-template-columns:repeat(auto-fill,minmax(160px,1fr)); }
  .cg-list { font-size:12px; } .cg-list th:nth-child(8), .cg-list td:nth-child(8) { display:none; }
}
@media (max-width: 520px) { .cg-boxes { grid-template-columns:minmax(0,1fr); } }
@media print {
  .cg-pano { -webkit-print-color-adjust:exact; print-color-adjust:exact; padding-right:0 !important; }
  .cg-detail, .cg-nav, .cg-noprint { display:none !important; }
  .cg-chain { border-top:0; margin-top:0; }
  .cg-chain ~ .cg-chain { break-before:page; page-break-before:always; }
  .cg-listwrap, .cg-listwrap[hidden] { display:block !important; }
  .cg-chain h2 { break-after:avoid; page-break-after:avoid; }
  .cg-stamp { display:block; }
  .cg-cols { grid-template-columns:minmax(0,1fr) 14px minmax(0,1fr) 14px minmax(0,1fr); }
  .cg-boxes { grid-template-columns:repeat(auto-fill,minmax(150px,1fr)); gap:5px; }
  .cg-stage { font-size:10.5px; cursor:auto; } .cg-name { font-size:12px; }
  .cg-list { font-size:10px; } .cg-list-h { break-after:avoid; page-break-after:avoid; }
  .cg-list thead { display:table-header-group; }
}
"""

JS = r"""
(function () {
  "use strict";
  var root = document.querySelector(".cg-pano");
  if (!root) { return; }
  var holder = root.querySelector("script.cg-pano-data");
  var data = holder ? JSON.parse(holder.textContent) : {products: [], stages: []};
  var stages = data.stages, products = data.products;
  function stage(k) { var st = stages[k]; return st ? Object.assign({}, products[st.pi], st) : null; }
  var panel = root.querySelector(".cg-detail");
  var body = panel.querySelector(".cg-detail-body");
  var current = null;
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined && text !== null) { n.textContent = String(text); }
    return n;
  }
  function table(head, rows, numeric) {
    var t = el("table"), tr = el("tr"), tb = el("tbody"), th = el("thead");
    head.forEach(function (h, i) { tr.appendChild(el("th", numeric.indexOf(i) >= 0 ? "cg-num" : "", h)); });
    th.appendChild(tr); t.appendChild(th);
    rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (c, i) { row.appendChild(el("td", numeric.indexOf(i) >= 0 ? "cg-num" : "", c)); });
      tb.appendChild(row);
    });
    t.appendChild(tb);
    return t;
  }
  function section(title, n, content, empty) {
    var f = document.createDocumentFragment();
    f.appendChild(el("h3", "", title + "（" + n + "）"));
    f.appendChild(n ? content : el("p", "cg-none", empty));
    return f;
  }
  function chips(items, empty) {
    // items: stage numbers (buttons that open that stage) or product names (plain)
    var d = el("div", "cg-chips");
    if (!items.length) { d.appendChild(el("span", "cg-none", empty)); }
    items.forEach(function (it) {
      if (typeof it === "number") {
        var b = el("button", "", products[stages[it].pi].p);
        b.type = "button";
        b.addEventListener("click", function () { open(it, true); });
        d.appendChild(b);
      } else { d.appendChild(el("span", "", it)); }
    });
    return d;
  }
  function mark(k) {
    root.querySelectorAll(".cg-stage.cg-sel, .cg-stage.cg-feed, .cg-stage.cg-out").forEach(function (n) {
      n.classList.remove("cg-sel", "cg-feed", "cg-out");
    });
    if (k === null) { return; }
    var s = stage(k);
    function add(i, cls) { var n = root.querySelector('.cg-stage[data-k="' + i + '"]'); if (n) { n.classList.add(cls); } }
    add(k, "cg-sel");
    s.inputs.forEach(function (i) { add(i, "cg-feed"); });
    s.outputs.forEach(function (i) { add(i, "cg-out"); });
  }
  function room() {
    // on a wide screen the map moves aside so the panel covers none of it; a phone gets the panel on top
    root.style.paddingRight = "";
    if (window.innerWidth < 1100) { return; }
    var cover = root.getBoundingClientRect().right - (window.innerWidth - panel.offsetWidth) + 12;
    if (cover > 0) { root.style.paddingRight = cover + "px"; }
  }
  function open(k, scroll) {
    var s = stage(k);
    if (!s) { return; }
    current = k;
    body.textContent = "";
    var h = el("h2", "", s.p + " ");
    h.appendChild(el("span", "cg-badge cg-" + s.st, s.label));
    body.appendChild(h);
    body.appendChild(el("p", "cg-sub", s.chain + " · " + s.seg + (s.segd ? "（位置推导）" : "")));
    body.appendChild(el("p", "cg-why", s.why));
    var figs = el("div", "cg-figs");
    s.fig.forEach(function (f) { var d = el("div", "", f[0]); d.appendChild(el("b", "", f[1])); figs.appendChild(d); });
    body.appendChild(figs);
    body.appendChild(el("h3", "", "上游投入（由谁供给）"));
    body.appendChild(chips(s.inputs, "无（起点环节）"));
    body.appendChild(el("h3", "", "供给下游"));
    body.appendChild(chips(s.outputs, "无（终端产品）"));
    body.appendChild(section("本地生产企业", s.makers.length,
      table(["企业", "链主", "年销售额"], s.makers.map(function (m) { return [m[0], m[1] ? "★ 链主" : "", m[2]]; }), [2]),
      "本地无企业生产"));
    body.appendChild(section("本地采购企业", s.buyers.length,
      table(["企业", "年采购额", "其中本地"], s.buyers, [1, 2]), "区内无企业采购"));
    if (s.invite) {
      body.appendChild(section("招商对象（生产企业，贸易商背后的厂家已追溯）", s.targets.length,
        table(["企业", "所在地", "份额", "年供应额"], s.targets, [2, 3]),
        s.safe ? "资源型原材料：供应安全项，不作招商对象" : "无"));
    }
    body.appendChild(section("现有外地供应商（含贸易商）", s.sups.length,
      table(["企业", "所在地", "份额", "年供应额"], s.sups, [2, 3]), "无外地供应"));
    body.appendChild(el("h3", "", "依赖它的本地产品"));
    body.appendChild(chips(s.deps, "无"));
    panel.hidden = false;
    root.classList.add("cg-open");
    room();
    panel.scrollTop = 0;
    mark(k);
    var box = root.querySelector('.cg-stage[data-k="' + k + '"]');
    if (scroll && box && box.scrollIntoView) { box.scrollIntoView({block: "nearest"}); }
    panel.querySelector(".cg-close").focus();
  }
  function close() {
    panel.hidden = true;
    root.classList.remove("cg-open");
    root.style.paddingRight = "";
    mark(null);
    var box = current === null ? null : root.querySelector('.cg-stage[data-k="' + current + '"]');
    current = null;
    if (box) { box.focus(); }
  }
  root.querySelectorAll(".cg-toggle").forEach(function (b) {
    b.addEventListener("click", function () {
      var wrap = b.nextElementSibling, show = wrap.hidden;
      wrap.hidden = !show;
      b.setAttribute("aria-expanded", String(show));
      b.textContent = show ? "收起环节清单" : "显示环节清单（表格）";
    });
  });
  root.addEventListener("click", function (ev) {
    var t = ev.target.closest ? ev.target.closest(".cg-stage, .cg-list tbody tr") : null;
    if (t && t.hasAttribute("data-k")) { open(Number(t.getAttribute("data-k")), false); }
  });
  root.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if ((ev.key === "Enter" || ev.key === " ") && t.classList && t.classList.contains("cg-stage")) {
      ev.preventDefault();
      open(Number(t.getAttribute("data-k")), false);
    }
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && !panel.hidden) { close(); } });
  panel.querySelector(".cg-close").addEventListener("click", close);
  window.chaingraphPanorama = {stages: stages.length, open: function (k) { open(k, true); }, close: close, ready: true};
})();
"""


def _legend() -> str:
    items = "".join(
        f'<span class="cg-item"><span class="cg-badge cg-{s}">{STATUS_LABELS[s]}</span>{escape(STATUS_RULES[s])}</span>'
        for s in STATUSES
    )
    return (f'<div class="cg-legend" aria-label="图例">{items}'
            '<span class="cg-item"><span class="cg-lead">★</span>链主企业</span>'
            '<span class="cg-item">← 上游投入　→ 供给下游</span>'
            '<span class="cg-hint cg-noprint">点击环节查看全部企业与金额；选中后 '
            '<span class="cg-hl" style="background:#7fb3e6"></span> 为它的上游投入，'
            '<span class="cg-hl" style="background:#c3a3e6"></span> 为它供给的下游</span></div>')  # fmt: skip


def drawn_chains(p: Panorama) -> list[PanoramaChain]:
    """The chains a page draws: every chains.csv chain; derived chains, the largest end products first, at most
    :data:`MAX_DERIVED_CHAINS` of them (a zone's derived chains overlap heavily; the JSON and CSV have all).
    """
    if p.basis != "derived":
        return list(p.chains)

    def sales(c: PanoramaChain) -> float:
        return sum(s.maker_sales for s in c.stages if s.product in c.end_products)

    return sorted(p.chains, key=lambda c: (-sales(c), c.end_products))[:MAX_DERIVED_CHAINS]


def panorama_fragment(p: Panorama, *, stamp: str = "", heading: bool = True) -> Fragment:
    """The panorama as a ``<section class="cg-pano">`` with its CSS and JavaScript, for any host page.

    ``stamp`` (generation date and data source) is printed at the top of every
    chain's page; ``heading`` adds the legend and the chain menu.

    Examples
    --------
    >>> from chaingraph.analysis.panorama import panorama
    >>> from chaingraph.results.options import Options
    >>> from chaingraph.load import load_dataset
    >>> f = panorama_fragment(panorama(load_dataset("data"), opts=Options(zone="晋城经开区")))
    >>> f.html.startswith('<section class="cg-pano"'), f.html.count('class="cg-stage ')
    (True, 37)
    """
    sections: list[str] = []
    data: list[dict[str, Any]] = []
    products: dict[str, int] = {}
    pdata: list[dict[str, Any]] = []
    drawn = drawn_chains(p)
    for ci, c in enumerate(drawn):
        html, rows = _chain_section(ci, c, len(data), stamp, products, pdata)
        sections.append(html)
        data.extend(rows)
    if len(drawn) < len(p.chains):
        sections.append(f'<p class="cg-note cg-left">另有 {len(p.chains) - len(drawn)} 条推导链条（终端产品区内销售额较小）'
                        "未画出；全部链条见 chaingraph panorama --format json 或 csv。</p>")  # fmt: skip
    nav = "".join(
        f'<a href="#cg-pano-c{ci}">{escape(chain_title(c))} '
        f'<span class="cg-sub">{c.counts["missing"]} 缺 · {c.counts["weak"]} 弱</span></a>'
        for ci, c in enumerate(drawn)
    )
    top = ""
    if heading:
        basis = ("上/中/下游取自 chains.csv 的 segment 列；未注明的环节按到终端产品的步数推导。" if p.basis == "chains.csv"
                 else "未提供 chains.csv：每个终端产品一条推导链条，环节与上/中/下游均由供应关系推导，可能偏多。")  # fmt: skip
        top = f"{_legend()}<p class=cg-note>{escape(basis)}</p>" + (f'<nav class="cg-nav">{nav}</nav>' if nav else "")
    if not p.chains:
        sections.append('<p class="cg-none">本园区没有可展示的产业链（无 chains.csv，区内企业也无销售记录）。</p>')
    html = (
        f'<section class="cg-pano" data-zone="{escape(p.zone)}">{top}{"".join(sections)}'
        f'<script type="application/json" class="cg-pano-data">{_safe_json({"products": pdata, "stages": data})}</script>'
        '<aside class="cg-detail" role="dialog" aria-label="环节详情" hidden>'
        '<button type="button" class="cg-close" aria-label="关闭">×</button><div class="cg-detail-body"></div></aside>'
        "</section>"
    )
    return Fragment(html, CSS, JS)


PAGE_CSS = """
@page { size: A4 landscape; margin: 10mm; }
html { -webkit-text-size-adjust:100%; }
body { margin:16px 20px 40px; background:#fff; }
.cg-page-h h1 { font-size:22px; margin:0 0 4px; }
.cg-meta { font-size:12.5px; color:#555; margin:0; }
@media (max-width: 820px) { body { margin:10px 10px 30px; } .cg-page-h h1 { font-size:19px; } }
@media print { body { margin:0; } }
"""


def panorama_html(p: Panorama, *, source: str, generated: str | None = None) -> str:
    """The whole page: title, date and data source, legend, every chain, the details panel."""
    date = generated or generated_date()
    stamp = f"{p.zone} 产业链全景图 · 生成日期 {date} · {source}"
    frag = panorama_fragment(p, stamp=stamp)
    title = f"{p.zone} 产业链全景图"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{PAGE_CSS}{frag.css}</style></head><body>"
        f'<header class="cg-page-h"><h1>{escape(title)}</h1>'
        f'<p class="cg-meta">生成日期 {escape(date)} · {escape(source)} · 金额为年采购/销售额（元/万元/亿元）</p></header>'
        f"{frag.html}<script>{frag.js}</script></body></html>\n"
    )


def write_panorama(p: Panorama, path: str | Path, *, source: str, generated: str | None = None) -> Path:
    """Write the panorama page to ``path`` (UTF-8) and return it."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(panorama_html(p, source=source, generated=generated), encoding="utf-8")
    return out


def _names(items: list[str], total: int) -> str:
    more = total - len(items)
    return "、".join(items) + (f"，{_more(more)}" if more > 0 else "")


MONEY = "#,##0.00"
RATIO = "0.0%"
SHEET_HEADERS: list[tuple[str, str | None]] = [
    ("产业链 chain", None), ("环节 stage", None), ("位置 segment", None), ("位置推导 derived", None),
    ("状态 status", None), ("依据 rule", None), ("本地企业数 makers", None), ("本地企业(★链主) local makers", None),
    ("本地企业年销售额(元) maker sales", MONEY), ("区内需求(元) local demand", MONEY),
    ("外地采购额(元) bought outside", MONEY), ("外购占比 outside share", RATIO), ("招商对象数 invitees", None),
    ("招商对象(所在地, 份额, 年供应额) invitees", None), ("上游投入 inputs", None), ("依赖它的本地产品 dependents", None),
]  # fmt: skip


def sheet(p: Panorama) -> tuple[list[tuple[str, str | None]], list[list[Any]]]:
    """Headers (with number formats) and rows of the workbook's 全景 sheet: one row per chain × stage.

    Money stays in 元 as numbers; firm lists name the first :data:`SHEET_FIRMS` and count the rest.

    >>> from chaingraph.analysis.panorama import panorama
    >>> from chaingraph.results.options import Options
    >>> from chaingraph.load import load_dataset
    >>> head, rows = sheet(panorama(load_dataset("data"), opts=Options(zone="晋城经开区")))
    >>> [r[1:5] + r[6:8] for r in rows if r[0] == "充电桩"][0]
    ['铁矿石', '上游', '否', '缺', 0, '—']
    """
    rows: list[list[Any]] = []
    for c in p.chains:
        label = c.chain if c.chain is not None else chain_title(c)
        for s in c.stages:
            makers = [_firm_name(m.name, m.id) + ("★" if m.leader else "") for m in s.makers[:SHEET_FIRMS]]
            inv = [f"{_firm_name(x.name, x.id)}({x.city or x.zone or '—'}, {pct(x.share, digits=0)}, {yuan(x.value)})"
                   for x in s.targets[:SHEET_FIRMS]]  # fmt: skip
            if s.supply_security:
                inv = ["供应安全项（资源型原材料，不作招商对象）"]
            rows.append([
                label, s.product, s.segment, "是" if s.segment_derived else "否", STATUS_LABELS[s.status], _reason(s),
                len(s.makers), _names(makers, len(s.makers)) or "—", s.maker_sales, s.local_demand, s.outside_value,
                s.outside_share, len(s.targets), _names(inv, len(s.targets)) or "—", "、".join(s.inputs) or "—",
                "、".join(s.dependents) or "—",
            ])  # fmt: skip
    return SHEET_HEADERS, rows


def panorama_frame(p: Panorama) -> pd.DataFrame:
    """The sheet's rows as a table for ``--format csv`` (English column names, as the other CSV outputs)."""
    import pandas as pd

    cols = ["chain", "stage", "segment", "segment_derived", "status", "rule", "makers", "local_makers", "maker_sales",
            "local_demand", "outside_value", "outside_share", "invitees", "invite", "inputs", "dependents"]  # fmt: skip
    _, rows = sheet(p)
    return pd.DataFrame(rows, columns=cols)


def panorama_view(p: Panorama) -> list[Any]:
    """Terminal tables (rich, printed with markup off: names are data): one per chain, a row per stage."""
    from rich.table import Table
    from rich.text import Text

    colour = {"strong": "green", "weak": "yellow", "missing": "red", "empty": "grey50"}
    out: list[Any] = []
    for c in p.chains:
        t = Table(title=f"{p.zone} · {chain_title(c)}", title_justify="left", show_lines=False)
        for h in ("位置", "环节", "状态", "本地企业", "区内需求", "外购", "招商对象 (份额)"):
            t.add_column(h, justify="right" if h in ("区内需求", "外购") else "left",
                         overflow="fold" if h in ("环节", "本地企业", "招商对象 (份额)") else "ellipsis")  # fmt: skip
        for s in c.stages:
            makers = _names([_firm_name(m.name, m.id) + ("★" if m.leader else "") for m in s.makers[:3]], len(s.makers))
            inv = _names(
                [f"{_firm_name(x.name, x.id)}({pct(x.share, digits=0)})" for x in s.targets[:3]], len(s.targets)
            )
            if s.supply_security:
                inv = "供应安全项"
            t.add_row(s.segment + ("*" if s.segment_derived else ""), s.product,
                      Text(STATUS_LABELS[s.status], style=colour[s.status]), makers or "—", yuan(s.local_demand),
                      pct(s.outside_share), inv or "—")  # fmt: skip
        out.append(t)
    out.append(Text("强/弱/缺/空白 的定义见 docs/analysis.md；* 位置按产品流深度推导；★ 链主", style="dim"))
    return out
