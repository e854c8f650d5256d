"""Read chaingraph's CSV files: encodings, header aliases and units, line numbers.

Everything is read as text; :mod:`chaingraph.validate` turns text into typed
columns.  Reading is vectorised (pyarrow's or pandas' C parser); Python only
looks at the first lines (to find the header) and at the rows a problem names.
The header rules (aliases, units in headers, unknown columns) are shared with
the workbook reader, :mod:`chaingraph.xlsx`.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chaingraph.errors import ChaingraphError, Problem, param
from chaingraph.spreadsheet import guards_removed

__all__ = [
    "ALIASES",
    "EXTENSIONS",
    "MONEY_UNITS",
    "TABLES",
    "Header",
    "ParquetTable",
    "RawTable",
    "WholeFileNeeded",
    "csv_pieces",
    "decode",
    "open_parquet",
    "read_csv_bytes",
    "read_parquet_table",
    "read_table",
    "resolve_header",
]

#: Canonical column → accepted headers (canonical name first).  English headers
#: match case-insensitively; Chinese headers as written.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "enterprises": {
        "id": ("id", "企业ID", "企业编号", "统一社会信用代码", "纳税人识别号"),
        "name": ("name", "企业名称"),
        "zone": ("zone", "所在园区", "开发区", "所在地区"),
        "park": ("park", "园区"),
        "city": ("city", "城市"),
        "province": ("province", "省份"),
        "industry": ("industry", "产业", "产业链"),
        "products": ("products", "产品", "主营产品"),
        "kind": ("kind", "类型"),
        "output_value": ("output_value", "年产值"),
        "employees": ("employees", "从业人数"),
        "chain_leader": ("chain_leader", "链主"),
        "lat": ("lat", "纬度"),
        "lon": ("lon", "经度"),
    },
    "links": {
        "supplier_id": ("supplier_id", "供应商ID"),
        "buyer_id": ("buyer_id", "采购方ID"),
        "product": ("product", "产品"),
        "annual_value": ("annual_value", "年采购额"),
        "annual_volume": ("annual_volume", "年采购量"),
        "unit_price": ("unit_price", "单价"),
        "logistics_cost": ("logistics_cost", "物流成本"),
        "status": ("status", "状态"),
        "via": ("via", "途经"),
        "note": ("note", "备注"),
    },
    "chains": {
        "chain": ("chain", "产业链"),
        "product": ("product", "产品", "环节", "产品/环节"),
        "input": ("input", "上游产品"),
        "segment": ("segment", "环节位置"),
    },
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "enterprises": ("id", "name", "zone"),
    "links": ("supplier_id", "buyer_id", "product"),
    "chains": ("chain", "product"),
}
# What-if scenario files (docs/analysis.md, definition 9): the data files' columns plus the firm's
# capture share and the outside suppliers a scenario link replaces.
ALIASES["scenario"] = {**ALIASES["enterprises"], "capture": ("capture", "承接比例", "替代比例")}
ALIASES["scenario_links"] = {**ALIASES["links"], "replaces": ("replaces", "替代", "替代供应商")}
REQUIRED["scenario"] = REQUIRED["enterprises"]
REQUIRED["scenario_links"] = REQUIRED["links"]
# Tax-invoice rows (`chaingraph ingest invoices`, docs/analysis.md "Invoices"): one row per invoice line, the
# headers of the invoice's own export (销方/购方纳税人识别号 …) or English ones.
ALIASES["invoices"] = {
    "seller_id": ("seller_id", "销方纳税人识别号", "销售方纳税人识别号", "销方识别号", "销方税号", "销售方识别号"),
    "buyer_id": ("buyer_id", "购方纳税人识别号", "购买方纳税人识别号", "购方识别号", "购方税号", "购买方识别号"),
    "product": ("product", "货物或应税劳务名称", "货物或应税劳务、服务名称", "商品名称", "项目名称"),
    "amount": ("amount", "金额", "不含税金额"),
    "date": ("date", "开票日期"),
    "invoice_id": ("invoice_id", "发票号码", "数电票号码"),
    "invoice_code": ("invoice_code", "发票代码"),
}
REQUIRED["invoices"] = ("seller_id", "buyer_id", "product", "amount", "date")

#: The tables, by kind → accepted file stems and sheet names (canonical first).  English names match
#: case-insensitively; Chinese as written.
TABLES: dict[str, tuple[str, ...]] = {
    "enterprises": ("enterprises", "企业", "企业名录", "企业名单", "企业清单", "企业信息"),
    "links": ("links", "供应关系", "供需关系", "采购关系", "配套关系"),
    "chains": ("chains", "产业链", "产业链图谱", "图谱"),
}

#: File endings read as workbooks.
EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def check_source(source: Path) -> None:
    """Stop with a plain message when SOURCE is neither a folder nor a workbook (here, beside the table names, so
    that a command over a kept validated copy checks SOURCE without importing the loader and validators)."""
    if source.is_dir() or (source.is_file() and source.suffix.lower() in EXTENSIONS):
        return
    hint = "Pass a folder with enterprises.csv and links.csv (or .xlsx files), or one .xlsx workbook."
    if not source.exists():
        what = "workbook" if source.suffix.lower() in EXTENSIONS else "data folder"
        raise ChaingraphError(f"{what} {str(source)!r} does not exist. {hint}")
    if source.suffix.lower() == ".csv":
        raise ChaingraphError(
            f"SOURCE {str(source)!r} is a CSV file, not a data folder: pass the folder that holds it "
            f"({str(source.parent)!r}), with enterprises.csv and links.csv."
        )
    raise ChaingraphError(f"SOURCE {str(source)!r} is a file, neither a data folder nor an Excel workbook. {hint}")


#: Columns holding money, and the units a header or a cell may give them (factor to yuan).
MONEY_COLUMNS = frozenset({"annual_value", "unit_price", "logistics_cost", "output_value", "amount"})
#: Columns holding counts, whose header unit may carry 万 or 亿 (年采购量(万吨), 从业人数(万人)).
COUNT_COLUMNS = frozenset({"annual_volume", "employees"})
MONEY_UNITS: dict[str, float] = {
    "元": 1.0,
    "人民币": 1.0,
    "人民币元": 1.0,
    "rmb": 1.0,
    "cny": 1.0,
    "yuan": 1.0,
    "千元": 1e3,
    "万": 1e4,
    "万元": 1e4,
    "百万": 1e6,
    "百万元": 1e6,
    "亿": 1e8,
    "亿元": 1e8,
}

# Invisible characters: zero-width, bidi controls and marks, word joiner, BOM.  Removed from headers and
# ids (chaingraph.validate), never part of a name a user can read.
INVISIBLE = "[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
_INVISIBLE = re.compile(INVISIBLE)
_UNIT = re.compile(r"^(?P<base>.*?)\s*[(（\[【](?P<unit>[^()（）\[\]【】]*)[)）\]】]\s*$")


def _key(text: str) -> str:
    """A header's comparison key: case, spaces, ``_`` and ``-`` do not matter (``Annual Value`` is annual_value).

    >>> _key(" Annual-Value "), _key("年采购额")
    ('annualvalue', '年采购额')
    """
    return re.sub(r"[\s_\-]+", "", text.casefold())


_LOOKUP: dict[str, dict[str, str]] = {
    kind: {_key(alias): canon for canon, names in cols.items() for alias in names} for kind, cols in ALIASES.items()
}


def column_unit(canon: str, unit: str) -> float | None:
    """The factor to yuan (money) or to units (counts) of a header's unit; ``None``: not a unit of that column.

    Columns that are neither money nor counts take any unit text as a label (factor 1).

    Examples
    --------
    >>> column_unit("annual_value", "万元"), column_unit("unit_price", "元/吨"), column_unit("annual_value", "美元")
    (10000.0, 1.0, None)
    >>> column_unit("annual_volume", "万吨"), column_unit("annual_volume", "千克"), column_unit("lat", "°")
    (10000.0, 1.0, 1.0)
    """
    key = _key(unit)
    if canon in MONEY_COLUMNS:
        return MONEY_UNITS.get(key.split("/")[0])
    if canon in COUNT_COLUMNS:
        return 1e8 if key.startswith("亿") else 1e4 if key.startswith("万") else 1.0
    return 1.0


def _resolve(cell: str, kind: str) -> tuple[str | None, str]:
    """``(canonical column or None, unit text)`` of one header cell."""
    lookup = _LOOKUP[kind]
    canon = lookup.get(_key(cell))
    if canon is not None or not cell:
        return canon, ""
    m = _UNIT.match(cell)
    if m and (canon := lookup.get(_key(m["base"]))) is not None:
        return canon, m["unit"].strip()
    return None, ""


def nearest_column(cell: str, kind: str) -> tuple[str, str] | None:
    """The known column a header most likely misspells: ``(canonical, as shown)``, or ``None`` when none is close.

    Close: at least two characters in common and a similarity ratio of 0.5 or more
    (difflib), over every accepted name of the table's columns.

    Examples
    --------
    >>> nearest_column("物流费用", "links")
    ('logistics_cost', 'logistics_cost (物流成本)')
    >>> nearest_column("anual_value", "links")
    ('annual_value', 'annual_value (年采购额)')
    >>> nearest_column("联系人", "enterprises") is None
    True
    """
    m = _UNIT.match(cell)
    key = _key(m["base"] if m else cell)
    best: tuple[float, str] | None = None
    for canon, names in ALIASES[kind].items():
        for alias in names:
            matcher = difflib.SequenceMatcher(None, key, _key(alias))
            common = sum(b.size for b in matcher.get_matching_blocks())
            ratio = matcher.ratio()
            if common >= 2 and ratio >= 0.5 and (best is None or ratio > best[0]):
                best = (ratio, canon)
    if best is None:
        return None
    canon = best[1]
    chinese = next((a for a in ALIASES[kind][canon] if not a.isascii()), None)
    return canon, f"{canon} ({chinese})" if chinese else canon


def header_score(cells: list[str], kind: str) -> tuple[bool, int]:
    """Whether a row holds every required column, and how many known columns it names."""
    found = {c for c in (_resolve(_clean(x), kind)[0] for x in cells) if c}
    return all(r in found for r in REQUIRED[kind]), len(found)


def choose_header(rows: list[list[str]], kind: str) -> int:
    """Which of the first rows is the header: the first naming every required column, else the one naming the
    most known columns (at least two), else the first non-empty row.

    >>> choose_header([["2024年供应关系表"], [], ["供应商ID", "采购方ID", "产品"], ["A", "B", "钢"]], "links")
    2
    >>> choose_header([[], ["id", "名称"]], "enterprises")
    1
    """
    scores = [header_score(r, kind) for r in rows]
    for i, (complete, _) in enumerate(scores):
        if complete:
            return i
    most = max((n for _, n in scores), default=0)
    if most >= 2:
        return next(i for i, (_, n) in enumerate(scores) if n == most)
    return next((i for i, r in enumerate(rows) if any(_clean(c) for c in r)), 0)


def _clean(cell: object) -> str:
    """A header cell as compared: invisible characters removed, spaces (also full-width) trimmed."""
    return _INVISIBLE.sub("", str(cell if cell is not None else "")).strip()


@dataclass
class Header:
    """What a header row says: each cell's column, units, and the problems and warnings it raises.

    Attributes
    ----------
    names
        Per cell: the canonical column, or ``__extra_{i}__`` for a cell that is not one.
    headers
        Canonical column → the header as written.
    units
        Canonical column → ``(unit as written, factor)`` for the columns whose header gives a unit.
    problems
        Problems that make the table unusable (a missing or doubled column, a close miss).
    warnings
        Unknown columns that are ignored.
    unnamed
        Cells with no header text: ignored, reported only if the column holds values.
    """

    names: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    units: dict[str, tuple[str, float]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unnamed: list[int] = field(default_factory=list)


def resolve_header(
    cells: list[str],
    kind: str,
    *,
    file: str,
    line: int,
    sheet: str | None = None,
    ignore_unknown: bool = False,
) -> Header:
    """Map a header row to chaingraph's columns (aliases, units), with every problem at once.

    An unknown header that closely resembles a known column which the table lacks is an
    error (the data would silently lose that column) unless ``ignore_unknown``; any other
    unknown header is a warning.  Each unknown header is reported once.

    Examples
    --------
    >>> h = resolve_header(["供应商ID", "采购方ID", "产品", "年采购额(万元)", "物流费用"], "links", file="l.csv", line=1)
    >>> h.names[:4], h.units
    (['supplier_id', 'buyer_id', 'product', 'annual_value'], {'annual_value': ('万元', 10000.0)})
    >>> print(h.problems[0])
    l.csv, line 1, column '物流费用': unknown column → did you mean logistics_cost (物流成本)? Rename the header \
