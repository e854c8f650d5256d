"""Read Excel workbooks: each worksheet a table, read as text like a CSV file.

The reader is fastexcel (calamine, in Rust, straight into Arrow arrays): a
200,000-row sheet takes a fraction of what openpyxl needs, and no Python
object is made per cell.  Cells become text as a CSV export would write them:
numbers in their shortest form (``24000``, ``4650.5``), dates as
``2024-03-05 00:00:00`` (a date in a money column is an error there), TRUE/FALSE
as ``true``/``false``, formulas as their last computed value; an Excel error
value (``#N/A``, ``#DIV/0!``) is a problem naming its cell.

Rows are the sheet's own row numbers.  The header is found among the first ten
rows (a title row above it is skipped, with a warning); empty rows and columns
at the end are ignored; hidden rows and columns are read like the others, with a
warning; a cell merged over several rows or columns of the data gives its value
to each of them (as the sheet shows it).
"""

from __future__ import annotations

import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chaingraph.errors import Problem
from chaingraph.rawtables import (
    EXTENSIONS,  # the file endings read as workbooks, defined where SOURCE is checked
    REQUIRED,
    TABLES,
    RawTable,
    _clean,
    _titles,
    _unnamed,
    choose_header,
    resolve_header,
)

__all__ = ["EXTENSIONS", "Workbook", "column_letter", "open_workbook", "sheet_for"]


def column_letter(i: int) -> str:
    """Excel's letter for the 0-based column ``i``.

    >>> column_letter(0), column_letter(25), column_letter(27)
    ('A', 'Z', 'AB')
    """
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _cell(ref: str) -> tuple[int, int]:
    """``"C7"`` → ``(6, 2)``: 0-based row and column."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if not m:
        return (0, 0)
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]) - 1, col - 1


@dataclass
class Layout:
    """What the sheet's XML says beyond the cells: hidden rows and columns, merged ranges (0-based)."""

    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[int] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: Whether any cell holds an Excel error value (``t="e"``).
    errors: bool = False
    #: The first column holding a value in the first rows: where the reader's columns start.
    first_col: int = 0


_ROW_HIDDEN = re.compile(
    rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"'
)
_COL = re.compile(rb"<col\b[^>]*>")
_ATTR = re.compile(rb'\b(min|max|hidden)="([^"]*)"')
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]+\d+):([A-Z]+\d+)"')
_VALUED = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)\d+"[^>]*?(?<!/)>')


def _scan(path: Path, member: str) -> Layout:
    """Hidden rows/columns and merged ranges, from one pass over the sheet's XML (chunks; zlib frees the GIL)."""
    out = Layout()
    tail = b""
    first = True
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        while chunk := fh.read(1 << 22):
            if first:
                cols = [_cell(m[1].decode() + "1")[1] for m in _VALUED.finditer(chunk[: 1 << 16])]
                out.first_col, first = (min(cols) if cols else 0), False
            buf = tail + chunk
            cut = buf.rfind(b"<")  # an element cut in two waits for the next chunk
            body, tail = (buf[:cut], buf[cut:]) if cut > 0 else (buf, b"")
            if b"hidden" in body:
                for m in _ROW_HIDDEN.finditer(body):
                    out.hidden_rows.append(int(m[1] or m[2] or b"0") - 1)
                for m in _COL.finditer(body):
                    attrs = dict(_ATTR.findall(m[0]))
                    low, high = attrs.get(b"min", b""), attrs.get(b"max", b"")
                    if attrs.get(b"hidden") in (b"1", b"true") and low.isdigit():
                        out.hidden_cols.extend(range(int(low) - 1, int(high if high.isdigit() else low)))
            out.errors = out.errors or b't="e"' in body
            if b"<mergeCell " in body:
                for m in _MERGE.finditer(body):
                    (r0, c0), (r1, c1) = _cell(m[1].decode()), _cell(m[2].decode())
                    out.merged.append((r0, c0, r1, c1))
    return out


def _members(path: Path) -> dict[str, str]:
    """Sheet name → its XML part in an .xlsx/.xlsm package (empty for other formats or a broken package)."""
    try:
        with zipfile.ZipFile(path) as zf:
            book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    targets = {}
    for m in re.finditer(r"<Relationship\b([^>]*)>", rels):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m[1]))
        if "Id" in attrs and "Target" in attrs:
            t = attrs["Target"].lstrip("/")
            targets[attrs["Id"]] = t if t.startswith("xl/") else f"xl/{t}"
    out = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", book):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', m[1]))
        rid = attrs.get("r:id") or next((v for k, v in attrs.items() if k.endswith(":id")), None)
        if "name" in attrs and rid in targets:
            out[_unescape(attrs["name"])] = targets[rid]
    return out


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


