"""Read chaingraph's CSV files: encodings, header aliases, line numbers.

Everything is read as text; :mod:`chaingraph.validate` turns text into typed
columns.  Reading is vectorised (pandas' C parser); Python only looks at the
header line.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chaingraph.errors import Problem

__all__ = ["ALIASES", "RawTable", "decode", "read_table"]

#: Canonical column → accepted headers (canonical name first).  English headers
#: match case-insensitively; Chinese headers as written.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "enterprises": {
        "id": ("id", "企业ID", "企业编号", "统一社会信用代码"),
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

_LOOKUP: dict[str, dict[str, str]] = {
    kind: {alias.casefold(): canon for canon, names in cols.items() for alias in names}
    for kind, cols in ALIASES.items()
}


@dataclass(frozen=True)
class RawTable:
    """One CSV file read as text.

    Attributes
    ----------
    file
        Name used in messages (the path as given).
    frame
        Canonical columns (known aliases renamed) as strings, blank lines
        removed, cells stripped of surrounding white space.
    lines
        For each row of ``frame``, the line number where the row starts.
    headers
        Canonical column name → header as written in the file.
    rows_in_file
        Data rows in the file (blank lines not counted).
    blank_lines
        Blank lines that were skipped.
    encoding
        ``utf-8`` or ``gb18030``.
    """

    file: str
    frame: pd.DataFrame
    lines: np.ndarray
    headers: dict[str, str]
    rows_in_file: int
    blank_lines: int
    encoding: str

    def header(self, column: str) -> str:
        """The header as the file writes it, for messages."""
        return self.headers.get(column, column)


def decode(data: bytes, *, file: str) -> tuple[str, str] | Problem:
    """Decode file bytes as UTF-8 (BOM or not), else GBK/GB18030.

    Returns the text and the encoding's name, or a :class:`Problem`.

    Examples
    --------
    >>> decode("企业".encode("gbk"), file="x.csv")
    ('企业', 'gb18030')
    >>> decode(b"\\xef\\xbb\\xbfid", file="x.csv")
    ('id', 'utf-8')
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf_err:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            line = data.count(b"\n", 0, utf_err.start) + 1
            return Problem(
                file,
                line,
                None,
                None,
                "the file is neither UTF-8 nor GBK/GB18030 text (mixed encodings or binary data)",
                "Save it again from Excel as 'CSV UTF-8' (or as CSV in one encoding).",
            )


def _header_cells(text: str) -> list[str] | None:
    """The header row's cells, stripped; ``None`` when the csv module cannot read the row."""
    try:
        first = next(csv.reader(io.StringIO(text.split("\n", 1)[0].rstrip("\r"))), [])
    except csv.Error:  # a cell over the csv module's size limit, say
        return None
    return [cell.strip() for cell in first]


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
_EOF = re.compile(r"row (\d+)")