to 物流成本 (or logistics_cost), or pass ignore_unknown_columns to leave the column out.
    """
    h = Header()
    shown = [_clean(c) for c in cells]
    for i, cell in enumerate(shown):
        canon, unit = _resolve(cell, kind)
        if canon is None:
            h.names.append(f"__extra_{i}__")
            if not cell:
                h.unnamed.append(i)
                continue
            near = nearest_column(cell, kind)
            if near is not None and near[0] not in {_resolve(c, kind)[0] for c in shown} and not ignore_unknown:
                alias = near[1].split(" (")[-1].rstrip(")") if "(" in near[1] else near[0]
                h.problems.append(
                    Problem(file, line, cell, None, f"unknown column → did you mean {near[1]}?",
                            f"Rename the header to {alias} (or {near[0]}), or pass {param('ignore_unknown_columns')} "
                            "to leave the column out.", sheet=sheet)
                )  # fmt: skip
            else:
                close = f" → did you mean {near[1]}?" if near is not None else ""
                known = "" if near is not None else f"Known columns: {', '.join(ALIASES[kind])}."
                h.warnings.append(
                    Problem(file, line, cell, None, f"unknown column, ignored{close}", known, sheet=sheet)
                )
            continue
        if canon in h.headers:
            h.problems.append(
                Problem(file, line, cell, None,
                        f"column {canon!r} appears twice (as {h.headers[canon]!r} and {cell!r})",
                        "Keep one of the two columns.", sheet=sheet)
            )  # fmt: skip
        if unit:
            factor = column_unit(canon, unit)
            if factor is None:
                units = " / ".join(u for u in MONEY_UNITS if not u.isascii())
                h.problems.append(
                    Problem(file, line, cell, None, f"unknown unit {unit!r} for {canon}",
                            f"Amounts are in 元; a header may give one of {units}, e.g. 年采购额(万元).", sheet=sheet)
                )  # fmt: skip
            elif canon in MONEY_COLUMNS or canon in COUNT_COLUMNS:
                h.units[canon] = (unit, factor)
        h.headers[canon] = cell
        h.names.append(canon)
    for col in REQUIRED[kind]:
        if col not in h.headers:
            accepted = " / ".join(ALIASES[kind][col])
            seen = ", ".join(repr(c) for c in shown if c) or "nothing"
            row = "row" if sheet is not None else "line"
            h.problems.append(
                Problem(file, line, None, None, f"required column {col!r} is missing",
                        f"Add a column headed {accepted}. The header ({row} {line}) reads: {seen}.", sheet=sheet)
            )  # fmt: skip
    return h


@dataclass(frozen=True)
class RawTable:
    """One table (a CSV file or a worksheet) read as text.

    Attributes
    ----------
    file
        Name used in messages (the path as given).
    frame
        Canonical columns (known aliases renamed) as strings, blank lines
        removed, cells stripped of surrounding white space.
    lines
        For each row of ``frame``, the line number where the row starts
        (for a worksheet: its row number).
    headers
        Canonical column name → header as written in the file.
    rows_in_file
        Data rows in the file (blank lines not counted).
    blank_lines
        Blank lines that were skipped.
    encoding
        ``utf-8`` or ``gb18030`` (``xlsx`` for a worksheet).
    sheet
        The worksheet's name, for a table read from a workbook.
    units
        Column → ``(unit, factor)`` given by its header, e.g. ``annual_value → ("万元", 10000.0)``.
    warnings
        What was read but deserves a word (unknown columns, a title row, hidden rows ...).
    """

    file: str
    frame: pd.DataFrame
    lines: np.ndarray
    headers: dict[str, str]
    rows_in_file: int
    blank_lines: int
    encoding: str
    sheet: str | None = None
    units: dict[str, tuple[str, float]] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    #: For a piece of a file (:func:`csv_pieces`): the row problems its reading found.
    read_problems: tuple[Problem, ...] = ()

    def header(self, column: str) -> str:
        """The header as the file writes it, for messages."""
        return self.headers.get(column, column)


def _is_utf8(data: bytes | memoryview) -> bool:
    """Whether ``data`` is valid UTF-8, checked by pyarrow without a copy (a Python decode would build the text)."""
    import pyarrow as pa

    try:
        offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)]).cast(pa.large_string())
    except (pa.ArrowInvalid, OverflowError):
        return False
    return True


#: Below this share of non-ASCII bytes that decode as UTF-8, a file that is not valid UTF-8 is read as GBK.
#: GBK text reaches about 0.2 by chance (some GBK pairs are valid UTF-8 sequences); UTF-8 text with a few
#: stray bytes is near 1.
UTF8_EVIDENCE = 0.5


def decode(data: bytes, *, file: str) -> tuple[str, str] | Problem:
    """Decode file bytes as UTF-8 (BOM or not), else GBK/GB18030.

    Returns the text and the encoding's name, or a :class:`Problem`.  Text that
    is mostly UTF-8 with a few bytes that are not is not read as GB18030 (which
    would turn every Chinese character into another): the problem names the
    first such line (:func:`encoding_problems` names them all).

    Examples
    --------
    >>> decode("企业".encode("gbk"), file="x.csv")
    ('企业', 'gb18030')
    >>> decode(b"\\xef\\xbb\\xbfid", file="x.csv")
    ('id', 'utf-8')
    >>> print(decode("id,name\\nA,电池\\nB,Caf".encode() + b"\\x92" + b"\\n", file="x.csv"))
    x.csv, line 3, value 'B,Caf\\\\x92': byte 0x92 is not UTF-8, though the rest of the file is. \
