"""The Excel workbook of ``chaingraph report`` (openpyxl), for the team to filter, sort and print.

* 总览 first: headline figures, the conclusion, what each sheet holds and how each figure is defined;
  then one sheet per table.
* Money as numbers in 万元 (``#,##0.00``), the exact yuan value beside each in a hidden
  column (expand the column group, or unhide); unit prices in 元; ratios as percentages.
* One row per invitee (gap, supplier, city, share, amount) so the list filters.
* Chinese values (缺链 / 弱链, 是 / 否, 区内市场价 …), never code words.
* Autofilter, wrapped text, frozen header row, printed landscape on A4 fitted to the page width
  with the header repeated.
* Safe and reproducible: text that a spreadsheet would read as a formula stays text
  (:func:`chaingraph.spreadsheet.needs_quote`), control characters become visible symbols
  (counted in :class:`WorkbookResult`), and the file is byte-identical for the same input:
  fixed zip entry times and document timestamps.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from chaingraph.render.brief import BASIS_LABELS, DEFINITIONS, KIND_LABELS
from chaingraph.render.fmt import QUADRANT_LABELS, pct
from chaingraph.spreadsheet import needs_quote, printable

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from chaingraph.render.brief import Brief

__all__ = ["SHEETS", "WorkbookResult", "write_workbook"]

WAN = "#,##0.00"
YUAN = "#,##0.00"
RATIO = "0.0%"
COUNT = "#,##0"
SCORE = "0.000"
SHEETS = (
    "总览",
    "全景",
    "园区对比",
    "招商清单",
    "招商矩阵",
    "招商对象",
    "供应安全",
    "环节覆盖",
    "已实现节约",
    "潜在节约",
    "本地链条",
    "供应韧性",
    "对标园区",
    "对标厂家",
)
#: What each sheet holds, for 总览.
ABOUT = {
    "全景": "产业链全景：每条产业链 × 每个环节一行，状态（强 / 弱 / 缺 / 空白）、区内企业、外购占比、招商对象",
    "园区对比": "数据中各园区的本地配套率、采购额、节约与缺口数，按本地配套率排名",
    "招商清单": "全部缺口（缺链 / 弱链 / 空白环节），按招商优先级排序，每行一个产品",
    "招商矩阵": "每个缺口一行：可行性（关联密度及依托的区内产品）、吸引力（补链可留本地、带动产出与就业、采购方、依赖产品）和象限",
    "招商对象": "每行一家建议邀请的外地企业：缺口、企业、城市、份额、金额，可筛选",
    "供应安全": "依赖外地资源的原材料：列为供应安全事项，不作为招商对象；每行一家现有外地供应商",
    "环节覆盖": "每条产业链（终端产品）的环节覆盖率与缺失环节",
    "已实现节约": "已由外地改为区内供应的产品及每年节约",
    "潜在节约": "仍从外地采购、区内已能生产的产品：改由区内供应每年可节约多少",
    "本地链条": "完全由区内企业组成的供应链条",
    "供应韧性": "每种区内企业采购的产品：供应商数、最大供应商及份额、集中度 HHI、是否只有一家供应商（单点）",
    "对标园区": "本园区与对标园区的本地配套率、节约、缺口，以及本园区各产业链在各园区的环节覆盖率",
    "对标厂家": "本园区的每个缺口在对标园区的生产企业（不含贸易、物流企业），每行一家，可筛选",
}
#: 1980-01-01, the earliest zip time: every entry carries it, so two runs give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DOC_TIME = "2000-01-01T00:00:00Z"
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True)
class WorkbookResult:
    """What :func:`write_workbook` wrote, and what it had to change to write it."""

    path: Path
    sheets: tuple[str, ...]
    controls_replaced: int
    formulas_kept_as_text: int


@dataclass(frozen=True)
class Col:
    """A column: header, kind (text, wan, price, ratio, count), width in characters (None: fit)."""

    header: str
    kind: str = "text"
    width: int | None = None


class _Writer:
    """Writes cells safely and counts what it changed."""

    def __init__(self) -> None:
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.controls = 0
        self.formulas = 0

    def put(self, ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Any:
        if isinstance(value, str):
            value, changed = printable(value)
            self.controls += changed
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str) and needs_quote(value):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            cell.quotePrefix = True  # Excel's own mark for "this is text": editing keeps it text
            self.formulas += 1
        if fmt:
            cell.number_format = fmt
        return cell

    def table(self, title: str, cols: Sequence[Col], rows: Sequence[Sequence[Any]], *, note: str) -> Worksheet:
        """One sheet: a definition line, a header row, the rows; money as 万元 + hidden exact 元."""
        ws = self.wb.create_sheet(title)
        layout: list[tuple[str, str, int | None]] = []  # header, format-kind, width
        for c in cols:
            if c.kind == "wan":
                layout.append((f"{c.header}（万元）", "wan", c.width))
                layout.append((f"{c.header}（元，精确值）", "yuan", 16))
            else:
                layout.append((c.header, c.kind, c.width))
        self.put(ws, 1, 1, note).font = Font(italic=True, color="555555")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(layout)))
        ws.row_dimensions[1].height = 30
        ws["A1"].alignment = _WRAP
        for j, (h, _, _) in enumerate(layout, 1):
            cell = self.put(ws, 2, j, h)
            cell.font = Font(bold=True)
            cell.fill = _HEAD_FILL
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        fmts = {"wan": WAN, "yuan": YUAN, "price": YUAN, "ratio": RATIO, "count": COUNT, "score": SCORE}
        for i, row in enumerate(rows, 3):
            j = 1
            for c, v in zip(cols, row, strict=True):
                if c.kind == "wan":
                    self.put(ws, i, j, None if v is None else round(v / 1e4, 6), WAN)
                    self.put(ws, i, j + 1, v, YUAN)
                    j += 2
                    continue
                cell = self.put(ws, i, j, v, fmts.get(c.kind))
                if c.kind == "text":
                    cell.alignment = _WRAP
                j += 1
        widths = [0] * len(layout)
        for j, (h, kind, w) in enumerate(layout):
            if w is not None:
                widths[j] = w
                continue
            seen = [_width(h) // 2 + 2] + [
                _width(ws.cell(row=i, column=j + 1).value) for i in range(3, 3 + min(len(rows), 300))
            ]
            widths[j] = min(40 if kind == "text" else 18, max(8, max(seen) + 2))
        for j, (_, kind, _) in enumerate(layout, 1):
            dim = ws.column_dimensions[get_column_letter(j)]
            dim.width = widths[j - 1]
            if kind == "yuan":
                dim.hidden = True
                dim.outlineLevel = 1
        last = get_column_letter(len(layout))
        ws.freeze_panes = "A3"
        if not rows:
            self.put(ws, 3, 1, "（无数据）")
        ws.auto_filter.ref = f"A2:{last}{len(rows) + 2 if rows else 3}"
        ws.print_title_rows = "2:2"
        _print_setup(ws)
        return ws


def _width(value: Any) -> int:
    text = str(value if value is not None else "")
    longest = max((len(line) for line in text.splitlines()), default=0)
    wide = sum(1 for ch in text if ord(ch) > 0x2E80)
    return longest + min(wide, longest)


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"


def _overview(w: _Writer, b: Brief, sheets: Sequence[str]) -> int:
    """The 总览 sheet, first; returns the row below its notes."""
    a = b.analysis
    c, s = a.closure, a.savings
    ws = w.wb.create_sheet("总览", 0)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 40
    ws.column_dimensions["D"].width = 20
    w.put(ws, 1, 1, f"{b.zone} 产业链本地配套报告").font = Font(bold=True, size=16)
    counts = "，".join(f"{k} {v:,} 行" for k, v in b.counts)
    w.put(ws, 2, 1, f"生成日期 {b.generated} · 数据来源 {b.source or '—'}" + (f"（{counts}）" if counts else ""))
    r = 4
    w.put(ws, r, 1, "结论").font = Font(bold=True, size=13)
    w.put(ws, r + 1, 1, b.conclusion).alignment = _WRAP
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=4)
    ws.row_dimensions[r + 1].height = max(60, 15 * (len(b.conclusion) // 45 + 1))
    r += 3
    for j, h in enumerate(("指标", "数值", "说明", "精确值（元）"), 1):
        cell = w.put(ws, r, j, h)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
    kinds = {k: sum(1 for g in a.gaps.gaps if g.kind == k) for k in KIND_LABELS}
    closed = sum(1 for x in c.chains if x.closed)
    rank = f"第 {b.rank} / {len(b.peers)}" if b.rank is not None else "—"
    figures: list[tuple[str, Any, str | None, str, Any]] = [
        ("本地配套率", c.local_sourcing_ratio, RATIO, f"目标 {pct(b.target_lsr, digits=0)}", None),
        ("园区排名（本地配套率）", rank, None,
         f"中位数 {pct(b.median_lsr)}（{len(b.peers)} 个园区）" if b.peers else "数据中没有其他园区", None),
        ("区内采购额（万元）", round(c.local_value / 1e4, 6), WAN, "区内企业从区内企业采购，每年", c.local_value),
        ("采购总额（万元）", round(c.total_value / 1e4, 6), WAN, "区内企业的全部采购，每年", c.total_value),
        ("已实现节约（万元/年）", round(s.total_realized / 1e4, 6), WAN, "已改由区内供应的产品", s.total_realized),
        ("潜在节约（万元/年）", round(s.total_potential / 1e4, 6), WAN, "区内已能生产、仍从外地采购", s.total_potential),
        ("缺口数", len(a.gaps.gaps), COUNT, "缺链 {missing} / 弱链 {weak} / 空白环节 {empty}".format(**kinds), None),
        ("闭环产业链", f"{closed} / {len(c.chains)}", None, "按终端产品计", None),
        ("本地链条", len(c.local_chains), COUNT, "完全由区内企业组成的链条", None),
    ]  # fmt: skip
    for k, (label, value, fmt, note, exact) in enumerate(figures, r + 1):
        w.put(ws, k, 1, label)
        w.put(ws, k, 2, value, fmt)
        w.put(ws, k, 3, note).alignment = _WRAP
        if exact is not None:
            w.put(ws, k, 4, exact, YUAN)
    r += len(figures) + 2
    w.put(ws, r, 1, "工作表").font = Font(bold=True, size=13)
    for k, name in enumerate(sheets[1:], r + 1):
        w.put(ws, k, 1, name)
        w.put(ws, k, 3, ABOUT.get(name, "")).alignment = _WRAP
        ws.merge_cells(start_row=k, start_column=3, end_row=k, end_column=4)
    r += len(sheets) + 1
    w.put(ws, r, 1, "口径").font = Font(bold=True, size=13)
    for k, (name, text) in enumerate(DEFINITIONS.items(), r + 1):
        w.put(ws, k, 1, name)
        w.put(ws, k, 2, text).alignment = _WRAP
        ws.merge_cells(start_row=k, start_column=2, end_row=k, end_column=4)
        ws.row_dimensions[k].height = 15 * (len(text) // 40 + 1)
    r += len(DEFINITIONS) + 2
    w.put(ws, r, 1, "说明").font = Font(bold=True, size=13)
    notes = ["金额单位万元；每个金额列右侧有隐藏的“元，精确值”列（展开列分组或取消隐藏即可看到）。"]
    ws["A1"].alignment = Alignment(vertical="top")
    for k, text in enumerate(notes, r + 1):
        w.put(ws, k, 1, text).alignment = _WRAP
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=4)
    _print_setup(ws)
    ws.page_setup.orientation = "portrait"
    ws.sheet_view.showGridLines = False
    return r + 1 + len(notes)


def _panorama(w: _Writer, b: Brief) -> None:
    """The 全景 sheet from the panorama's own rows (:func:`chaingraph.render.panorama.sheet`), money in 万元."""
    if b.panorama is None:
        return
    from chaingraph.render.panorama import MONEY as PANO_MONEY
    from chaingraph.render.panorama import RATIO as PANO_RATIO
    from chaingraph.render.panorama import sheet

    heads, rows = sheet(b.panorama)
    cols = []
    for h, fmt in heads:
        label = re.sub(r"\s+[A-Za-z][A-Za-z ]*$", "", h).replace("(元)", "")  # Chinese header alone
        kind = "wan" if fmt == PANO_MONEY else "ratio" if fmt == PANO_RATIO else "text"
        cols.append(Col(label, kind, None if kind == "text" else 12))
    w.table("全景", cols, rows, note=DEFINITIONS["产业链全景"])


