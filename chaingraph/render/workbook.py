"""The Excel workbook of ``chaingraph report`` (openpyxl): Chinese headers, money formatted."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from chaingraph.render.fmt import gap_kind

if TYPE_CHECKING:
    from collections.abc import Mapping

    from chaingraph.results.analysis import Analysis

__all__ = ["SHEETS", "write_workbook"]

MONEY = "#,##0.00"
RATIO = "0.0%"
SHEETS = ("闭环 Closure", "本地链条 Local chains", "已实现节约 Realized", "潜在节约 Potential", "缺链招商 Gaps")


def _width(value: Any) -> int:
    text = str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet(wb: Workbook, title: str, headers: list[tuple[str, str | None]], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append([h for h, _ in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    for col, (header, fmt) in enumerate(headers, 1):
        letter = get_column_letter(col)
        if fmt:
            for cell in ws[letter][1:]:
                cell.number_format = fmt
        widest = max([_width(header)] + [_width(r[col - 1]) for r in rows[:500]])
        ws.column_dimensions[letter].width = min(60, max(8, widest + 2))
    ws.freeze_panes = "A2"


def write_workbook(a: Analysis, names: Mapping[str, str], path: str | Path) -> Path:
    """Sheets for closure, local chains, realized and potential savings, gaps; money in 元."""
    wb = Workbook()
    wb.remove(wb.active)
    c, s, g = a.closure, a.savings, a.gaps
    n = lambda i: names.get(i, i)  # noqa: E731
    _sheet(wb, SHEETS[0], [("园区 zone", None), ("产业链 chain", None), ("终端产品 end product", None),
                           ("环节数 stages", None), ("已覆盖 covered", None), ("环节覆盖率 coverage", RATIO),
                           ("闭环 closed", None), ("缺失环节 missing stages", None), ("本地配套率 LSR", RATIO),
                           ("本地采购额(元) local value", MONEY), ("采购总额(元) total value", MONEY)],
           [[c.zone, r.chain or "(推导)", r.end_product, r.stages, r.covered, r.stage_coverage,
             "是" if r.closed else "否", "、".join(r.missing_stages), c.local_sourcing_ratio, c.local_value,
             c.total_value] for r in c.chains])  # fmt: skip
    _sheet(wb, SHEETS[1], [("#", None), ("链条 chain (供应顺序)", None), ("企业ID ids", None), ("环节数 links", None)],
           [[i, " → ".join(n(p) for p in path), " → ".join(path), len(path) - 1]
            for i, path in enumerate(c.local_chains, 1)])  # fmt: skip
    _sheet(wb, SHEETS[2], [("采购方 buyer", None), ("采购方ID buyer_id", None), ("产品 product", None),
                           ("本地供应商 supplier", None), ("原外地供应商 former", None), ("原单位成本(元) before", MONEY),
                           ("现单位成本(元) after", MONEY), ("单位节约(元) unit saving", MONEY), ("节约率 rate", RATIO),
                           ("年量 volume", "#,##0"), ("年节约(元) annual saving", MONEY)],
           [[n(r.buyer_id), r.buyer_id, r.product, n(r.supplier_id), "、".join(n(x) for x in r.former_suppliers),
             r.before, r.after, r.unit_saving, r.saving_rate, r.volume, r.annual_saving] for r in s.realized])  # fmt: skip
    _sheet(wb, SHEETS[3], [("采购方 buyer", None), ("采购方ID buyer_id", None), ("产品 product", None),
                           ("外部供应商 supplier", None), ("供应商所在地 zone", None), ("年采购额(元) value", MONEY),
                           ("到厂成本(元) landed", MONEY), ("参考价(元) reference", MONEY), ("依据 basis", None),
                           ("单位节约(元) unit saving", MONEY), ("节约率 rate", RATIO), ("年节约(元) annual saving", MONEY),
                           ("本地可供企业 candidates", None)],
           [[n(p.buyer_id), p.buyer_id, p.product, n(p.supplier_id), p.supplier_zone, p.value, p.landed, p.reference,
             p.reference_basis, p.unit_saving, p.saving_rate, p.annual_saving, "、".join(n(x) for x in p.candidates)]
            for p in s.potential])  # fmt: skip
    _sheet(wb, SHEETS[4], [("产品 product", None), ("类型 kind", None), ("外部采购额(元) external demand", MONEY),
                           ("区内采购额(元) purchase", MONEY), ("外部占比 outside share", RATIO),
                           ("本地采购方 buyers", None), ("招商对象 suppliers to invite (份额)", None),
                           ("依赖它的本地产品 dependents", None), ("产业链 chains", None)],
           [[r.product, gap_kind(r.kind), r.external_demand, r.local_purchase, r.outside_share,
             "、".join(b["name"] or b["id"] for b in r.buyers),
             "、".join(f"{x['name'] or x['id']}({x['zone']}, {(x['share'] or 0) * 100:.0f}%)" for x in r.suppliers),
             "、".join(r.dependents), "、".join(r.chains)] for r in g.gaps])  # fmt: skip
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