Retype the character there, or save the file again as 'CSV UTF-8'.
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    found = encoding_problems(data, file=file, limit=1)
    if found:
        return found[0]
    return data.decode("gb18030"), "gb18030"


def encoding_problems(data: bytes, *, file: str, limit: int = 20, names: list[str] | None = None) -> list[Problem]:
    """Why ``data`` (not valid UTF-8) cannot be read: stray bytes in UTF-8 text, or neither UTF-8 nor GBK.

    Empty when the bytes are GB18030 text.  ``names`` (the header's cells) lets a
    stray byte's problem name its column.
    """
    high = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80))
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    if high and (high - bad) / high > UTF8_EVIDENCE:  # UTF-8 text with stray bytes: name each line
        problems: list[Problem] = []
        last_line = 0
        for pos, byte in _bad_bytes(data, limit=limit * 4):
            line = data.count(b"\n", 0, pos) + 1
            if line != last_line and len(problems) < limit:
                start = data.rfind(b"\n", 0, pos) + 1
                end = data.find(b"\n", pos)
                problems.append(_stray_byte(data[start : end if end >= 0 else len(data)], byte, line, file, names))
            last_line = line
        return problems
    try:
        data.decode("gb18030")
        return []
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return [Problem(file, line, None, None,
                        "the file is neither UTF-8 nor GBK/GB18030 text (mixed encodings or binary data)",
                        "Save it again from Excel as 'CSV UTF-8' (or as CSV in one encoding).")]  # fmt: skip