def _tables(w: _Writer, b: Brief) -> None:
    a = b.analysis
    c, s, n = a.closure, a.savings, b.names

    def name(i: str) -> str:
        return n.get(i, i)

    _panorama(w, b)

    w.table("园区对比", [Col("排名", "count", 6), Col("园区", width=22), Col("本地配套率", "ratio", 11),
                      Col("区内采购额", "wan"), Col("采购总额", "wan"), Col("已实现节约", "wan"),
                      Col("潜在节约", "wan"), Col("缺口数", "count", 8), Col("本园区", width=7)],
            [[k, p.zone, p.local_sourcing_ratio, p.local_value, p.total_value, p.total_realized, p.total_potential,
              p.gaps, "是" if p.zone == b.zone else ""] for k, p in enumerate(b.peers, 1)],
            note=DEFINITIONS["园区对比"])  # fmt: skip
    w.table("招商清单", [Col("优先级", "count", 7), Col("产品", width=16), Col("类型", width=9), Col("得分", "price", 8),
                      Col("外部采购额", "wan"), Col("区内采购方（家）", "count", 9), Col("建议邀请（家）", "count", 9),
                      Col("依赖它的区内产品", width=36), Col("象限", width=10), Col("打分说明", width=60)],
            [[g.rank, g.product, KIND_LABELS.get(g.kind, g.kind), g.score, g.external_demand, g.buyers,
              len(g.invitees), "、".join(g.dependents), QUADRANT_LABELS.get(g.quadrant or "", "—"), g.explanation]
             for g in b.ranked],
            note=DEFINITIONS["招商清单"] + " " + DEFINITIONS["缺口类型"])  # fmt: skip
    _matrix_sheet(w, b)
    w.table("招商对象", [Col("优先级", "count", 7), Col("缺口产品", width=16), Col("类型", width=9),
                      Col("建议邀请企业", width=30), Col("企业ID", width=12), Col("所在城市", width=12),
                      Col("供货份额", "ratio", 10), Col("供货额", "wan")],
            [[i.rank, i.product, KIND_LABELS.get(i.kind, i.kind), i.name, i.supplier_id, i.city, i.share, i.amount]
             for i in b.invitees],
            note=DEFINITIONS["招商对象"])  # fmt: skip
    w.table("供应安全", [Col("原材料", width=16), Col("类型", width=9), Col("外部采购额", "wan"),
                      Col("区内采购方", width=30), Col("现有外地供应商", width=30), Col("企业ID", width=12),
                      Col("所在城市", width=12), Col("供货份额", "ratio", 10), Col("供货额", "wan"), Col("说明", width=40)],
            [[x.product, KIND_LABELS.get(x.kind, x.kind), x.external_demand, "、".join(x.buyers), y.name, y.supplier_id,
              y.city, y.share, y.amount, x.reason] for x in b.supply for y in (x.suppliers or (None,)) if y is not None]
            + [[x.product, KIND_LABELS.get(x.kind, x.kind), x.external_demand, "、".join(x.buyers), "", "", "", None,
                None, x.reason] for x in b.supply if not x.suppliers],
            note=DEFINITIONS["供应安全"])  # fmt: skip
    w.table("环节覆盖", [Col("产业链", width=14), Col("终端产品", width=16), Col("环节数", "count", 8),
                      Col("区内已有", "count", 8), Col("环节覆盖率", "ratio", 11), Col("闭环", width=6),
                      Col("缺失环节", width=50)],
            [[r.chain or "（推导）", r.end_product, r.stages, r.covered, r.stage_coverage, "是" if r.closed else "否",
              "、".join(r.missing_stages)] for r in c.chains],
            note=DEFINITIONS["环节覆盖"] + (" 无产业链图谱，环节由供应关系推导，会偏多。" if c.coverage_basis == "derived" else ""))  # fmt: skip
    w.table("已实现节约", [Col("采购方", width=20), Col("采购方ID", width=12), Col("产品", width=14),
                       Col("区内供应商", width=20), Col("原外地供应商", width=24), Col("原到厂单价（元）", "price"),
                       Col("现到厂单价（元）", "price"), Col("单位节约（元）", "price"), Col("节约率", "ratio", 9),
                       Col("年采购量", "count", 10), Col("年节约", "wan")],
            [[name(r.buyer_id), r.buyer_id, r.product, name(r.supplier_id), "、".join(name(x) for x in r.former_suppliers),
              r.before, r.after, r.unit_saving, r.saving_rate, r.volume, r.annual_saving] for r in s.realized],
            note=DEFINITIONS["已实现节约"])  # fmt: skip
    w.table("潜在节约", [Col("采购方", width=20), Col("采购方ID", width=12), Col("产品", width=14),
                      Col("外地供应商", width=22), Col("供应商所在地", width=12), Col("年采购额", "wan"),
                      Col("到厂单价（元）", "price"), Col("参考单价（元）", "price"), Col("参考依据", width=18),
                      Col("单位节约（元）", "price"), Col("节约率", "ratio", 9), Col("年节约", "wan"),
                      Col("区内可供企业", width=30)],
            [[name(p.buyer_id), p.buyer_id, p.product, name(p.supplier_id), p.supplier_zone, p.value, p.landed,
              p.reference, BASIS_LABELS.get(p.reference_basis, p.reference_basis), p.unit_saving, p.saving_rate,
              p.annual_saving, "、".join(name(x) for x in p.candidates)] for p in s.potential],
            note=DEFINITIONS["潜在节约"])  # fmt: skip
    w.table("本地链条", [Col("序号", "count", 6), Col("链条（供应顺序）", width=60), Col("企业ID", width=40),
                      Col("供应关系数", "count", 10)],
            [[i, " → ".join(name(p) for p in path), " → ".join(path), len(path) - 1]
             for i, path in enumerate(c.local_chains, 1)],
            note=DEFINITIONS["本地链条"])  # fmt: skip


