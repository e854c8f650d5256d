"""Cells a spreadsheet can open safely, and the one CSV writer of every CSV output.

Two rules for anything chaingraph hands to Excel, WPS or LibreOffice:

* **No formula ever reaches a spreadsheet** (the OWASP CSV-injection rule):
  a text cell whose first character — after any leading white space — is
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written inert.
  In CSV it gets a leading apostrophe (``'=HYPERLINK(…)``), which Excel shows
  and treats as text; in the workbook the cell keeps its exact text as a
  string cell with Excel's own quote prefix (:func:`needs_quote`).  Numbers
  stay numbers: only text cells are touched.  A cell that already starts
  with guard apostrophes before such a character gets one more, so the
  guard can be taken off exactly: the loader reads a CSV cell ``'=x`` as
  ``=x`` and ``''=x`` as ``'=x`` (:func:`guard_removed`), and a CSV that
  chaingraph wrote for chaingraph to read (``ingest invoices``' links.csv)
  loads back to the very ids and names it was written from.
* **Control characters** (U+0000–U+001F except tab, line feed and carriage
  return; U+007F; U+0080–U+009F) cannot be stored in an ``.xlsx`` file.  The
  workbook replaces each by its visible Control Picture (U+0007 → ``␇``) and
  says how many cells it changed (:func:`printable`).

CSV files are UTF-8: with a byte-order mark when written to a file, so Excel on
a Chinese Windows reads the names right instead of guessing GBK; plain UTF-8
to a pipe, where the next program expects bare text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd

__all__ = [
    "BOM",
    "FORMULA_STARTS",
    "GUARD_PATTERN",
    "UNGUARD_PATTERN",
    "csv_text",
    "guard_removed",
    "guarded",
    "guards_removed",
    "inert",
    "needs_quote",
    "printable",
    "write_csv",
    "write_parquet",
]

BOM = "\ufeff"

#: The characters that start a formula (OWASP: = + - @ tab CR), after optional white space.
FORMULA_STARTS = "=+-@\t\r"
_STARTS = "[=+\\-@\\t\\r]"
#: A cell that a spreadsheet would read as a formula.
_FORMULA = re.compile(r"^[ \u3000]*" + _STARTS)
#: A CSV cell that gets a guard apostrophe: a formula, or a formula behind apostrophes (so the guard is reversible).
#: A regular expression that RE2 (DuckDB), Java (Spark) and Python read alike.
GUARD_PATTERN = "^'*[ \u3000]*" + _STARTS
_GUARD = re.compile(GUARD_PATTERN)
#: A CSV cell carrying a guard: apostrophes, then a formula; the loader takes off the first apostrophe.
UNGUARD_PATTERN = "^'+[ \u3000]*" + _STARTS
_UNGUARD = re.compile(UNGUARD_PATTERN)
#: Characters an .xlsx cell cannot hold, and C1 controls that show as nothing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula.

    >>> needs_quote("=1+1"), needs_quote("  @SUM(A1)"), needs_quote("-5"), needs_quote("晋钢"), needs_quote("a=b")
    (True, True, True, False, False)
    """
    return bool(_FORMULA.match(text))


def inert(value: Any) -> Any:
    """A CSV cell that no spreadsheet evaluates: text that looks like a formula gets a leading ``'``.

    Numbers, ``None`` and harmless text are returned as they are.

    >>> inert('=HYPERLINK("http://x","点我")'), inert("+86 356"), inert(-5.0), inert("晋钢")
    ('\\'=HYPERLINK("http://x","点我")', "'+86 356", -5.0, '晋钢')
    """
    if isinstance(value, str) and _GUARD.match(value):
        return "'" + value
    return value


def guarded(text: str) -> bool:
    """Whether :func:`inert` puts a guard apostrophe before ``text`` in a CSV cell.

    >>> guarded("=1+1"), guarded("'=1+1"), guarded("'晋钢"), guarded("晋钢")
    (True, True, False, False)
    """
    return bool(_GUARD.match(text))