def _bad_bytes(data: bytes, *, limit: int) -> list[tuple[int, int]]:
    """``(position, byte)`` of the first ``limit`` bytes that start an invalid UTF-8 sequence."""
    import codecs

    out: list[tuple[int, int]] = []
    view, i = memoryview(data), 0
    while len(out) < limit:
        try:
            codecs.utf_8_decode(view[i:], "strict", True)
            break
        except UnicodeDecodeError as err:
            out.append((i + err.start, data[i + err.start]))
            i += err.start + 1
    return out


def _stray_byte(raw: bytes, byte: int, line: int, file: str, names: list[str] | None) -> Problem:
    """The problem for one line (its bytes ``raw``) of UTF-8 text holding the stray ``byte``."""
    text = raw.rstrip(b"\r").decode("utf-8", errors="backslashreplace")
    column, value = None, text
    if names:
        try:
            cells = next(csv.reader([text]), [])
        except csv.Error:
            cells = []
        at = next((i for i, c in enumerate(cells) if f"\\x{byte:02x}" in c), None)
        if at is not None and at < len(names):
            column, value = names[at], cells[at]
    return Problem(file, line, column, value, f"byte 0x{byte:02X} is not UTF-8, though the rest of the file is",
                   "Retype the character there, or save the file again as 'CSV UTF-8'.")  # fmt: skip