def _matrix_sheet(w: _Writer, b: Brief) -> None:
    """招商矩阵: one row per gap on the matrix, the figures of feasibility and attractiveness and their inputs."""
    m = b.matrix
    if m is None:
        return
    sc = m.scale
    basis = (f"补链可留本地 = 外部采购额 × 承接比例 {pct(m.capture, digits=0)}；带动产出 = 可留本地 × 产出乘数 {m.multiplier:g}"
             + (f"，带动就业按园区 {sc.firms_reporting} 家企业的从业人数 ÷ 年产值" if sc.employees_per_yuan is not None else "")
             + f"。可行：关联密度 ≥ 中位数 {m.feasibility_median:.3f} 且 > 0；有吸引力：吸引力 ≥ 中位数 "
             f"{m.attractiveness_median:.3f} 且 > 0。")  # fmt: skip
    w.table("招商矩阵", [Col("编号", "count", 6), Col("产品", width=16), Col("类型", width=9), Col("象限", width=10),
                      Col("关联密度", "score", 9), Col("接近度合计·已有", "score", 10), Col("接近度合计·全部", "score", 10),
                      Col("生产该产品的地区数", "count", 10), Col("依托的区内产品（接近度）", width=48),
                      Col("链上关联度", "score", 9), Col("吸引力", "score", 9), Col("外部采购额", "wan"),
                      Col("补链可留本地", "wan"), Col("带动产出", "wan"), Col("带动产出占园区产值", "ratio", 10),
                      Col("带动就业（人）", "count", 10), Col("区内采购方（家）", "count", 9),
                      Col("依赖它的区内产品", width=36)],
            [[k, r.product, KIND_LABELS.get(r.kind, r.kind), QUADRANT_LABELS.get(r.quadrant, r.quadrant), r.density,
              r.proximity_made, r.proximity_total, r.zones_making,
              "、".join(f"{d['product']}（{d['proximity']:.3f}）" for d in r.drivers)
              + (f" 等 {r.driver_count} 种" if r.driver_count > len(r.drivers) else ""),
              r.chain_relatedness, r.attractiveness, r.external_demand, r.value_kept, r.output_effect, r.output_share,
              r.jobs, r.buyers, "、".join(r.dependents)] for k, r in enumerate(m.rows, 1)],
            note=DEFINITIONS["招商矩阵"] + " " + basis)  # fmt: skip


