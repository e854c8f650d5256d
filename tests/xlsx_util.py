"""Write test workbooks: the sample data as a Chinese workbook, and small sheets cell by cell."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import openpyxl

from chaingraph.io import ALIASES

SHEETS = {"enterprises": "企业", "links": "供应关系", "chains": "产业链"}
#: Columns written in 万元 (the header says so, the cells hold value ÷ 10,000).
WAN = {"annual_value", "output_value"}


def _number(text: str) -> object:
    try:
        return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return text


def sample_workbook(folder: Path, out: Path) -> Path:
    """``folder``'s CSV files as one workbook: Chinese sheet names and headers, money in 万元, numbers as numbers."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for kind, sheet in SHEETS.items():
        path = folder / f"{kind}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        head = rows[0]
        ws = wb.create_sheet(sheet)
        chinese = [next((a for a in ALIASES[kind][c] if not a.isascii()), c) for c in head]
        ws.append([f"{z}(万元)" if c in WAN else z for c, z in zip(head, chinese, strict=True)])
        for r in rows[1:]:
            cells: list[object] = []
            for c, v in zip(head, r, strict=True):
                if v == "":
                    cells.append(None)
                elif c in WAN:
                    cells.append(float(v) / 1e4)
                elif c in ("id", "supplier_id", "buyer_id", "via", "name", "product", "products"):
                    cells.append(v)
                else:
                    cells.append(_number(v))
            ws.append(cells)
    wb.save(out)
    return out


def sheet_book(out: Path, sheets: dict[str, Iterable[Iterable[object]]]) -> Path:
    """A workbook with the given sheets, rows written as they are (None: an empty cell)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(list(r))
    wb.save(out)
    return out