def _utf16(data: bytes) -> bool:
    r"""Whether ``data`` looks like UTF-16 (a BOM, or ASCII text with every other byte NUL).

    >>> _utf16("id,name".encode("utf-16")), _utf16(b"id,\x00name")
    (True, False)
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:4000]
    return len(head) >= 4 and (
        head[1::2].count(0) > 0.8 * len(head[1::2]) or head[0::2].count(0) > 0.8 * len(head[0::2])
    )


def _open_quote_line(text: str) -> int | None:
    r"""The line of a quote that is never closed (``None`` when every quote closes).

    >>> _open_quote_line('id,note\nA,"ok"\nB,"never\nC,x\n')
    3
    >>> _open_quote_line('id,note\nA,"two\nlines"\n') is None
    True
    """
    if text.count('"') % 2 == 0:
        return None
    line, inside, opened = 1, False, 1
    for m in re.finditer(r'"|\n', text):
        if m.group() == "\n":
            line += 1
        else:
            inside = not inside
            if inside:
                opened = line
    return opened if inside else None


def _head_rows(text: str, *, n: int = 10) -> list[list[str]]:
    """The first ``n`` lines as CSV cells (a line the csv module cannot read gives its text as one cell)."""
    rows: list[list[str]] = []
    for line in text.split("\n")[:n]:
        try:
            rows.append(next(csv.reader([line.rstrip("\r")]), []))
        except csv.Error:  # a cell over the csv module's size limit, say
            rows.append([line])
    return rows


def _unify_line_ends(data: bytes) -> bytes:
    r"""Bare CR line ends (Excel for Mac's "CSV (Macintosh)") become LF, as editors show them.

    CRLF is left as it is; only a CR not followed by LF is a line end to rewrite.

    Examples
    --------
    >>> _unify_line_ends(b"id,name\rA,x\r")
    b'id,name\nA,x\n'
    >>> _unify_line_ends(b"id\r\nA\r\n")
    b'id\r\nA\r\n'
    """
    if b"\r" not in data or data.count(b"\r") == data.count(b"\r\n"):
        return data
    return re.sub(rb"\r(?!\n)", b"\n", data)


# Bytes that can start whitespace a trim removes: ASCII spaces and controls, the lead bytes of the
# Unicode spaces (U+0085, U+00A0; U+1680; U+2000-U+205F; U+3000), and a quote (a quoted cell may hold
# a line break at its edge).  One memchr each; a space, the likeliest, is looked for first.
_EDGE_BYTES = tuple(bytes([b]) for b in b' \t"\x0b\x0c\x1c\x1d\x1e\x1f\xc2\xe1\xe2\xe3')


def _has_no_space(data: bytes) -> bool:
    r"""Whether no cell of ``data`` (UTF-8 CSV, line ends unified) can need trimming.

    Conservative: ``False`` as soon as any byte that could begin whitespace
    appears anywhere, at a cell's edge or not.

    Examples
    --------
    >>> _has_no_space(b"id,name\nA,\xe4\xb8\x99\n"), _has_no_space(b"id,name\nA, x\n")
    (True, False)
    >>> _has_no_space("id,name\nA,x\u3000\n".encode())
    False
    """
    return not any(b in data for b in _EDGE_BYTES)


_SKIP = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")
_FIRST_TOO_LONG = "Length of header or names does not match length of data"
_EOF = re.compile(r"row (\d+)")


def _fast_read(data: bytes, names: list[str]) -> pd.DataFrame | None:
    """pyarrow's multi-threaded reader for clean UTF-8 files, else ``None``.

    Clean means every row with the header's number of fields (an empty line
    reads as a row of empty cells, kept in place like the pandas path keeps
    it): then rows map to lines simply, and the pandas path, which keeps bad
    rows in place so their line numbers can be told, is not needed.  It
    reads a million links in about a quarter of a second.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    body = memoryview(data)  # valid UTF-8 (pyarrow's bad-row handler chokes on other bytes), from the header on
    invalid: list[int] = []

    def on_invalid(row: Any) -> str:
        invalid.append(1)
        return "skip"

    try:
        table = pcsv.read_csv(
            pa.py_buffer(body),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pcsv.ParseOptions(newlines_in_values=b'"' in data, ignore_empty_lines=False,
                                            invalid_row_handler=on_invalid),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string()),
                                                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )  # fmt: skip
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        return None
    if invalid or table.num_columns != len(names):
        return None
    return table.to_pandas()


def read_table(
    path: Path, kind: str, *, name: str | None = None, ignore_unknown: bool = False
) -> tuple[RawTable | None, list[Problem]]:
    """Read one CSV file of ``kind`` (``enterprises``, ``links`` or ``chains``).

    Returns the table (``None`` when the file cannot be used at all) and the
    problems found while reading.  Problems with a line number below the
    header's are row-level; the others make the file unusable.  The header is
    the first of the first ten lines naming every required column (lines above
    it, blank or a title, are skipped with a warning for a title).
    """
    file = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [
            Problem(file, None, None, None, f"cannot read the file ({err.strerror})", "Check the path and permissions.")
        ]
    return read_csv_bytes(data, kind, file=file, ignore_unknown=ignore_unknown)