def guard_removed(text: str) -> str:
    """A CSV cell as the value it guards: :func:`inert`'s apostrophe taken off (the loader's reading).

    Exactly the inverse of :func:`inert` on text: ``guard_removed(inert(v)) == v`` for every string ``v``.
    A cell whose apostrophe guards nothing (``'晋钢``) is read as it is.

    >>> guard_removed("'=1+1"), guard_removed("''=1+1"), guard_removed("'晋钢"), guard_removed("-5")
    ('=1+1', "'=1+1", "'晋钢", '-5')
    >>> all(guard_removed(inert(v)) == v for v in ["=a", "'=a", "''-1", "'x", "x", " @x", "'"])
    True
    """
    return text[1:] if _UNGUARD.match(text) else text


def guards_removed(column: pd.Series) -> pd.Series:
    """:func:`guard_removed` of every cell of a text column (the column itself when no cell has a guard)."""
    hit = column.str.match(UNGUARD_PATTERN).fillna(False).to_numpy(dtype=bool)
    if not hit.any():
        return column
    return column.where(~hit, column.str.slice(1))


def _picture(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def printable(text: str) -> tuple[str, bool]:
    """``text`` with every control character an .xlsx cell cannot hold made visible, and whether any was.

    >>> printable("晋\\x07钢"), printable("a\\tb")
    (('晋␇钢', True), ('a\\tb', False))
    """
    out, n = _CONTROL.subn(_picture, text)
    return out, n > 0


def _inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells made inert (numeric columns untouched; no copy when nothing changes)."""
    changed: dict[str, pd.Series] = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            continue
        text = s.map(lambda v: v if isinstance(v, str) else "", na_action="ignore").astype("string")
        hit = text.str.contains(GUARD_PATTERN, regex=True).fillna(False).to_numpy(dtype=bool)
        if hit.any():
            changed[col] = s.where(~hit, "'" + text.astype(object))
    return frame.assign(**changed) if changed else frame


def csv_text(data: pd.DataFrame | tuple[Sequence[str], Iterable[Sequence[Any]]]) -> str:
    """The CSV text of a frame, or of ``(header, rows)``: formula-safe, no BOM.

    Rows end with CR LF (RFC 4180, what Excel writes): the csv writer then quotes
    every cell holding a line end, a lone CR included, so no cell splits a row.

    >>> csv_text((["name", "value"], [["=1+1", 2.5], ["晋钢", None], ["a\\rb", 1]]))
    'name,value\\r\\n\\'=1+1,2.5\\r\\n晋钢,\\r\\n"a\\rb",1\\r\\n'
    """
    if isinstance(data, pd.DataFrame):
        return _inert_frame(data).to_csv(index=False, lineterminator="\r\n")
    header, rows = data
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([inert(h) for h in header])
    for row in rows:
        w.writerow(["" if v is None else inert(v) for v in row])
    return buf.getvalue()


def write_csv(
    data: pd.DataFrame | tuple[Sequence[str], Iterable[Sequence[Any]]], target: str | Path | IO[str]
) -> str | Path | IO[str]:
    """Write CSV for a spreadsheet: UTF-8 with BOM to a file path, plain UTF-8 to an open stream (a pipe).

    Parameters
    ----------
    data
        A frame (its index is not written), or a header and rows.
    target
        A path: the file is written with a BOM (Excel on a Chinese Windows then reads
        UTF-8).  An open text stream (stdout): the text alone.

    Returns
    -------
    The target.
    """
    text = csv_text(data)
    if isinstance(target, str | Path):
        Path(target).write_text(BOM + text, encoding="utf-8", newline="")
    else:
        target.write(text)
    return target


def write_parquet(frame: pd.DataFrame, target: str | Path) -> Path:
    """Write a result table as Parquet, the frame ``--format csv`` writes, with its types (numbers stay numbers).

    Values are kept as they are (no formula guard: Parquet is read by programs, not opened as a sheet); a
    column mixing types (text and numbers) is written as text.

    >>> import tempfile
    >>> path = write_parquet(pd.DataFrame({"product": ["钢"], "value": [1.5]}), Path(tempfile.mkdtemp()) / "g.parquet")
    >>> pd.read_parquet(path).to_dict("records")
    [{'product': '钢', 'value': 1.5}]
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {}
    for name in frame.columns:
        col = frame[name]
        try:
            columns[str(name)] = pa.array(col, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[str(name)] = pa.array([None if v is None else str(v) for v in col.tolist()], type=pa.string())
    pq.write_table(pa.table(columns) if columns else pa.table({}), Path(target), compression="zstd")
    return Path(target)