def _resilience_sheet(w: _Writer, b: Brief) -> None:
    """供应韧性: one row per product the zone buys (docs/analysis.md, "Resilience"); HHI in points."""
    r = b.resilience
    if r is None:
        return
    n = b.names
    w.table("供应韧性", [Col("产品", width=16), Col("采购额", "wan"), Col("区内采购额", "wan"), Col("供应商数", "count", 9),
                      Col("区内供应商数", "count", 9), Col("最大供应商", width=24), Col("最大供应商ID", width=12),
                      Col("所在地", width=12), Col("最大份额", "ratio", 9), Col("集中度 HHI（点）", "count", 10),
                      Col("单一供应商", width=8), Col("高度集中", width=8), Col("全部供应商（份额）", width=50)],
            [[p.product, p.purchases, p.local_value, p.suppliers, p.local_suppliers,
              (p.top.name or n.get(p.top.id, p.top.id)) if p.top else "", p.top.id if p.top else "",
              ("区内" if p.top.local else p.top.zone) if p.top else "", p.top.share if p.top else None,
              None if p.hhi is None else round(p.hhi * 10000), "是" if p.single_point else "否",
              "是" if p.concentrated else "否",
              "、".join(f"{s.name or n.get(s.id, s.id)} {pct(s.share)}" for s in p.shares)] for p in r.products],
            note=DEFINITIONS["供应韧性"] + f" 单点承担的采购占比 {pct(r.single_point_share)}。")  # fmt: skip