def _fast_read(data: bytes, names: list[str]) -> pd.DataFrame | None:
    """pyarrow's multi-threaded reader for clean UTF-8 files, else ``None``.

    Clean means every row with the header's number of fields (an empty line
    reads as a row of empty cells, kept in place like the pandas path keeps
    it): then rows map to lines simply, and the pandas path, which keeps bad
    rows in place so their line numbers can be told, is not needed.  It
    reads a million links in about a quarter of a second.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
    except ImportError:  # pragma: no cover
        return None
    body = memoryview(data)[3:] if data.startswith(b"\xef\xbb\xbf") else memoryview(data)
    if bytes(body[:2]) == b"\r\n" or bytes(body[:1]) == b"\n":
        return None
    try:  # pyarrow's bad-row handler chokes on bytes that are not UTF-8: check them first, without a copy
        offsets = pa.py_buffer(np.array([0, len(body)], dtype=np.int64).tobytes())
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(body)]).cast(pa.large_string())
    except (pa.ArrowInvalid, OverflowError):
        return None
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


def read_table(path: Path, kind: str, *, name: str | None = None) -> tuple[RawTable | None, list[Problem]]:
    """Read one CSV file of ``kind`` (``enterprises``, ``links`` or ``chains``).

    Returns the table (``None`` when the file cannot be used at all) and the
    problems found while reading.  Problems with a line number are row-level;
    the others make the file unusable.
    """
    file = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [
            Problem(file, None, None, None, f"cannot read the file ({err.strerror})", "Check the path and permissions.")
        ]
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
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)]
    head = decode(first, file=file)
    if isinstance(head, Problem):
        return None, [head]
    text, encoding = head
    cells = _header_cells(text)
    if cells is None:
        return None, [Problem(file, 1, None, None, "the header row cannot be read as CSV",
                              f"Make the first row the column names: {', '.join(REQUIRED[kind])}.")]  # fmt: skip
    lookup = _LOOKUP[kind]
    names: list[str] = []
    headers: dict[str, str] = {}
    problems: list[Problem] = []
    for i, cell in enumerate(cells):
        canon = lookup.get(cell.casefold())
        if canon is None:
            names.append(f"__extra_{i}__{cell}")
            continue
        if canon in headers:
            problems.append(
                Problem(
                    file,
                    1,
                    cell,
                    None,
                    f"column {canon!r} appears twice (as {headers[canon]!r} and {cell!r})",
                    "Keep one of the two columns.",
                )
            )
        headers[canon] = cell
        names.append(canon)
    missing = [c for c in REQUIRED[kind] if c not in headers]
    for col in missing:
        accepted = " / ".join(ALIASES[kind][col])
        problems.append(
            Problem(file, 1, None, None, f"required column {col!r} is missing", f"Add a column headed {accepted}.")
        )
    if problems:
        return None, problems

    fast = _fast_read(data, names) if encoding == "utf-8" else None
    bad_records: list[int] = []
    if fast is not None:
        frame = fast
        text = ""
    else:
        decoded = decode(data, file=file)
        if isinstance(decoded, Problem):
            return None, [decoded]
        text, encoding = decoded
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                frame = pd.read_csv(
                    io.StringIO(text), dtype=str, header=0, names=names, keep_default_na=False,
                    na_values=[], skip_blank_lines=False, on_bad_lines="warn", engine="c",
                )  # fmt: skip
            except (pd.errors.ParserError, ValueError) as err:
                m = _EOF.search(str(err))
                at: int | None = int(m.group(1)) + 1 if m else None
                return None, [Problem(file, at, None, None, f"the CSV cannot be parsed ({str(err).strip()})",
                                      'Look for an unclosed quote (") near that line.')]  # fmt: skip
        for w in caught:
            for m in _SKIP.finditer(str(w.message)):
                bad_records.append(int(m.group(1)))

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
        counts = sum(
            (frame[c].str.count("\n").to_numpy(dtype=np.int64) for c in frame.columns),
            np.zeros(len(frame), dtype=np.int64),
        )
        embedded[records] = counts
        newline_shift = np.concatenate([[0], np.cumsum(embedded)[:-1]])
    lines = records + newline_shift[records]

    if fast is None or not _has_no_space(data):  # a clean file, as generated exports are, needs no trim
        for c in frame.columns:
            frame[c] = frame[c].str.strip()
    blank = np.zeros(len(frame), dtype=bool)
    if len(frame.columns):
        maybe = np.flatnonzero((frame.iloc[:, 0] == "").to_numpy())  # only rows whose first cell is empty
        if len(maybe):
            blank[maybe] = (frame.iloc[maybe] == "").all(axis=1).to_numpy()
    frame = frame.loc[~blank].reset_index(drop=True)
    lines = lines[~blank]
    for rec in bad_records:
        line = int(rec + newline_shift[min(rec, n_records)])
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
    table = RawTable(file, frame, lines, headers, len(frame) + len(bad_records), int(blank.sum()), encoding)
    return table, problems