def read_csv_bytes(
    data: bytes, kind: str, *, file: str, ignore_unknown: bool = False
) -> tuple[RawTable | None, list[Problem]]:
    """:func:`read_table` of a CSV file's bytes (``file`` names it in messages)."""
    if _utf16(data):
        return None, [Problem(file, None, None, None, "the file is UTF-16 text (Excel's 'Unicode Text'), not CSV",
                              "Save it again from Excel as 'CSV UTF-8 (逗号分隔)'.")]  # fmt: skip
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, [
            Problem(
                file,
                line,
                None,
                None,
                "the file contains NUL bytes: binary data, not CSV text",
                "Export the sheet again as CSV.",
            )
        ]
    if re.match(rb"(?:\xef\xbb\xbf|\s)*\Z", data):
        return None, [Problem(file, 1, None, None, "the file is empty",
                              f"Give it a header row with at least {', '.join(REQUIRED[kind])}.")]  # fmt: skip
    data = _unify_line_ends(data)
    bom = 0
    while data.startswith(b"\xef\xbb\xbf", bom):  # one BOM, or two (a file saved twice by a BOM-writing tool)
        bom += 3
    encoding = "utf-8" if _is_utf8(memoryview(data)[bom:]) else ""
    head_end = bom
    for _ in range(10):
        nxt = data.find(b"\n", head_end)
        head_end = len(data) if nxt < 0 else nxt + 1
    if not encoding:  # a stray byte in the header lines: their text is checked with the whole file's below
        first_rows = _head_rows(data[bom:head_end].decode("utf-8", errors="replace"))
        seen = [_clean(c) for c in first_rows[choose_header(first_rows, kind)]] if first_rows else []
        found = encoding_problems(data, file=file, names=seen)
        if found:
            return None, found
        encoding = "gb18030"
    head = _head_rows(data[bom:head_end].decode(encoding, errors="replace"))
    at = choose_header(head, kind)
    cells = [_clean(c) for c in head[at]]
    start = bom
    for _ in range(at):
        start = data.index(b"\n", start) + 1
    h = resolve_header(cells, kind, file=file, line=at + 1, ignore_unknown=ignore_unknown)
    if h.problems:
        return None, h.problems
    notes = [*_titles(head[:at], file=file), *h.warnings]
    data = data[start:]
    # An odd number of quote bytes (0x22 is never part of a UTF-8 or GB18030 multibyte character): one never closes.
    if data.count(b'"') % 2 and (open_at := _open_quote_line(data.decode(encoding, errors="replace"))) is not None:
        return None, [Problem(file, open_at + at, None, None,
                              "a quote (\") opened on this line is never closed: the rows after it would be read as "
                              "one cell", 'Close the quote, or remove it (a cell holding " is written "").')]  # fmt: skip
    names = h.names
    problems: list[Problem] = []

    fast = _fast_read(data, names) if encoding == "utf-8" else None
    bad_records: list[int] = []
    if fast is not None:
        frame = fast
    else:
        text = data.decode(encoding)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                frame = pd.read_csv(
                    io.StringIO(text), dtype=str, header=0, names=names, keep_default_na=False,
                    na_values=[], skip_blank_lines=False, on_bad_lines="warn", engine="c", index_col=False,
                )  # fmt: skip
            except (pd.errors.ParserError, ValueError) as err:
                m = _EOF.search(str(err))
                where: int | None = int(m.group(1)) + 1 + at if m else None
                return None, [Problem(file, where, None, None, f"the CSV cannot be parsed ({str(err).strip()})",
                                      'Look for an unclosed quote (") near that line.')]  # fmt: skip
        for w in caught:
            if str(w.message).startswith(_FIRST_TOO_LONG):  # the first row has more fields than the header: pandas
                # cuts it to the header's instead of skipping it (without index_col=False it would even read the
                # first cell as an index and shift every row); it is a bad row like any other
                frame = frame.iloc[1:].reset_index(drop=True)
                bad_records.append(2)
            for m in _SKIP.finditer(str(w.message)):
                bad_records.append(int(m.group(1)))
    notes += _unnamed(frame, h, file=file, line=at + 1)
    frame = frame[[c for c in frame.columns if not c.startswith("__extra_")]]
    # Record number (header = 1) of each kept row, then the physical line.
    n_records = len(frame) + len(bad_records) + 1
    keep = np.ones(n_records + 1, dtype=bool)
    keep[:2] = False
    keep[bad_records] = False
    records = np.flatnonzero(keep)[: len(frame)]
    newline_shift = np.zeros(n_records + 1, dtype=np.int64)
    if b'"' in data:
        embedded = np.zeros(n_records + 1, dtype=np.int64)
        per_column = [frame[c].str.count("\n").to_numpy(dtype=np.int64) for c in frame.columns]
        counts = sum(per_column, np.zeros(len(frame), dtype=np.int64))
        embedded[records] = counts
        newline_shift = np.concatenate([[0], np.cumsum(embedded)[:-1]])
        if counts.any():
            lines_at = records + newline_shift[records] + at
            notes += _rows_in_cells(frame, per_column, lines_at, fields=len(names), file=file)
    lines = records + newline_shift[records] + at

    if fast is None or not _has_no_space(data):  # a clean file, as generated exports are, needs no trim
        for c in frame.columns:
            frame[c] = frame[c].str.strip()
    if b"'" in data:  # a cell '=… is a formula kept as text (spreadsheet.inert): its value is =…
        for c in frame.columns:
            frame[c] = guards_removed(frame[c])
    blank = np.zeros(len(frame), dtype=bool)
    if len(frame.columns):
        maybe = np.flatnonzero((frame.iloc[:, 0] == "").to_numpy())  # only rows whose first cell is empty
        if len(maybe):
            blank[maybe] = (frame.iloc[maybe] == "").all(axis=1).to_numpy()
    frame = frame.loc[~blank].reset_index(drop=True)
    lines = lines[~blank]
    for rec in bad_records:
        line = int(rec + newline_shift[min(rec, n_records)]) + at
        problems.append(
            Problem(
                file,
                line,
                None,
                None,
                f"the row has more fields than the header's {len(cells)}",
                "Remove the extra commas, or quote the cell that holds a comma.",
            )
        )
    table = RawTable(file, frame, lines, h.headers, len(frame) + len(bad_records), int(blank.sum()), encoding,
                     units=h.units, warnings=tuple(notes))  # fmt: skip
    return table, problems


def _titles(rows: list[list[str]], *, file: str, sheet: str | None = None) -> list[Problem]:
    """A warning for each non-blank row above the header: read as a title, not as data."""
    out = []
    for i, row in enumerate(rows):
        text = " ".join(c for c in (_clean(x) for x in row) if c)
        if text:
            out.append(Problem(file, i + 1, None, text, "read as a title above the header, not as data", "",
                               sheet=sheet))  # fmt: skip
    return out


def _unnamed(frame: pd.DataFrame, h: Header, *, file: str, line: int, sheet: str | None = None) -> list[Problem]:
    """A warning for each column with no header that holds values (it is ignored)."""
    out = []
    for i in h.unnamed:
        col = frame[h.names[i]] if h.names[i] in frame.columns else None
        if col is not None and bool((col.str.strip() != "").any()):
            out.append(Problem(file, line, f"#{i + 1}", None, "a column with values but no header, ignored",
                               "Give it a header (or delete it); merged header cells leave the cells beside "
                               "the first one empty.", sheet=sheet))  # fmt: skip
    return out


def _rows_in_cells(
    frame: pd.DataFrame, per_column: list[np.ndarray], lines: np.ndarray, *, fields: int, file: str
) -> list[Problem]:
    """A warning for each quoted cell spanning lines that look like rows (as many commas as the header has)."""
    out = []
    for c, counts in zip(frame.columns, per_column, strict=True):
        for i in np.flatnonzero(counts):
            parts = str(frame[c].iat[int(i)]).split("\n")[1:]
            if any(p.count(",") >= fields - 1 for p in parts):
                first = int(lines[i])
                out.append(Problem(file, first, c, None,
                                   f"the quoted cell spans lines {first}-{first + len(parts)}, which look like rows",
                                   f"If they are rows, close the quote on line {first}; they were read as one cell."))  # fmt: skip
    return out