def _benchmark_sheets(w: _Writer, b: Brief) -> None:
    """对标园区 (one row per compared zone, each chain's coverage a column) and 对标厂家 (one row per peer maker)."""
    bm = b.benchmark
    if bm is None:
        return
    from chaingraph.render.benchmark import chain_label

    chains = [Col(f"覆盖率：{chain_label(c)}", "ratio", 12) for c in bm.chains]
    w.table("对标园区", [Col("排名", "count", 6), Col("园区", width=22), Col("本园区", width=7), Col("本地配套率", "ratio", 11),
                      Col("区内采购额", "wan"), Col("采购总额", "wan"), Col("已实现节约", "wan"), Col("潜在节约", "wan"),
                      Col("缺口数", "count", 8), Col("缺链", "count", 6), Col("弱链", "count", 6),
                      Col("空白环节", "count", 8), Col("闭环产业链", "count", 8), *chains],
            [[z.rank, z.zone, "是" if z.zone == bm.zone else "", z.local_sourcing_ratio, z.local_value, z.total_value,
              z.total_realized, z.total_potential, z.gaps, z.missing, z.weak, z.empty, z.chains_closed,
              *(c.of(z.zone) for c in bm.chains)] for z in bm.zones],
            note=DEFINITIONS["对标"])  # fmt: skip
    w.table("对标厂家", [Col("缺口产品", width=16), Col("类型", width=9), Col("外部采购额", "wan"), Col("对标园区", width=22),
                      Col("厂家", width=28), Col("企业ID", width=12), Col("该产品年销售额", "wan"),
                      Col("已向本园区供货", "wan")],
            [[g.product, KIND_LABELS.get(g.kind, g.kind), g.external_demand, p.zone, m.name or m.id, m.id, m.sold,
              m.sells_to_zone] for g in bm.gaps for p in g.peers for m in p.makers],
            note=DEFINITIONS["对标"] + " 每行一家厂家；“已向本园区供货”大于 0 的厂家已是本园区的供应商。")  # fmt: skip


