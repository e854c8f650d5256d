"""Invoice-level input: tax-invoice rows turned into links.csv (``chaingraph ingest invoices``).

National and provincial platforms hold supply data as VAT-invoice lines: who
sold (销方纳税人识别号) what (货物或应税劳务名称) to whom (购方纳税人识别号),
for how much (金额) and when (开票日期).  :func:`ingest_invoices` turns such
rows into the links table of docs/analysis.md: one active link per (seller,
buyer, product) with the yearly value of one period (a calendar year, or the
twelve months from a given month), so that every analysis runs on it.

The rules (docs/analysis.md, "Invoices") are one relational formulation, SQL
text run by two engines:

* ``duckdb`` (embedded, the default): the files are streamed through
  pyarrow's CSV reader in blocks, each block validated and summed by DuckDB
  to one row per (seller, buyer, product, month), so memory holds those sums
  and one block, never the files;
* ``spark``: the same SQL on a SparkSession (local mode or a cluster); the
  files may be any path Spark reads (``hdfs://``, ``s3a://``, a local folder).

Both report every bad row with file, line, column and value, as the loader
does, and write nothing when there is one.
"""

from __future__ import annotations

import csv
import re
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chaingraph.errors import ChaingraphError, InputError, Problem, param
from chaingraph.rawtables import ALIASES
from chaingraph.spark_tables import Header, csv_lines, header_of, line_numbers, spark_uri
from chaingraph.spreadsheet import FORMULA_STARTS, GUARD_PATTERN

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["COLUMNS", "MAX_PROBLEMS", "IngestSummary", "Period", "ingest_invoices"]

#: The invoice columns read (canonical names; ALIASES["invoices"] has the Chinese headers).
COLUMNS = tuple(ALIASES["invoices"])
#: Problems collected before the rest are only counted (a file of 100M bad rows must not fill memory).
MAX_PROBLEMS = 10_000
_MAX_AMOUNT = "10000000000000"  # 10^13 yuan, the loader's MAX_MONEY
_UNITS = {"元": 1, "人民币": 1, "人民币元": 1, "千元": 1_000, "万": 10_000, "万元": 10_000,
          "百万": 1_000_000, "百万元": 1_000_000, "亿": 100_000_000, "亿元": 100_000_000}  # fmt: skip
_FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
_ASCII = "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F))
_INVISIBLE = "[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
_SPACE = "[\\s\u3000\u00a0]"
_SEPARATED = "^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?$"
_COMPACT = "^([0-9]{4})([0-9]{2})([0-9]{2})([ T]?[0-9]{6})?$"