# --- Parquet tables ------------------------------------------------------------------------------------------

#: Rows per piece when a large Parquet table is read piece by piece (:meth:`ParquetTable.pieces`).
PARQUET_PIECE_ROWS = 1_000_000


def _parquet_text(column: Any, file: str, header: str) -> tuple[Any, Problem | None]:
    """One Parquet column as text, as a CSV file would hold it: null and NaN empty, lists joined by ``;``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = column.type
    if pa.types.is_dictionary(t):
        column, t = column.cast(t.value_type), t.value_type
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        if not (pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type)):
            column = pc.cast(column, pa.list_(pa.large_string()))
        column = pc.binary_join(column, ";")
    elif pa.types.is_floating(t):
        column = pc.if_else(pc.is_nan(column), pa.scalar(None, t), column)
    elif not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t)
              or pa.types.is_boolean(t) or pa.types.is_decimal(t) or pa.types.is_temporal(t)):  # fmt: skip
        return None, Problem(file, None, header, None, f"the column holds {t} values, not text or numbers",
                             "Write the column as text or numbers.")  # fmt: skip
    try:
        text = pc.cast(column, pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None, Problem(file, None, header, None, f"the column holds {t} values, not text or numbers",
                             "Write the column as text or numbers.")  # fmt: skip
    return pc.fill_null(text, ""), None


class ParquetTable:
    """A Parquet file holding one table, its header resolved; read whole or in pieces of rows.

    Rows are numbered from 1, the first data row (a Parquet file has no header line): messages say
    ``links.parquet, row 7``.
    """

    def __init__(self, file: str, pf: Any, header: Header, names: list[str], notes: list[Problem]) -> None:
        self.file = file
        self._pf = pf
        self._header = header
        self._names = names
        self._notes = notes

    @property
    def rows(self) -> int:
        """Rows in the file (blank ones included)."""
        return int(self._pf.metadata.num_rows)

    def pieces(self, rows: int | None = None) -> Iterator[tuple[RawTable | None, list[Problem]]]:
        """The table in pieces of about ``rows`` rows (``None``: one piece), each a :class:`RawTable`."""
        import pyarrow as pa

        h = self._header
        wanted = list(self._names)
        if rows is None:
            batches: Iterable[Any] = [self._pf.read(columns=wanted) if wanted else pa.table({})]
        else:
            batches = (pa.Table.from_batches([b]) for b in self._pf.iter_batches(batch_size=rows, columns=wanted))
        start = 0
        first = True
        for batch in batches:
            n = batch.num_rows
            cols: dict[str, Any] = {}
            problems: list[Problem] = []
            for name, canon in zip(self._names, h.names, strict=True):
                text, problem = _parquet_text(batch.column(name), self.file, name)
                if problem is not None:
                    problems.append(problem)
                elif not canon.startswith("__extra_"):
                    cols[canon] = text
            if problems:
                yield None, problems
                return
            frame = pd.DataFrame(
                {c: pd.Series(pd.array(a, dtype="str")) for c, a in cols.items()}, index=pd.RangeIndex(n)
            )
            for c in frame.columns:
                frame[c] = frame[c].str.strip()
            blank = (frame == "").all(axis=1).to_numpy() if len(frame.columns) else np.zeros(n, dtype=bool)
            lines = np.arange(start + 1, start + n + 1, dtype=np.int64)[~blank]
            if blank.any():
                frame = frame.loc[~blank].reset_index(drop=True)
            yield (RawTable(self.file, frame, lines, h.headers, len(frame), int(blank.sum()), "parquet",
                            units=h.units, warnings=tuple(self._notes) if first else ()), [])  # fmt: skip
            start += n
            first = False


def open_parquet(
    path: Path, kind: str, *, name: str | None = None, ignore_unknown: bool = False
) -> tuple[ParquetTable | None, list[Problem]]:
    """Open a Parquet file of ``kind`` and resolve its column names as a CSV header (aliases, units, unknown columns).

    A problem with the columns concerns the whole file (no line); the rows are read by :meth:`ParquetTable.pieces`.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = name or str(path)
    try:
        pf = pq.ParquetFile(path)
        names = list(pf.schema_arrow.names)
    except (OSError, pa.ArrowInvalid) as err:
        return None, [Problem(file, None, None, None, f"cannot read the file as Parquet ({str(err).strip()})",
                              "Write it again as a Parquet file, or give the table as CSV.")]  # fmt: skip
    cells = [_clean(c) for c in names]
    h = resolve_header(cells, kind, file=file, line=1, ignore_unknown=ignore_unknown)

    def whole_file(p: Problem) -> Problem:
        return dataclasses.replace(p, line=None, hint=p.hint.replace("The header (line 1) reads:", "The columns are:"))

    if h.problems:
        return None, [whole_file(p) for p in h.problems]
    return ParquetTable(file, pf, h, names, [whole_file(w) for w in h.warnings]), []


def read_parquet_table(
    path: Path, kind: str, *, name: str | None = None, ignore_unknown: bool = False
) -> tuple[RawTable | None, list[Problem]]:
    """Read one Parquet file of ``kind`` whole, as :func:`read_table` reads a CSV file (every cell as text)."""
    table, problems = open_parquet(path, kind, name=name, ignore_unknown=ignore_unknown)
    if table is None:
        return None, problems
    return next(table.pieces(None))