def _reproducible(data: bytes) -> bytes:
    """The same workbook with fixed zip entry times and document timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + _DOC_TIME.encode(), body)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, body)
    return out.getvalue()


def write_workbook(b: Brief, path: str | Path, *, extra: Sequence[Any] = ()) -> WorkbookResult:
    """Write ``workbook.xlsx`` for one zone's report.

    Parameters
    ----------
    b
        The report's figures (:func:`chaingraph.render.brief.build_brief`).
    path
        Where to write (the parent folder is created).
    extra
        Callables ``(writer) -> None`` adding further sheets after 总览 (e.g. the panorama).

    Returns
    -------
    The path, the sheet names, and how many cells had control characters replaced or
    formula-like text kept as text.
    """
    w = _Writer()
    for add in extra:
        add(w)
    _tables(w, b)
    _resilience_sheet(w, b)
    _benchmark_sheets(w, b)
    row = _overview(w, b, ["总览", *w.wb.sheetnames])
    ws = w.wb["总览"]
    changed = []
    if w.controls:
        changed.append(f"{w.controls} 个单元格含控制字符（不可见、Excel 无法保存），已替换为可见符号（如 ␇）。")
    if w.formulas:
        changed.append(f"{w.formulas} 个单元格以 = + - @ 开头，按文本保存，不会作为公式执行。")
    for k, text in enumerate(changed, row):
        w.put(ws, k, 1, text).alignment = _WRAP
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=4)
    w.wb.properties.creator = "chaingraph"
    buf = io.BytesIO()
    w.wb.save(buf)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_reproducible(buf.getvalue()))
    return WorkbookResult(out, tuple(w.wb.sheetnames), w.controls, w.formulas)