@dataclass(frozen=True)
class Period:
    """Twelve months of invoices, ``start`` to ``end`` as ``yyyymm`` (both included).

    Examples
    --------
    >>> Period.parse("2024"), Period.parse("2024-07").label
    (Period(start=202401, end=202412), '2024-07..2025-06')
    >>> Period.parse("2024").label
    '2024'
    """

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """``YYYY`` (a calendar year) or ``YYYY-MM`` (the twelve months from that month)."""
        m = re.fullmatch(r"\s*(\d{4})(?:[-/.年](\d{1,2})月?)?\s*", text)
        if not m or not 1 <= int(m.group(2) or 1) <= 12:
            raise ChaingraphError(
                f"{param('period')} {text!r} is not a year or a month: write 2024 (the calendar year) or 2024-07 "
                "(the twelve months from July 2024)."
            )
        year, month = int(m.group(1)), int(m.group(2) or 1)
        end_year, end_month = (year, 12) if month == 1 else (year + 1, month - 1)
        return cls(year * 100 + month, end_year * 100 + end_month)

    @property
    def label(self) -> str:
        if self.start % 100 == 1:
            return str(self.start // 100)
        return f"{self.start // 100}-{self.start % 100:02d}..{self.end // 100}-{self.end % 100:02d}"


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest read and wrote (every count is of invoice rows unless it says links)."""

    engine: str
    period: Period
    output: str
    files: int
    rows: int
    blank_lines: int
    in_period: int
    outside: dict[int, int]
    refunds: int
    duplicates: int
    links: int
    not_positive: int
    total_value: Decimal
    notes: tuple[str, ...] = field(default=())

    def lines(self) -> list[str]:
        """The summary in words, for the terminal."""
        out = [f"read {self.rows:,} invoice rows from {self.files} file(s) ({self.engine})"]
        out.append(f"period {self.period.label}: {self.in_period:,} rows in it")
        if self.outside:
            years = ", ".join(f"{y}: {n:,}" for y, n in sorted(self.outside.items()))
            out.append(f"left out {sum(self.outside.values()):,} rows dated outside the period ({years})")
        if self.refunds:
            out.append(f"netted {self.refunds:,} refund rows (negative amounts, 红字发票) against their links")
        if self.duplicates:
            out.append(f"counted {self.duplicates:,} repeated invoice lines once (same 发票号码, parties, product, "
                       "amount and date)")  # fmt: skip
        if self.not_positive:
            out.append(f"left out {self.not_positive:,} (seller, buyer, product) whose net value in the period "
                       "is 0 or negative (refunded in full)")  # fmt: skip
        out.append(f"wrote {self.links:,} links, {_yuan(self.total_value)} in all, to {self.output}")
        return out + list(self.notes)


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f} 元"


# --- the one formulation: SQL, per dialect --------------------------------------------------------------------


@dataclass(frozen=True)
class _Dialect:
    name: str
    rx: str  # a regular-expression search returning a boolean
    g: str  # regexp_replace's "replace all" argument
    text: str  # the text type
    bytes: str  # a string's length in bytes

    def sql(self, text: str) -> str:
        """The SQL as this engine reads it (Spark's string literals take backslash escapes)."""
        text = text.replace("{RX}", self.rx).replace("{G}", self.g).replace("{TEXT}", self.text)
        text = text.replace("{BYTES}", self.bytes)
        return text.replace("\\", "\\\\") if self.name == "spark" else text


_DUCKDB = _Dialect("duckdb", "regexp_matches", ", 'g'", "VARCHAR", "strlen")
_SPARK = _Dialect("spark", "regexp_like", "", "STRING", "octet_length")


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _parsed_sql(relation: str, *, fields: int, factor: int, dedup: bool) -> str:
    """Every invoice row typed, with one problem code (or NULL) per column: the rules of docs/analysis.md.

    Each rule has a fast path for the common cell (an ASCII id with no space at
    its ends, a plain number, a ``YYYY-MM-DD`` date) and the loader's full
    rule (full-width forms, invisible characters, units, separators, Chinese
    dates) only for the other cells: regular expressions cost most.
    """
    clean = _lit(f"^{_SPACE}+|{_SPACE}+$|{_INVISIBLE}")
    plain = "({BYTES}({x}) = length({x}) AND NOT ({x} LIKE ' %' OR {x} LIKE '% '))"  # ASCII, no space at an end
    idn = (f"CASE WHEN {plain} THEN {{x}} ELSE regexp_replace(translate({{x}}, {_lit(_FULL_WIDTH)}, {_lit(_ASCII)}), "
           f"{clean}, ''{{G}}) END")  # fmt: skip
    txt = f"CASE WHEN {plain} THEN {{x}} ELSE regexp_replace({{x}}, {clean}, ''{{G}}) END"
    units = "|".join(sorted(_UNITS, key=len, reverse=True))
    factor_case = " ".join(f"WHEN {_lit(u)} THEN {f}" for u, f in _UNITS.items())
    dkey = ("CASE WHEN inv <> '' THEN concat_ws('|', code, inv, CAST(amount AS {TEXT}), CAST(ymd AS {TEXT})) END"
            if dedup else "CAST(NULL AS {TEXT})")  # fmt: skip
    return f"""
WITH t AS (
  SELECT file, pos, blk, nfields, s_seller, s_buyer, s_product, s_amount, s_date,
    {idn.replace("{x}", "s_seller")} AS seller, {idn.replace("{x}", "s_buyer")} AS buyer,
    {txt.replace("{x}", "s_product")} AS product, {txt.replace("{x}", "s_amount")} AS t_amount,
    {txt.replace("{x}", "s_date")} AS t_date, {idn.replace("{x}", "s_invoice_id")} AS inv,
    {idn.replace("{x}", "s_invoice_code")} AS code,
    (s_seller = '' AND s_buyer = '' AND s_product = '' AND s_amount = '' AND s_date = ''
     AND s_invoice_id = '' AND s_invoice_code = '' AND nfields <= {fields}) AS blank
  FROM {relation}
), f AS (
  SELECT *, TRY_CAST(t_amount AS DECIMAL(32, 6)) AS a_fast,
    CASE WHEN length(t_date) = 10 AND substr(t_date, 5, 1) = '-' AND substr(t_date, 8, 1) = '-'
      THEN TRY_CAST(t_date AS DATE) END AS d_fast
  FROM t
), a AS (
  SELECT *, regexp_extract(a_clean, '({units})$', 1) AS a_unit, regexp_replace(a_clean, '({units})$', '') AS a_num
  FROM (SELECT *, CASE WHEN a_fast IS NULL THEN regexp_replace(t_amount, '[¥￥\\s]', ''{{G}}) END AS a_clean
        FROM f) t1
), b AS (
  SELECT *, {{RX}}(a_num, '^[+-]?[0-9]{{1,3}}([,，][0-9]{{3}})+([.][0-9]+)?$') AS a_grouped,
    CASE WHEN d_fast IS NULL THEN t_date END AS d_slow
  FROM a
), b2 AS (
  SELECT *,
    TRY_CAST(NULLIF(regexp_extract(d_slow, {_lit(_SEPARATED)}, 1), '') AS INT) AS y1,
    TRY_CAST(NULLIF(regexp_extract(d_slow, {_lit(_SEPARATED)}, 2), '') AS INT) AS m1,
    TRY_CAST(NULLIF(regexp_extract(d_slow, {_lit(_SEPARATED)}, 3), '') AS INT) AS d1,
    TRY_CAST(NULLIF(regexp_extract(d_slow, {_lit(_COMPACT)}, 1), '') AS INT) AS y2,
    TRY_CAST(NULLIF(regexp_extract(d_slow, {_lit(_COMPACT)}, 2), '') AS INT) AS m2,
    TRY_CAST(NULLIF(regexp_extract(d_slow, {_lit(_COMPACT)}, 3), '') AS INT) AS d2
  FROM b
), c AS (
  SELECT *, CASE WHEN a_grouped THEN regexp_replace(a_num, '[,，]', ''{{G}}) ELSE a_num END AS a_plain,
    (NOT a_grouped AND {{RX}}(a_num, '[,，]')) AS a_comma,
    CASE WHEN d_fast IS NOT NULL THEN year(d_fast) ELSE COALESCE(y1, y2) END AS y,
    CASE WHEN d_fast IS NOT NULL THEN month(d_fast) ELSE COALESCE(m1, m2) END AS m,
    CASE WHEN d_fast IS NOT NULL THEN day(d_fast) ELSE COALESCE(d1, d2) END AS d,
    CASE a_unit {factor_case} ELSE {factor} END AS a_factor
  FROM b2
), d AS (
  SELECT *, (a_fast IS NOT NULL OR {{RX}}(a_plain, '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$')) AS a_ok,
    (y IS NOT NULL AND m BETWEEN 1 AND 12 AND d >= 1 AND d <= CASE WHEN m IN (1, 3, 5, 7, 8, 10, 12) THEN 31
       WHEN m IN (4, 6, 9, 11) THEN 30 WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END) AS date_ok
  FROM c
), e AS (
  SELECT *, CASE WHEN a_fast IS NOT NULL THEN CAST(a_fast * {factor} AS DECIMAL(38, 6))
      WHEN a_ok THEN CAST(TRY_CAST(a_plain AS DECIMAL(32, 6)) * a_factor AS DECIMAL(38, 6)) END AS amount,
    CASE WHEN date_ok THEN y * 10000 + m * 100 + d END AS ymd, CASE WHEN date_ok THEN y * 100 + m END AS ym
  FROM d
), p AS (
  SELECT *,
    CASE WHEN nfields > {fields} THEN 'fields' END AS p_fields,
    CASE WHEN seller = '' THEN 'empty' END AS p_seller_id,
    CASE WHEN buyer = '' THEN 'empty' WHEN buyer = seller THEN 'self' END AS p_buyer_id,
    CASE WHEN product = '' THEN 'empty' END AS p_product,
    CASE WHEN t_amount = '' THEN 'empty' WHEN a_fast IS NOT NULL AND abs(amount) <= CAST({_MAX_AMOUNT} AS DECIMAL(38, 6))
      THEN NULL WHEN a_comma THEN 'comma'
      WHEN NOT a_ok THEN CASE WHEN {{RX}}(t_amount, '^[0-9]{{4}}[-/][0-9]{{1,2}}[-/][0-9]{{1,2}}') THEN 'date' ELSE 'nan' END
      WHEN amount IS NULL OR abs(amount) > CAST({_MAX_AMOUNT} AS DECIMAL(38, 6)) THEN 'huge' END AS p_amount,
    CASE WHEN t_date = '' THEN 'empty' WHEN y IS NULL THEN 'nodate' WHEN NOT date_ok THEN 'noday' END AS p_date
  FROM e
)
SELECT file, pos, blk, nfields, blank, seller, buyer, product, amount, ymd, ym, {dkey} AS dkey, bad,
  CASE WHEN bad THEN s_seller END AS s_seller, CASE WHEN bad THEN s_buyer END AS s_buyer,
  CASE WHEN bad THEN s_product END AS s_product, CASE WHEN bad THEN s_amount END AS s_amount,
  CASE WHEN bad THEN s_date END AS s_date, p_fields, p_seller_id, p_buyer_id, p_product, p_amount, p_date
FROM (
  SELECT *, (NOT blank AND (p_fields IS NOT NULL OR p_seller_id IS NOT NULL OR p_buyer_id IS NOT NULL
    OR p_product IS NOT NULL OR p_amount IS NOT NULL OR p_date IS NOT NULL)) AS bad
  FROM p
) q
"""


# Sums per (seller, buyer, product, month); with the period known, the period's months are one key (its first).
_MONTHLY = """
SELECT seller, buyer, product, {ym} AS ym, dkey, sum(amount) AS value, count(*) AS n,
  sum(CASE WHEN amount < 0 THEN 1 ELSE 0 END) AS refunds, min(amount) AS one
FROM {relation} WHERE NOT bad AND NOT blank
GROUP BY seller, buyer, product, {ym}, dkey
"""
# Partial sums of several blocks merged (the embedded engine keeps memory at the number of keys, not of rows).
_MERGE = """
SELECT seller, buyer, product, ym, dkey, sum(value) AS value, sum(n) AS n, sum(refunds) AS refunds, min(one) AS one
FROM {relation} GROUP BY seller, buyer, product, ym, dkey
"""


def _month_key(period: Period | None) -> str:
    return (
        "ym"
        if period is None
        else f"CASE WHEN ym BETWEEN {period.start} AND {period.end} THEN {period.start} ELSE ym END"
    )


# A repeated invoice line (same dkey: 发票代码, 发票号码, amount, date, parties, product) counts once.
_KEYED = """
WITH g AS (
  SELECT seller, buyer, product, ym, dkey, sum(value) AS value, sum(n) AS n, sum(refunds) AS refunds, min(one) AS one
  FROM {relation} GROUP BY seller, buyer, product, ym, dkey
)
SELECT seller, buyer, product, ym, CASE WHEN dkey IS NULL THEN value ELSE one END AS value, n,
  CASE WHEN dkey IS NULL THEN 0 ELSE n - 1 END AS dups, CASE WHEN dkey IS NULL THEN refunds ELSE sign(refunds) END
  AS refunds
FROM g
"""

_YEARS = "SELECT CAST(floor(ym / 100) AS INT) AS y, sum(n) AS n FROM {relation} GROUP BY CAST(floor(ym / 100) AS INT)"

_LINKS = """
SELECT seller, buyer, product, sum(value) AS value, sum(n) AS n, sum(dups) AS dups, sum(refunds) AS refunds
FROM {relation} WHERE ym BETWEEN {start} AND {end}
GROUP BY seller, buyer, product
"""


# links.csv: the links contract (docs/analysis.md, "Loading"), values exact to 10^-6 元, trailing zeros dropped.
def _inert(column: str) -> str:
    """SQL of :func:`chaingraph.spreadsheet.inert`: a cell a spreadsheet would run as a formula gets a guard ``'``.

    links.csv is a data file for chaingraph, and also a file a team opens in Excel: the guard keeps
    ``=HYPERLINK(…)`` a name there, and the loader takes it off again
    (:func:`chaingraph.spreadsheet.guard_removed`), so links.csv loads back to the invoices' very ids
    and product names.  The first character is looked at before the regular expression runs.
    """
    starts = ", ".join(_lit(c) for c in FORMULA_STARTS + "' \u3000")
    return (f"CASE WHEN substr({column}, 1, 1) IN ({starts}) AND {{{{RX}}}}({column}, {_lit(GUARD_PATTERN)}) "
            f"THEN concat({_lit(chr(39))}, {column}) ELSE {column} END")  # fmt: skip


_OUTPUT = f"""
SELECT {_inert("seller")} AS supplier_id, {_inert("buyer")} AS buyer_id, {_inert("product")} AS product,
  regexp_replace(regexp_replace(CAST(value AS {{{{TEXT}}}}), '0+$', ''), '[.]$', '') AS annual_value,
  'active' AS status, concat('发票明细 ', CAST(n AS {{{{TEXT}}}}), ' 行，{{label}}') AS note
FROM {{relation}} WHERE value > 0
ORDER BY seller, buyer, {{relation}}.product
"""


# --- problems, worded as the loader words them ----------------------------------------------------------------

_PROBLEM_COLUMNS = ("seller_id", "buyer_id", "product", "amount", "date")


def _problem(code: str, column: str, header: str, headers: dict[str, str], fields: int) -> tuple[str, str]:
    """(message, hint) of a problem code, in the loader's words where the loader has the rule."""
    if code == "empty":
        return "a required value is empty", f"Fill in {header!r} or delete the row."
    if code == "self":
        return "an enterprise cannot supply itself", (
            f"Correct {headers.get('seller_id', 'seller_id')} or {headers.get('buyer_id', 'buyer_id')}."
        )
    if code == "comma":
        return ("a comma that is not a thousands separator (a decimal comma?)",
                "Write 1.5 for one and a half; a thousands separator groups three digits (1,500).")  # fmt: skip
    if code == "nan":
        return "not a number", "Write plain yuan, e.g. 2850 or -2850.5 (a refund)."
    if code == "date":
        return "a date, not a number", (
            "Excel turned the entry into a date: format the column as 数值 (number) and type it again."
        )
    if code == "huge":
        return "implausibly large amount (over 10万亿)", "Check the unit: amounts are in yuan."
    if code == "nodate":
        return "not a date", "Write the invoice date as 2024-03-05 (also 2024/3/5, 20240305 or 2024年3月5日)."
    if code == "noday":
        return "no such day", "Check the month and the day."
    if code == "fields":
        return f"the row has more fields than the header's {fields}", (
            "Remove the extra commas, or quote the cell that holds a comma."
        )
    return code, ""  # pragma: no cover (every code is worded above)


def _problems_of(rows: list[dict[str, Any]], tables: dict[int, Header]) -> list[Problem]:
    out = []
    for r in rows:
        h = tables[r["file"]]
        if r["p_fields"] is not None:
            msg, hint = _problem("fields", "", "", h.headers, h.fields)
            out.append(Problem(h.name, int(r["line"]), None, None, msg, hint))
            continue  # its cells are shifted: what they hold says nothing more
        for col in _PROBLEM_COLUMNS:
            code = r[f"p_{col}"]
            if code is None:
                continue
            header = h.headers.get(col, col)
            msg, hint = _problem(code, col, header, h.headers, h.fields)
            out.append(Problem(h.name, int(r["line"]), header, str(r[f"s_{col.removesuffix('_id')}"] or ""), msg, hint))
    return out


# --- reading headers --------------------------------------------------------------------------------------------


# --- the embedded engine --------------------------------------------------------------------------------------


def _local_files(files: Sequence[str | Path]) -> list[Path]:
    out: list[Path] = []
    for f in files:
        p = Path(f)
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.suffix.lower() in (".csv", ".txt") and q.is_file())
            if not found:
                raise InputError([Problem(str(p), None, None, None, "the folder holds no .csv files", "")])
            out += found
        elif p.is_file():
            out.append(p)
        else:
            raise InputError([Problem(str(p), None, None, None, "no such file or folder", "Check the path.")])
    return out


def _batches(h: Header, *, block: int) -> Iterator[tuple[pa.RecordBatch, list[Any]]]:
    """pyarrow's streaming CSV reader over one file, every column as text; rows it cannot split are collected."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    invalid: list[Any] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row)
        return "skip"

    reader = pcsv.open_csv(
        h.path,
        read_options=pcsv.ReadOptions(column_names=h.names, skip_rows=h.line, block_size=block,
                                      encoding=h.encoding),
        parse_options=pcsv.ParseOptions(ignore_empty_lines=False, invalid_row_handler=on_invalid),
        convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(h.names, pa.large_string()),
                                            strings_can_be_null=False, quoted_strings_can_be_null=False,
                                            include_columns=[c for c in h.names if c in COLUMNS]),
    )  # fmt: skip
    for batch in reader:
        yield batch, invalid


def _exact_batches(h: Header, *, rows: int = 500_000) -> Iterator[tuple[pa.RecordBatch, list[int]]]:
    """The slow, exact reader (Python's csv module) for a file pyarrow cannot split cleanly.

    Each row keeps its physical line (a quoted cell may span lines); a row with
    fewer fields than the header gets empty trailing cells, as the loader reads
    it; ``nfields`` tells rows with more fields.
    """
    import pyarrow as pa

    wanted = [(i, c) for i, c in enumerate(h.names) if c in COLUMNS]
    with open(h.path, encoding=h.encoding, errors="replace", newline="") as f:
        if f.read(1) != "\ufeff":
            f.seek(0)
        reader = csv.reader(f)
        for _ in range(h.line):
            next(reader, None)
        cols: dict[str, list[str]] = {c: [] for _, c in wanted}
        lines: list[int] = []
        nfields: list[int] = []
        last = h.line
        for cells in reader:
            lines.append(last + 1)
            last = reader.line_num
            nfields.append(len(cells))
            for i, c in wanted:
                cols[c].append(cells[i].strip() if i < len(cells) else "")
            if len(lines) >= rows:
                yield pa.RecordBatch.from_pydict({**cols}), [*zip(lines, nfields, strict=True)]  # type: ignore[list-item]
                cols = {c: [] for _, c in wanted}
                lines, nfields = [], []
        if lines:
            yield pa.RecordBatch.from_pydict({**cols}), [*zip(lines, nfields, strict=True)]  # type: ignore[list-item]


def _as_raw(batch: pa.RecordBatch, *, file: int, lines: Any, nfields: Any) -> pa.Table:
    """A block as the SQL's input relation: ``file``, ``pos`` (the line), ``nfields`` and ``s_<column>`` text."""
    import numpy as np
    import pyarrow as pa

    n = batch.num_rows
    data: dict[str, Any] = {"file": pa.array(np.full(n, file, dtype=np.int32)), "pos": pa.array(lines),
                            "blk": pa.array(np.zeros(n, dtype=np.int64)), "nfields": pa.array(nfields)}  # fmt: skip
    for c in COLUMNS:
        short = c.removesuffix("_id") if c in ("seller_id", "buyer_id") else c
        idx = batch.schema.get_field_index(c)
        data[f"s_{short}"] = batch.column(idx) if idx >= 0 else pa.array([""] * n, type=pa.large_string())
    return pa.table(data)


def _ingest_duckdb(headers: list[Header], *, block: int, threads: int | None, period: Period | None
                   ) -> tuple[Any, list[Problem], int, int]:  # fmt: skip
    """Validate and sum every file into the DuckDB table ``monthly``: (connection, problems, rows, blank lines).

    A file is first read by pyarrow's fast reader; when it holds a row pyarrow
    cannot split (a cell spanning lines, too many or too few fields), the file's
    sums are dropped and it is read again by Python's csv module, which keeps
    every physical line number.
    """
    import duckdb
    import numpy as np

    con = duckdb.connect(":memory:", config={"preserve_insertion_order": "false"})
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("CREATE TABLE monthly (seller VARCHAR, buyer VARCHAR, product VARCHAR, ym INT, dkey VARCHAR, "
                "value DECIMAL(38, 6), n HUGEINT, refunds HUGEINT, one DECIMAL(38, 6))")  # fmt: skip
    dedup = any("invoice_id" in h.headers for h in headers)
    found: list[dict[str, Any]] = []
    bad_total = rows_total = blank_total = 0
    for k, h in enumerate(headers):
        parsed = _DUCKDB.sql(_parsed_sql("raw", fields=h.fields, factor=h.factor, dedup=dedup))
        for exact in (False, True):
            con.execute("CREATE OR REPLACE TEMP TABLE mf AS SELECT * FROM monthly LIMIT 0")
            held, compacted = 0, 0
            rows: list[dict[str, Any]] = []
            n_bad = n_rows = n_blank = 0
            base, broken = h.line + 1, False
            source: Iterator[tuple[Any, Any]] = _exact_batches(h) if exact else _batches(h, block=block)
            for batch, extra in source:
                if exact:
                    lines = np.array([x[0] for x in extra], dtype=np.int64)
                    nfields = np.array([x[1] for x in extra], dtype=np.int32)
                elif extra:  # pyarrow could not split a row: the lines after it are unknown
                    broken = True
                    break
                else:
                    lines = np.arange(base, base + batch.num_rows, dtype=np.int64)
                    nfields = np.full(batch.num_rows, h.fields, dtype=np.int32)
                    base += batch.num_rows
                raw = _as_raw(batch, file=k, lines=lines, nfields=nfields)
                con.register("raw", raw)
                con.execute(f"CREATE OR REPLACE TEMP TABLE p AS {parsed}")
                con.unregister("raw")
                counts = con.execute("SELECT count(*), count(*) FILTER (WHERE blank), count(*) FILTER (WHERE bad) "
                                     "FROM p").fetchall()[0]  # fmt: skip
                n, blank, bad = counts
                n_rows, n_blank, n_bad = n_rows + n, n_blank + blank, n_bad + bad
                room = MAX_PROBLEMS - len(found) - len(rows)
                if bad and room > 0:
                    cur = con.execute(f"SELECT pos AS line, * FROM p WHERE bad ORDER BY pos LIMIT {room}")
                    names = [d[0] for d in cur.description]
                    rows += [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
                if not (bad_total or n_bad):  # once a row is bad nothing is written: only problems are gathered
                    con.execute(f"INSERT INTO mf {_MONTHLY.format(relation='p', ym=_month_key(period))}")
                    held += n
                    if held > 4_000_000 + 2 * compacted:  # rows of partial sums: merge them
                        con.execute(f"CREATE OR REPLACE TEMP TABLE mf AS {_MERGE.format(relation='mf')}")
                        compacted = held = int(con.execute("SELECT count(*) FROM mf").fetchall()[0][0])
            if not broken:
                break
        con.execute(f"INSERT INTO monthly {_MERGE.format(relation='mf')}")
        found += rows
        bad_total += n_bad
        rows_total += n_rows - n_blank
        blank_total += n_blank
    con.execute("DROP TABLE IF EXISTS p")
    con.execute("DROP TABLE IF EXISTS mf")
    problems = _problems_of(found, dict(enumerate(headers)))
    if bad_total > len(found):
        problems.append(Problem(headers[0].name if len(headers) == 1 else "(files)", None, None, None,
                                f"and {bad_total - len(found):,} more bad rows, not listed",
                                "Fix the rows above, then run again to see the rest."))  # fmt: skip
    return con, problems, rows_total, blank_total


def _write_duckdb(con: Any, period: Period, out: Path) -> tuple[int, int, Decimal, int, int, int]:
    """Write links.csv from ``monthly``: (links, not positive, total value, duplicates, refunds, rows in period)."""
    from chaingraph.outputs import atomic_file

    con.execute(f"CREATE TEMP TABLE keyed AS {_KEYED.format(relation='monthly')}")
    con.execute(f"CREATE TEMP TABLE links AS {_LINKS.format(relation='keyed', start=period.start, end=period.end)}")
    stats = con.execute("SELECT count(*) FILTER (WHERE value > 0), count(*) FILTER (WHERE value <= 0), "
                        "COALESCE(sum(value) FILTER (WHERE value > 0), 0), COALESCE(sum(dups), 0), "
                        "COALESCE(sum(refunds), 0), COALESCE(sum(n), 0) FROM links").fetchall()[0]  # fmt: skip
    links, not_positive, total, dups, refunds, n = stats
    select = _DUCKDB.sql(_OUTPUT.format(relation="links", label=period.label))
    target = out / "links.csv"
    with atomic_file(target) as tmp:
        body = tmp.with_name(tmp.name + ".body")
        try:
            con.execute(f"COPY ({select}) TO {_lit(str(body))} (FORMAT csv, HEADER true)")
            with open(tmp, "wb") as f, open(body, "rb") as b:
                f.write(b"\xef\xbb\xbf")  # Excel on a Chinese Windows reads UTF-8 only with a BOM
                shutil.copyfileobj(b, f, 1 << 20)
        finally:
            body.unlink(missing_ok=True)
    return int(links), int(not_positive), Decimal(total), int(dups), int(refunds), int(n)


def _years(con_or_rows: list[tuple[int, int]], period: Period | None) -> tuple[Period, dict[int, int]]:
    """The period (given, or the one year the invoices are in) and the rows outside it, by year."""
    by_year = {int(y): int(n) for y, n in con_or_rows if y is not None}
    if period is None:
        if len(by_year) != 1:
            years = ", ".join(f"{y} ({n:,} rows)" for y, n in sorted(by_year.items())) or "none"
            raise ChaingraphError(f"the invoices span several years: {years}. Pass {param('year')} (e.g. "
                                  f"{param('year')} {max(by_year) if by_year else 2024}) or {param('period')} "
                                  "YYYY-MM (twelve months from that month).")  # fmt: skip
        period = Period.parse(str(next(iter(by_year))))
    outside: dict[int, int] = {}
    return period, outside


# --- Spark --------------------------------------------------------------------------------------------------------


def _ingest_spark(spark: SparkSession, files: Sequence[str], period: Period | None, output: str
                  ) -> tuple[Period, dict[int, int], int, int, int, int, Decimal, int, int, int, int]:  # fmt: skip
    from pyspark import StorageLevel

    raw, lines, headers = csv_lines(spark, files, kind="invoices", short={"seller_id": "seller", "buyer_id": "buyer"})
    tag = uuid.uuid4().hex[:8]
    dedup = any("invoice_id" in h.headers for h in headers)
    if len({(h.fields, h.factor) for h in headers}) > 1:
        parsed_parts = []
        for fields, factor in sorted({(h.fields, h.factor) for h in headers}):
            ids = [k for k, h in enumerate(headers) if (h.fields, h.factor) == (fields, factor)]
            view = f"cg_raw_{tag}_{fields}_{factor}"
            raw.where(raw["file"].isin(ids)).createOrReplaceTempView(view)
            parsed_parts.append(spark.sql(_SPARK.sql(_parsed_sql(view, fields=fields, factor=factor, dedup=dedup))))
        parsed = parsed_parts[0]
        for p in parsed_parts[1:]:
            parsed = parsed.unionByName(p)
    else:
        raw.createOrReplaceTempView(f"cg_raw_{tag}")
        parsed = spark.sql(_SPARK.sql(_parsed_sql(f"cg_raw_{tag}", fields=headers[0].fields,
                                                  factor=headers[0].factor, dedup=dedup)))  # fmt: skip
    parsed.createOrReplaceTempView(f"cg_parsed_{tag}")
    try:
        n_rows, n_blank, n_bad = spark.sql(
            f"SELECT count(*), count(*) FILTER (WHERE blank), count(*) FILTER (WHERE bad) FROM cg_parsed_{tag}"
        ).collect()[0]  # fmt: skip
        if n_bad:
            found = [r.asDict() for r in spark.sql(
                f"SELECT * FROM cg_parsed_{tag} WHERE bad ORDER BY file, pos LIMIT {MAX_PROBLEMS}").collect()]  # fmt: skip
            line_numbers(lines, found, headers)
            found.sort(key=lambda r: (r["file"], r["line"]))
            problems = _problems_of(found, dict(enumerate(headers)))
            if n_bad > len(found):
                problems.append(Problem("(files)", None, None, None, f"and {n_bad - len(found):,} more bad rows, "
                                        "not listed", "Fix the rows above, then run again to see the rest."))  # fmt: skip
            raise InputError(problems)
        monthly = spark.sql(_MONTHLY.format(relation=f"cg_parsed_{tag}", ym=_month_key(period)))
        monthly.createOrReplaceTempView(f"cg_monthly_{tag}")
        keyed = spark.sql(_KEYED.format(relation=f"cg_monthly_{tag}")).persist(StorageLevel.MEMORY_AND_DISK)
        keyed.createOrReplaceTempView(f"cg_keyed_{tag}")
        try:
            years = [(r["y"], r["n"]) for r in spark.sql(_YEARS.format(relation=f"cg_keyed_{tag}")).collect()]
            period, _ = _years(years, period)
            outside = {int(r["y"]): int(r["n"]) for r in spark.sql(
                f"SELECT CAST(floor(ym / 100) AS INT) AS y, sum(n) AS n FROM cg_keyed_{tag} "
                f"WHERE ym < {period.start} OR ym > {period.end} GROUP BY CAST(floor(ym / 100) AS INT)").collect()}  # fmt: skip
            links = spark.sql(_LINKS.format(relation=f"cg_keyed_{tag}", start=period.start, end=period.end))
            links.createOrReplaceTempView(f"cg_links_{tag}")
            s = spark.sql(f"SELECT count(*) FILTER (WHERE value > 0) AS links, count(*) FILTER (WHERE value <= 0) AS np,"
                          f" COALESCE(sum(value) FILTER (WHERE value > 0), 0) AS total, COALESCE(sum(dups), 0) AS dups,"
                          f" COALESCE(sum(refunds), 0) AS refunds, COALESCE(sum(n), 0) AS n FROM cg_links_{tag}"
                          ).collect()[0]  # fmt: skip
            out = spark.sql(_SPARK.sql(_OUTPUT.format(relation=f"cg_links_{tag}", label=period.label)))
            _spark_write(spark, out, output)
        finally:
            keyed.unpersist()
    finally:
        for v in ("raw", "parsed", "monthly", "keyed", "links"):
            spark.catalog.dropTempView(f"cg_{v}_{tag}")
    return (period, outside, len(headers), int(n_rows) - int(n_blank), int(n_blank), int(s["links"]), Decimal(s["total"]),
            int(s["np"]), int(s["dups"]), int(s["refunds"]), int(s["n"]))  # fmt: skip


def _spark_write(spark: SparkSession, df: DataFrame, output: str) -> None:
    """``output``/links.csv as one file (one task writes it, in order), through Hadoop's FileSystem."""
    from chaingraph.outputs import atomic_file

    jvm: Any = spark._jvm
    jsc: Any = spark._jsc
    conf = jsc.hadoopConfiguration()
    base = spark_uri(output).rstrip("/")
    tmp = f"{base}/.links-{uuid.uuid4().hex[:8]}.tmp"
    (df.coalesce(1).write.mode("overwrite").option("header", True).option("escape", '"')
       .option("encoding", "UTF-8").csv(tmp))  # fmt: skip
    Path_ = jvm.org.apache.hadoop.fs.Path
    fs = Path_(tmp).getFileSystem(conf)
    part = [st.getPath() for st in fs.listStatus(Path_(tmp)) if st.getPath().getName().startswith("part-")]
    target = Path_(f"{base}/links.csv")
    if fs.exists(target):
        fs.delete(target, False)
    if part:
        fs.rename(part[0], target)
    else:  # no rows: Spark writes no part file
        stream = fs.create(target)
        stream.write(bytearray("supplier_id,buyer_id,product,annual_value,status,note\n", "utf-8"))
        stream.close()
    fs.delete(Path_(tmp), True)
    if base.startswith("file:"):  # a local file is opened in Excel: UTF-8 with a BOM, as every chaingraph CSV
        local = Path(str(target.toUri().getPath()))
        with atomic_file(local) as tmp_file, open(tmp_file, "wb") as f, open(local, "rb") as b:
            f.write(b"\xef\xbb\xbf")
            shutil.copyfileobj(b, f, 1 << 20)
        # Hadoop's local file system kept the part file's checksum beside it: stale now, and Spark would refuse
        # to read the file back (ChecksumException); without one it reads the file as it is.
        local.with_name(f".{local.name}.crc").unlink(missing_ok=True)


# --- the entry point ----------------------------------------------------------------------------------------------


def ingest_invoices(
    files: Sequence[str | Path],
    output: str | Path,
    *,
    period: Period | None = None,
    engine: str = "duckdb",
    spark: SparkSession | None = None,
    block_size: int = 16 << 20,
    threads: int | None = None,
) -> IngestSummary:
    """Turn invoice rows into ``output``/links.csv: one active link per (seller, buyer, product), its yearly value.

    Parameters
    ----------
    files
        CSV files or folders of them (``duckdb``: local paths; ``spark``: any path Spark reads).
    output
        The folder to write links.csv into (created if its parent exists).
    period
        The twelve months summed (:class:`Period`); ``None``: the one calendar
        year the invoices are in (an error when they span several).
    engine
        ``duckdb`` (embedded) or ``spark`` (``spark`` is the session to run on).
    block_size
        Bytes per block of the embedded engine's reader (memory holds a block or two).
    threads
        DuckDB's threads (default: every core).

    Raises
    ------
    InputError
        Every bad row (file, line, column, value) and every unusable file; nothing is written.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "inv.csv").write_text("销方纳税人识别号,购方纳税人识别号,货物或应税劳务名称,金额,开票日期\\n"
    ...                                "S1,B1,钢材,100.50,2024-03-01\\nS1,B1,钢材,-0.50,2024-04-01\\n", encoding="utf-8")
    >>> s = ingest_invoices([d / "inv.csv"], d / "out", period=Period.parse("2024"))
    >>> print((d / "out" / "links.csv").read_text(encoding="utf-8-sig").strip())
    supplier_id,buyer_id,product,annual_value,status,note
    S1,B1,钢材,100,active,发票明细 2 行，2024
    """
    if engine not in ("duckdb", "spark"):
        raise ChaingraphError(f"{param('engine')} {engine!r}: invoices are ingested on duckdb or spark.")
    if engine == "spark":
        if spark is None:
            raise ChaingraphError(f"the spark engine needs a session (open one with {param('master')}).")
        from chaingraph.spark_session import is_local_master

        local_out = not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", str(output))
        if local_out and not is_local_master(str(spark.sparkContext.master)):
            raise ChaingraphError(
                f"{param('output')} {str(output)!r} is a local folder, but the executors of {spark.sparkContext.master}"
                " run on other machines: write to a path the cluster shares (hdfs://…, s3a://…)."
            )
        if local_out:
            local_inputs = [Path(f) for f in files if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", str(f))]
            _prepare_output(Path(output), [q for p in local_inputs for q in (p.iterdir() if p.is_dir() else [p])])
        (period, outside, n_files, n_rows, n_blank, links, total, not_positive, dups, refunds,
         in_period) = _ingest_spark(spark, [str(f) for f in files], period, str(output))  # fmt: skip
        return IngestSummary("spark", period, f"{output}/links.csv", n_files, n_rows, n_blank, in_period, outside,
                             refunds, dups, links, not_positive, total)  # fmt: skip
    paths = _local_files(files)
    out = Path(output)
    _prepare_output(out, paths)
    headers: list[Header] = []
    problems: list[Problem] = []
    for p in paths:
        with open(p, "rb") as f:
            head = f.read(65536)
        h, found = header_of(head, kind="invoices", name=str(p), path=str(p))
        problems += found
        if h is not None:
            headers.append(h)
    if problems:
        raise InputError(problems)
    con, problems, n_rows, n_blank = _ingest_duckdb(headers, block=block_size, threads=threads, period=period)
    try:
        if problems:
            raise InputError(problems)
        years = con.execute("SELECT CAST(ym // 100 AS INT), sum(n) FROM monthly GROUP BY 1").fetchall()
        period, _ = _years(years, period)
        outside_rows = con.execute(f"SELECT CAST(ym // 100 AS INT), sum(n) FROM monthly WHERE ym < {period.start} "
                                   f"OR ym > {period.end} GROUP BY 1").fetchall()  # fmt: skip
        links, not_positive, total, dups, refunds, in_period = _write_duckdb(con, period, out)
    finally:
        con.close()
    return IngestSummary("duckdb", period, str(out / "links.csv"), len(headers), n_rows, n_blank, in_period,
                         {int(y): int(n) for y, n in outside_rows}, refunds, dups, links, not_positive, total)  # fmt: skip


def _prepare_output(out: Path, inputs: list[Path]) -> None:
    """``out`` is a folder (created if its parent exists) whose links.csv is none of the inputs."""
    from chaingraph.outputs import check_folder, refuse_inputs

    check_folder(out, parameter="output", inputs=inputs, replace=False)
    refuse_inputs(out / "links.csv", parameter="output", inputs=inputs)
    out.mkdir(exist_ok=True)