# --- CSV files in pieces -------------------------------------------------------------------------------------

#: The smallest piece :func:`csv_pieces` cuts a file into (a file this size or smaller is read whole): about a
#: million rows of links, which take some 1.5 GB to read and validate.
PIECE_BYTES = 64 << 20
#: A file is cut into at most about this many pieces (larger ones beyond).  The enterprise ids are hashed once
#: for all pieces (:class:`~chaingraph.lookup.IdTable`), so a piece costs little beyond its rows.
MAX_PIECES = 1024


class WholeFileNeeded(Exception):
    """A file :func:`csv_pieces` cannot read piece by piece exactly as :func:`read_table` reads it whole.

    Raised for what only the whole file can tell: an encoding other than UTF-8, a file-level problem
    (NUL bytes, an unclosed quote, a cell the parser rejects), bare CR line ends, a quoted cell spanning
    lines that look like rows, a quote in the header.  The caller reads the file whole instead.
    """


def _cut(block: bytes, quotes_before: int) -> int:
    """The end of the last complete row in ``block`` (just past a line end outside quotes), or -1.

    A line end is outside quotes when the number of quote bytes before it is even (``""`` inside a quoted
    cell counts twice), as :func:`_open_quote_line` counts them.
    """
    end = block.rfind(b"\n")
    while end >= 0:
        if (quotes_before + block.count(b'"', 0, end)) % 2 == 0:
            return end + 1
        end = block.rfind(b"\n", 0, end)
    return -1


def csv_pieces(
    path: Path, kind: str, *, name: str | None = None, ignore_unknown: bool = False, piece_bytes: int | None = None
) -> Iterator[RawTable]:
    """A CSV file read in pieces of whole rows, each a :class:`RawTable` as :func:`read_table` reads that part.

    The first piece is read as the file's start (BOM, title rows, header); each later one as the header line
    followed by its rows, its line numbers moved to where the rows are in the file.  Together the pieces hold
    what :func:`read_table` would give for the whole file (rows, lines, problems, warnings once), with memory
    for one piece.  Raises :class:`WholeFileNeeded` when only the whole file can tell (see there); rows already
    yielded are then to be dropped.
    """
    file = name or str(path)
    size = path.stat().st_size
    step = piece_bytes or max(PIECE_BYTES, -(-size // MAX_PIECES))
    with path.open("rb") as fh:
        header, header_line = b"", 0
        line = 1  # the file's line where the next piece starts
        carry, eof, first = b"", False, True
        while True:
            block = carry
            if not eof:
                chunk = fh.read(step)
                eof = len(chunk) < step
                block += chunk
            cut = len(block) if eof else _cut(block, 0)
            while not eof and cut < (_ten_lines(block) if first else 0):  # no row ends in the block (a huge
                # quoted cell), or the first piece lacks the lines the header is looked for in: read on
                more = fh.read(step)
                eof = len(more) < step
                block += more
                cut = len(block) if eof else _cut(block, 0)
            piece, carry = block[:cut], block[cut:]
            if not piece:
                if first:  # an empty file: read whole, for its message
                    raise WholeFileNeeded(file)
                return
            if b"\r" in piece and piece.count(b"\r") != piece.count(b"\r\n"):
                raise WholeFileNeeded(file)
            if first:
                raw, problems = read_csv_bytes(piece, kind, file=file, ignore_unknown=ignore_unknown)
                if raw is None:
                    raise WholeFileNeeded(file)
                header, header_line = _header_bytes(piece, kind)
                if header.count(b'"') % 2:  # a quoted header cell over lines: the header is not one line
                    raise WholeFileNeeded(file)
            else:
                moved, problems = read_csv_bytes(header + piece, kind, file=file, ignore_unknown=ignore_unknown)
                if moved is None:
                    raise WholeFileNeeded(file)
                raw = _moved(moved, line - 2, header_line)
                problems = [dataclasses.replace(p, line=p.line + line - 2 if p.line is not None else None)
                            for p in problems]  # fmt: skip
            if raw.encoding != "utf-8" or any("which look like rows" in w.message for w in raw.warnings):
                raise WholeFileNeeded(file)
            yield dataclasses.replace(raw, read_problems=tuple(problems)) if problems else raw
            line += piece.count(b"\n")
            first = False
            if eof and not carry:
                return


def _ten_lines(data: bytes) -> int:
    """Where the first ten lines end (the header is one of them); past the end when ``data`` holds fewer."""
    end = 0
    for _ in range(10):
        nxt = data.find(b"\n", end)
        if nxt < 0:
            return len(data) + 1
        end = nxt + 1
    return end


def _header_bytes(data: bytes, kind: str) -> tuple[bytes, int]:
    """The header line's bytes (with its line end) and its line number, found as :func:`read_csv_bytes` finds it."""
    bom = 0
    while data.startswith(b"\xef\xbb\xbf", bom):
        bom += 3
    head_end = bom
    for _ in range(10):
        nxt = data.find(b"\n", head_end)
        head_end = len(data) if nxt < 0 else nxt + 1
    at = choose_header(_head_rows(data[bom:head_end].decode("utf-8", errors="replace")), kind)
    start = bom
    for _ in range(at):
        start = data.index(b"\n", start) + 1
    end = data.find(b"\n", start)
    return data[start : len(data) if end < 0 else end + 1], at + 1


def _moved(raw: RawTable, offset: int, header_line: int) -> RawTable:
    """A later piece's table with its lines moved by ``offset``; what it says of the header line said of the file's."""
    warnings = tuple(
        dataclasses.replace(w, line=header_line if w.line == 1 else (w.line + offset if w.line is not None else None))
        for w in raw.warnings
    )
    return dataclasses.replace(raw, lines=raw.lines + offset, warnings=warnings)