class Workbook:
    """An open workbook: its sheets, each read as a :class:`RawTable` on request."""

    def __init__(self, path: Path, *, name: str | None = None) -> None:
        import fastexcel

        self.path = path
        self.file = name or str(path)
        self._reader = fastexcel.read_excel(str(path))
        self.sheet_names: list[str] = list(self._reader.sheet_names)
        self._members = _members(path) if path.suffix.lower() in (".xlsx", ".xlsm") else {}

    def visible(self, sheet: str) -> bool:
        return bool(self._reader.load_sheet(sheet, header_row=None, n_rows=1, dtypes="string").visible == "visible")

    def read(self, sheet: str, kind: str, *, ignore_unknown: bool = False) -> tuple[RawTable | None, list[Problem]]:
        """Read ``sheet`` as a table of ``kind``: like :func:`chaingraph.rawtables.read_table` for a CSV file."""
        return self.read_all({kind: sheet}, ignore_unknown=ignore_unknown)[kind]

    def read_all(
        self, sheets: dict[str, str], *, ignore_unknown: bool = False
    ) -> dict[str, tuple[RawTable | None, list[Problem]]]:
        """Read several sheets (kind → sheet name), one after the other with one reader.

        The scan of each sheet's XML (hidden rows, merged cells, error values)
        runs in a thread beside the reader (zlib decompresses outside the GIL).
        Two readers parsing two sheets in two threads were slower here, not
        faster (each parses the shared strings again).
        """
        with ThreadPoolExecutor(max_workers=1) as pool:
            scans = {s: pool.submit(_scan, self.path, self._members[s]) for s in sheets.values() if s in self._members}
            out: dict[str, tuple[RawTable | None, list[Problem]]] = {}
            for kind, sheet in sheets.items():
                batch = None
                if sheet in scans:  # eager: straight into Arrow, about 40% faster than a sheet object converted
                    batch = self._reader.load_sheet(sheet, header_row=None, dtypes="string", skip_rows=0, eager=True)
                found = scans[sheet].result() if sheet in scans else None
                errors = None
                if found is None or found.errors:  # error values (or a format not scanned): the reader says where
                    loaded = self._reader.load_sheet(sheet, header_row=None, dtypes="string", skip_rows=0)
                    batch, errors = loaded.to_arrow_with_errors()
                out[kind] = _table(batch, errors, found or Layout(), file=self.file, sheet=sheet, kind=kind,
                                   ignore_unknown=ignore_unknown)  # fmt: skip
        return out


def _table(
    batch: Any, errors: Any, layout: Layout, *, file: str, sheet: str, kind: str, ignore_unknown: bool
) -> tuple[RawTable | None, list[Problem]]:
    import pyarrow as pa
    import pyarrow.compute as pc

    n = batch.num_rows
    if batch.num_columns == 0 or n == 0:
        return None, [Problem(file, None, None, None, "the sheet is empty",
                              f"Give it a header row with at least {', '.join(REQUIRED[kind])}.", sheet=sheet)]  # fmt: skip
    merged = [(r0, c0 - layout.first_col, r1, c1 - layout.first_col) for r0, c0, r1, c1 in layout.merged]
    columns = _fill_merged([pc.fill_null(c, "") if c.null_count else c for c in batch.columns], merged, n)
    head = [[str(c[i].as_py()) for c in columns] for i in range(min(10, n))]
    at = choose_header(head, kind)
    h = resolve_header([_clean(c) for c in head[at]], kind, file=file, line=at + 1, sheet=sheet,
                       ignore_unknown=ignore_unknown)  # fmt: skip
    if h.problems:
        return None, h.problems
    warnings = [*_titles(head[:at], file=file, sheet=sheet), *h.warnings]
    columns = _error_codes(columns, errors)
    body = {name: pc.utf8_trim_whitespace(col.slice(at + 1)) for name, col in zip(h.names, columns, strict=False)}
    problems: list[Problem] = []
    known = [k for k in body if not k.startswith("__extra_")]
    # Empty rows: at the end they are the sheet's unused (or formatted) area; in between, blank lines.
    filled = np.zeros(n - at - 1, dtype=bool)
    for k in known:
        filled |= np.asarray(pc.not_equal(body[k], "").to_numpy(zero_copy_only=False), dtype=bool)
    last = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    blank = int((~filled[:last]).sum())
    keep = np.flatnonzero(filled)
    whole = len(keep) == len(filled)
    take = pa.array(keep)
    frame = pd.DataFrame(
        {k: pd.Series(pd.array(v if whole else v.take(take), dtype="str")) for k, v in body.items()}, copy=False
    )
    warnings += _unnamed(frame, h, file=file, line=at + 1, sheet=sheet)
    frame = frame[known]
    lines = np.arange(at + 2, n + 1, dtype=np.int64)[keep]
    warnings += _hidden(layout, lines, h, file=file, sheet=sheet, header_row=at)
    table = RawTable(file, frame, lines, h.headers, len(frame), blank, "xlsx", sheet=sheet, units=h.units,
                     warnings=tuple(warnings))  # fmt: skip
    return table, problems


def _fill_merged(columns: list[Any], merged: list[tuple[int, int, int, int]], n: int) -> list[Any]:
    """Each cell of a range merged over rows takes the range's value (Excel shows it in each; the file holds it once).

    A range merged across columns of one row (a title, a header over two columns)
    keeps its value in the first cell only.
    """
    import pyarrow as pa

    down = [
        (r0, max(c0, 0), r1, c1) for r0, c0, r1, c1 in merged if r1 > r0 and r0 < n and c1 >= 0 and c0 < len(columns)
    ]
    if not down:
        return columns
    lists: dict[int, list[Any]] = {}
    for r0, c0, r1, c1 in down:
        value = lists[c0][r0] if c0 in lists else columns[c0][r0].as_py()
        for c in range(c0, min(c1, len(columns) - 1) + 1):
            cells = lists.setdefault(c, columns[c].to_pylist())
            for r in range(r0, min(r1, n - 1) + 1):
                cells[r] = value
    return [pa.array(lists[c], type=col.type) if c in lists else col for c, col in enumerate(columns)]


#: fastexcel's names of Excel's error values.
_ERRORS = {"NA": "#N/A", "Div0": "#DIV/0!", "Value": "#VALUE!", "Ref": "#REF!", "Name": "#NAME?", "Num": "#NUM!",
           "Null": "#NULL!", "GettingData": "#GETTING_DATA"}  # fmt: skip


def _error_codes(columns: list[Any], errors: Any) -> list[Any]:
    """Cells holding an Excel error value (``#N/A`` …) get its code as text: validation names them."""
    import pyarrow as pa

    found = getattr(errors, "errors", None) or []
    if not found:
        return columns
    lists: dict[int, list[Any]] = {}
    for e in found:
        row, col = e.offset_position
        if col >= len(columns) or row >= len(columns[col]):
            continue
        m = re.search(r"Error\((\w+)\)", str(e.detail))
        lists.setdefault(col, columns[col].to_pylist())[row] = _ERRORS.get(m[1], f"#{m[1]}") if m else "#ERROR"
    return [pa.array(lists[c], type=col.type) if c in lists else col for c, col in enumerate(columns)]


def _hidden(layout: Layout, lines: np.ndarray, h: Any, *, file: str, sheet: str, header_row: int) -> list[Problem]:
    """Warnings: hidden data rows and hidden columns of the table were read like the others."""
    out = []
    rows = sorted(r + 1 for r in layout.hidden_rows if r > header_row and r + 1 in set(lines.tolist()))
    if rows:
        shown = ", ".join(str(r) for r in rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
        out.append(Problem(file, rows[0], None, None, f"hidden rows were read like the others (rows {shown})",
                           "Delete the rows that should not count, or unhide them to check.", sheet=sheet))  # fmt: skip
    at = [c - layout.first_col for c in sorted(set(layout.hidden_cols))]
    for c in (c for c in at if 0 <= c < len(h.names) and not h.names[c].startswith("__extra_")):
        out.append(Problem(file, header_row + 1, h.headers[h.names[c]], None,
                           f"hidden column {column_letter(c + layout.first_col)} was read like the others", "",
                           sheet=sheet))  # fmt: skip
    return out


def sheet_for(names: list[str], kind: str) -> str | None:
    """The sheet holding table ``kind``: named as :data:`~chaingraph.rawtables.TABLES` says (English in any case).

    >>> sheet_for(["说明", "企业", "供应关系"], "links"), sheet_for(["Enterprises"], "enterprises")
    ('供应关系', 'Enterprises')
    """
    wanted = {t.casefold() for t in TABLES.get(kind, ())}
    return next((n for n in names if _clean(n).casefold() in wanted), None)


def open_workbook(path: Path, *, name: str | None = None) -> Workbook | Problem:
    """Open a workbook, or say why it cannot be read."""
    file = name or str(path)
    try:
        return Workbook(path, name=name)
    except OSError as err:
        return Problem(file, None, None, None, f"cannot read the workbook ({err.strerror or err})",
                       "Check the path and permissions.")  # fmt: skip
    except Exception as err:  # fastexcel raises its own error types for files it cannot parse
        detail = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
        return Problem(file, None, None, None, f"the file cannot be read as an Excel workbook ({detail})",
                       "Open it in Excel and save it again as .xlsx (Excel 工作簿).")  # fmt: skip
