"""chaingraph's tables read on Spark, validated row by row where the data lives: SOURCE any path Spark reads.

The local loader (:mod:`chaingraph.load`) reads a folder into this process'
memory; a platform's tables do not fit there.  :func:`read_source` reads a
SOURCE folder (local, ``file://``, ``hdfs://``, ``s3a://`` …) of CSV or
Parquet tables on a SparkSession and gives the Spark engine
(:class:`chaingraph.spark_engine.SparkBackend`) its relations in the column
contract of :mod:`chaingraph.model`, after checking every row.

What is checked on Spark, with file, line, column and value as the loader
words it (docs/analysis.md, "Spark"): the header (aliases, units such as
年采购额(万元), a missing or doubled column), required values, ids under the
id rule (full-width forms, invisible characters, spaces at the ends), a
duplicate enterprise id (naming the first line), money and counts (units in
the cell, thousands separators, a comma that is not one, negative, over
10^13, not a number, a date), a link with no value and no volume × price,
statuses, a firm supplying itself, a link naming an unknown enterprise or an
intermediary (``via``) no enterprise has, rows with more fields than the
header.  Each link keeps its ``via`` (normalised as the loader does) and its
``line``.  chains.csv is small: it is brought to the
driver and checked by the loader itself (cycles included).

Not checked on Spark: ids that differ only in letter case, a quoted cell
spanning lines (on Spark each line is a row: such a row is reported as one
with too few or too many fields), GBK files (Spark reads UTF-8: convert them
first), Excel workbooks, coordinates and the other columns the SQL analyses
do not read (kind, chain_leader, output_value, employees…).

Lines: Spark's text source reads every line with its file and block;
``monotonically_increasing_id`` numbers a block's lines consecutively, so a
row's line is the lines of the file's earlier blocks plus its place in its
block — counted in one more pass: for every link (:func:`with_lines`), for
the enterprises only when there are bad rows.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chaingraph.errors import InputError, Problem
from chaingraph.rawtables import ALIASES, INVISIBLE, REQUIRED, TABLES, _titles, choose_header, resolve_header
from chaingraph.spreadsheet import GUARD_PATTERN
from chaingraph.validate import ID_FORMS, UNKNOWN_ID, UNKNOWN_VIA, id_warning_list, invisible_warning

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["Header", "csv_lines", "header_of", "line_numbers", "read_source", "spark_uri", "with_lines"]

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+:")  # hdfs://…, file:/…, s3a://…
_INVISIBLE = INVISIBLE


@dataclass
class Header:
    """One CSV file's header: where it is, what each cell names (``names``), units, the text of the lines above."""

    kind: str
    name: str
    path: str
    encoding: str
    line: int  # the header's line (1-based)
    names: list[str]
    headers: dict[str, str]
    units: dict[str, float]
    fields: int
    lines_above: list[str]
    text: str = ""
    warnings: list[Problem] = field(default_factory=list)

    @property
    def factor(self) -> int:
        """The invoice amount's header unit (金额(万元): 10000)."""
        return int(self.units.get("amount", 1.0))


def header_of(head: bytes, *, kind: str, name: str, path: str) -> tuple[Header | None, list[Problem]]:
    """Find and resolve the header of a ``kind`` table in a file's first bytes (BOM, UTF-8 or GB18030, title rows).

    Examples
    --------
    >>> h, _ = header_of("2024年\\n销方纳税人识别号,购方纳税人识别号,货物或应税劳务名称,金额(万元),开票日期\\n".encode(),
    ...                  kind="invoices", name="i.csv", path="i.csv")
    >>> h.line, h.names, h.factor
    (2, ['seller_id', 'buyer_id', 'product', 'amount', 'date'], 10000)
    """
    bom = 0
    while head.startswith(b"\xef\xbb\xbf", bom):
        bom += 3
    body = head[bom:]
    cut = body.rfind(b"\n")
    sample = body[: cut + 1] if cut >= 0 and len(head) >= 65536 else body
    try:
        text, encoding = sample.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = sample.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            return None, [Problem(name, None, None, None, "the file is neither UTF-8 nor GBK/GB18030 text",
                                  "Save it again as 'CSV UTF-8'.")]  # fmt: skip
    if not text.strip():
        return None, [Problem(name, 1, None, None, "the file is empty",
                              f"Give it a header row with at least {', '.join(REQUIRED[kind])}.")]  # fmt: skip
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:10]
    rows = []
    for line in raw_lines:
        try:
            rows.append(next(csv.reader([line]), []))
        except csv.Error:
            rows.append([line])
    at = choose_header(rows, kind)
    cells = [c.strip() for c in rows[at]]
    h = resolve_header(cells, kind, file=name, line=at + 1, ignore_unknown=True)
    if h.problems:
        return None, h.problems
    units = {c: f for c, (_, f) in h.units.items()}
    return Header(kind, name, path, encoding, at + 1, h.names, h.headers, units, len(cells), raw_lines[:at],
                  raw_lines[at], list(h.warnings)), []  # fmt: skip


def spark_uri(path: str | Path) -> str:
    """A path as Spark names it: a URI stays, a local path becomes ``file:///abs/path``.

    >>> spark_uri("hdfs://nn:8020/x"), spark_uri("/tmp/a b")
    ('hdfs://nn:8020/x', 'file:///tmp/a b')
    """
    text = str(path)
    if _SCHEME.match(text):
        return text
    return "file://" + str(Path(text).resolve())  # Hadoop paths are not URL-encoded


def spark_files(spark: SparkSession, listed: list[str]) -> list[tuple[str, str, Any]]:
    """Each file Spark listed: (its ``_metadata.file_path``, its name for messages, its Hadoop path to open)."""
    jvm: Any = spark._jvm
    out = []
    for x in listed:  # listed URL-encoded ('file:///a%20b.csv'); the metadata column writes 'file:/a%20b.csv'
        hadoop = jvm.org.apache.hadoop.fs.Path(jvm.java.net.URI(x))
        uri = hadoop.toUri()
        shown = str(uri.getPath()) if str(uri.getScheme()) == "file" else str(hadoop.toString())
        out.append((str(jvm.org.apache.hadoop.fs.Path(x).toString()), shown, hadoop))
    return out


def spark_head(spark: SparkSession, path: Any, size: int = 65536) -> bytes:
    """The first ``size`` bytes of a file on any file system Spark reads (Hadoop's FileSystem)."""
    jvm: Any = spark._jvm
    jsc: Any = spark._jsc
    fs = path.getFileSystem(jsc.hadoopConfiguration())
    n = min(size, int(fs.getFileStatus(path).getLen()))
    stream = fs.open(path)
    try:
        return bytes(jvm.org.apache.commons.io.IOUtils.toByteArray(stream, n))
    finally:
        stream.close()


def csv_lines(
    spark: SparkSession, files: Sequence[str], *, kind: str, short: dict[str, str] | None = None
) -> tuple[DataFrame, DataFrame, list[Header]]:
    """The rows of ``kind`` CSV files on Spark, as text: (rows, lines, headers).

    ``rows`` has ``file`` (the position in ``headers``), ``pos``, ``blk``,
    ``nfields`` and one ``s_<column>`` per column of ``ALIASES[kind]`` (empty
    when the file lacks it; ``short`` renames some).  ``lines`` is every line
    with its file, block and position, for :func:`line_numbers`.  Spark's text
    source keeps every line (blank ones too); rows are split by ``from_csv``
    into the header's columns plus one, which catches rows with more fields.
    """
    from pyspark.sql import functions as F

    short = short or {}
    lines = spark.read.text([spark_uri(f) for f in files]).select(
        F.col("_metadata.file_path").alias("path"), F.col("_metadata.file_block_start").alias("blk"),
        F.monotonically_increasing_id().alias("pos"), F.col("value"),
    )  # fmt: skip
    paths = sorted(lines.inputFiles())
    if not paths:
        raise InputError([Problem(", ".join(map(str, files)), None, None, None, "no files found there", "")])
    headers: list[Header] = []
    problems: list[Problem] = []
    for key, shown, hadoop in spark_files(spark, paths):
        h, found = header_of(spark_head(spark, hadoop), kind=kind, name=shown, path=key)
        problems += found
        if h is not None and h.encoding != "utf-8":
            problems.append(Problem(h.name, None, None, None, "on Spark the files must be UTF-8 (this one is GBK)",
                                    "Convert it (iconv -f GB18030 -t UTF-8), or use the embedded engine."))  # fmt: skip
        elif h is not None:
            headers.append(h)
    if problems:
        raise InputError(problems)
    parts = []
    for layout in sorted({tuple(h.names) for h in headers}):
        group = [(k, h) for k, h in enumerate(headers) if tuple(h.names) == layout]
        n = len(layout)
        schema = ", ".join(f"c{i} STRING" for i in range(n + 1))
        df = lines.where(F.col("path").isin([h.path for _, h in group]))
        skip = None
        for _, h in group:
            texts = [*h.lines_above, h.text, "\ufeff" + (h.lines_above or [h.text])[0]]
            cond = (F.col("path") == h.path) & (F.col("blk") == 0) & F.col("value").isin(texts)
            skip = cond if skip is None else skip | cond
        if skip is not None:
            df = df.where(~skip)
        # RFC 4180 as the embedded reader: a quote inside a quoted cell is written "" (Spark's default escape is \).
        options = {"mode": "PERMISSIVE", "nullValue": "\u0000", "emptyValue": "", "escape": '"',
                   "ignoreLeadingWhiteSpace": "false", "ignoreTrailingWhiteSpace": "false"}  # fmt: skip
        df = df.withColumn("r", F.from_csv(F.col("value"), schema, options))
        nfields = F.lit(0)
        for i in range(n + 1):
            nfields = F.when(F.col(f"r.c{i}").isNotNull(), F.lit(i + 1)).otherwise(nfields)
        blank = F.trim(F.col("value")) == ""
        file_id = F.lit(-1)
        for k, h in group:
            file_id = F.when(F.col("path") == h.path, F.lit(k)).otherwise(file_id)
        cols = [file_id.alias("file"), F.col("pos"), F.col("blk"),
                F.when(blank, F.lit(0)).otherwise(nfields).alias("nfields")]  # fmt: skip
        for c in ALIASES[kind]:
            at = layout.index(c) if c in layout else None
            text = F.coalesce(F.col(f"r.c{at}"), F.lit("")) if at is not None else F.lit("")
            cols.append(text.alias(f"s_{short.get(c, c)}"))
        parts.append(df.select(*cols))
    rows = parts[0]
    for p in parts[1:]:
        rows = rows.unionByName(p)
    return rows, lines, headers


def with_lines(spark: SparkSession, rows: DataFrame, lines: DataFrame, headers: list[Header]) -> DataFrame:
    """``rows`` (of :func:`csv_lines`) with ``line``, each row's line in its file, computed on the cluster.

    One pass over the files counts each block's lines; the offsets (one per block: few) go to every
    executor with the rows, so a row's line is its position plus its block's offset.
    """
    from pyspark.sql import functions as F

    stats = lines.groupBy("path", "blk").agg(F.count("*").alias("n"), F.min("pos").alias("first")).collect()
    index = {h.path: k for k, h in enumerate(headers)}
    offsets = []
    for path, k in index.items():
        seen = 0
        for b, n, first in sorted((int(r["blk"]), int(r["n"]), int(r["first"])) for r in stats if r["path"] == path):
            offsets.append((k, b, seen - first + 1))
            seen += n
    table = spark.createDataFrame(offsets, "file int, blk bigint, off bigint")
    return (rows.join(F.broadcast(table), ["file", "blk"], "left")
            .withColumn("line", F.col("pos") + F.col("off")).drop("off"))  # fmt: skip


def line_numbers(lines: DataFrame, found: list[dict[str, Any]], headers: list[Header], *, file: str = "file",
                 pos: str = "pos", blk: str = "blk", out: str = "line") -> None:  # fmt: skip
    """Set ``found[i][out]``, the line in its file of each found row: one pass over the lines (the error path only).

    Within a partition, a block's lines have consecutive positions; a file's
    lines before a block are the lines of its earlier blocks.
    """
    from pyspark.sql import functions as F

    wanted = sorted({headers[r[file]].path for r in found})
    stats = (lines.where(F.col("path").isin(wanted)).groupBy("path", "blk")
             .agg(F.count("*").alias("n"), F.min("pos").alias("first")).collect())  # fmt: skip
    before: dict[tuple[str, int], tuple[int, int]] = {}
    for path in wanted:
        blocks = sorted((int(s["blk"]), int(s["n"]), int(s["first"])) for s in stats if s["path"] == path)
        seen = 0
        for b, n, first in blocks:
            before[(path, b)] = (seen, first)
            seen += n
    for r in found:
        seen, first = before[(headers[r[file]].path, int(r[blk]))]
        r[out] = seen + int(r[pos]) - first + 1


# --- the analysis tables ------------------------------------------------------------------------------------------

_FROM = "".join(map(chr, ID_FORMS)).replace("'", "''")
_TO = "".join(map(chr, ID_FORMS.values())).replace("'", "''")
#: A cell '=… is a formula kept as text (spreadsheet.inert): its value is =… (the loader's guard_removed, after the trim).
_AFTER = GUARD_PATTERN.removeprefix("^").replace("'", "''")
#: White space as Python's ``str.strip`` and Arrow's ``utf8_trim_whitespace`` trim it (a Java regex class).
_WS = r"[\t\n\x0B\f\r\x1C-\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
_STRIP = f"regexp_replace({{x}}, '^{_WS}+|{_WS}+$', '')"
_UNGUARD = f"regexp_replace({{x}}, '^''(?={_AFTER})', '')"
_ASCII_SQL = "(octet_length({x}) = length({x}))"
#: A cell as the loader reads it (:mod:`chaingraph.rawtables`): trimmed (``str.strip``), then the guard taken off
#: (:func:`chaingraph.spreadsheet.guard_removed`); an ASCII cell with no apostrophe and no space at its ends is itself.
_CELL = (f"CASE WHEN {_ASCII_SQL} AND instr({{x}}, '''') = 0 AND substr({{x}}, 1, 1) > ' ' "
         f"AND substr({{x}}, -1, 1) > ' ' THEN {{x}} ELSE {_UNGUARD.replace('{x}', _STRIP)} END")  # fmt: skip
#: An id as the loader reads a cell (:meth:`chaingraph.validate.Checker.ids`): an ASCII cell as it is, any other under
#: :func:`chaingraph.validate.normalise_id` (:data:`~chaingraph.validate.ID_FORMS` translated: the full-width forms and
#: U+3000 wherever it is; invisible characters removed; then trimmed).
_ID = (f"CASE WHEN {_ASCII_SQL} THEN {{x}} ELSE "
       + _STRIP.replace("{x}", f"regexp_replace(translate({{x}}, '{_FROM}', '{_TO}'), '{_INVISIBLE}', '')")
       + " END")  # fmt: skip
#: A name or zone as the loader reads it (:meth:`chaingraph.validate.Checker.visible_text`): invisible characters
#: removed and the rest trimmed, only when the cell has any.
_TXT = (f"CASE WHEN {_ASCII_SQL} OR NOT regexp_like({{x}}, '{_INVISIBLE}') THEN {{x}} ELSE "
        + _STRIP.replace("{x}", f"regexp_replace({{x}}, '{_INVISIBLE}', '')") + " END")  # fmt: skip
#: Whether the loader warns about an id cell ``c`` read as ``x``: read otherwise than written
#: (:func:`chaingraph.validate.id_warnings`).
_ID_WARN = f"(NOT {_ASCII_SQL.replace('{x}', '{c}')} AND {{c}} <> {{x}})"
#: Its items (:func:`chaingraph.listcells.join_lists`): split at ``;``/``；``, each trimmed, blanks dropped, in order.
_VIA_ITEMS = f"filter(transform(split({{x}}, '[;；]'), i -> {_STRIP.replace('{x}', 'i')}), i -> i <> '')"
_CELL_UNITS = {"元": 1, "人民币": 1, "人民币元": 1, "千元": 1_000, "万": 10_000, "万元": 10_000, "百万": 1_000_000,
               "百万元": 1_000_000, "亿": 100_000_000, "亿元": 100_000_000}  # fmt: skip
_COUNT_UNITS = {"万": 10_000, "亿": 100_000_000}


def _money(col: str, factor: float, *, money: bool) -> tuple[str, str]:
    """(value, problem code) SQL of one number column: the loader's rules (docs/analysis.md, "Loading")."""
    x = f"t_{col}"
    units = _CELL_UNITS if money else _COUNT_UNITS
    alt = "|".join(sorted(units, key=len, reverse=True))
    case = " ".join(f"WHEN '{u}' THEN {f}" for u, f in units.items())
    fast = f"try_cast({x} AS DOUBLE)"
    fast_ok = f"({fast} IS NOT NULL AND NOT isnan({fast}) AND abs({fast}) <= 1e300)"
    clean = f"regexp_replace({x}, '[¥￥\\s]', '')"
    unit = f"regexp_extract({clean}, '({alt})$', 1)"
    num = f"regexp_replace({clean}, '({alt})$', '')"
    grouped = f"regexp_like({num}, '^[+-]?[0-9]{{1,3}}([,，][0-9]{{3}})+([.][0-9]+)?$')"
    plain = f"CASE WHEN {grouped} THEN regexp_replace({num}, '[,，]', '') ELSE {num} END"
    slow = (f"round(try_cast(CASE WHEN regexp_like({plain}, '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$') THEN {plain} END "
            f"AS DOUBLE) * CASE {unit} {case} ELSE {factor} END, 6)")  # fmt: skip
    value = (f"CASE WHEN {x} = '' THEN NULL WHEN {fast_ok} THEN "
             f"{'round(' + fast + f' * {factor}, 6)' if factor != 1 else fast} ELSE {slow} END")  # fmt: skip
    what = "yuan" if money else "units"
    code = (f"CASE WHEN {x} = '' THEN NULL WHEN v_{col} IS NULL THEN CASE "
            f"WHEN NOT {grouped} AND regexp_like({num}, '[,，]') THEN 'comma' "
            f"WHEN regexp_like({x}, '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') THEN 'date' "
            f"WHEN regexp_like({x}, '(?i)^[+-]?(inf(inity)?|nan)$') THEN 'special' ELSE 'nan_{what}' END "
            f"WHEN v_{col} < 0 THEN 'negative_{what}' WHEN v_{col} > 1e13 THEN 'huge_{what}' END")  # fmt: skip
    return value, code


_MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("a required value is empty", "Fill in {header!r} or delete the row."),
    "fields": ("the row has more fields than the header's {fields}",
               "Remove the extra commas, or quote the cell that holds a comma."),
    "comma": ("a comma that is not a thousands separator (a decimal comma?)",
              "Write 1.5 for one and a half; a thousands separator groups three digits (1,500)."),
    "date": ("a date, not a number",
             "Excel turned the entry into a date: format the column as 数值 (number) and type it again."),
    "special": ("not a finite number", "Write plain {what}, e.g. 2850."),
    "nan": ("not a number", "Write plain {what}, e.g. 2850 or 2850.5."),
    "negative": ("negative amount", "Amounts are {what} >= 0; write a former supply as status 'former'."),
    "huge": ("implausibly large amount (over 10万亿)", "Check the unit: amounts are in {what}."),
    "self": ("an enterprise cannot supply itself", "Correct supplier_id or buyer_id."),
    "unknown": UNKNOWN_ID,
    "via": UNKNOWN_VIA,
    "novalue": ("no annual value, and no volume and unit price to compute it",
                "Fill in annual_value (年采购额) in yuan, or annual_volume and unit_price."),
    "status": ("unknown value", "Use one of: {statuses}."),
    "dup": ("duplicate enterprise id", "The id is first used on line {first}; merge the rows or give a new id."),
}  # fmt: skip


def _spark_sql(text: str) -> str:
    """Spark's string literals take backslash escapes: each regular expression's backslash doubled."""
    return text.replace("\\", "\\\\")


def _c(template: str, col: str) -> str:
    return template.replace("{x}", col)


def _enterprises_sql(view: str, fields: int) -> str:
    from chaingraph.validate import KIND_ALIASES

    kinds = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in KIND_ALIASES.items())
    cells = ", ".join(f"{_c(_CELL, 's_' + c)} AS c_{c}" for c in ("id", "name", "zone", "city", "province", "industry",
                                                                  "products", "kind", "chain_leader", "output_value",
                                                                  "employees", "park", "lat", "lon"))  # fmt: skip
    return f"""
WITH c AS (
  SELECT file, pos, blk, nfields, {cells} FROM {view}
), t AS (
  SELECT file, pos, blk, nfields, {_c(_ID, "c_id")} AS id, {_c(_TXT, "c_name")} AS name,
    {_c(_TXT, "c_zone")} AS zone, c_city AS city, c_province AS province,
    c_industry AS industry, c_products AS products, c_park AS park, c_id, c_name, c_zone,
    CASE WHEN abs(try_cast(c_lat AS DOUBLE)) <= 90 THEN try_cast(c_lat AS DOUBLE) END AS lat,
    CASE WHEN abs(try_cast(c_lon AS DOUBLE)) <= 180 THEN try_cast(c_lon AS DOUBLE) END AS lon,
    CASE lower(c_kind) {kinds} ELSE 'manufacturer' END AS kind,
    lower(c_chain_leader) IN ('true', '1', 'yes', 'y', 't', '是', '√') AS chain_leader,
    try_cast(c_output_value AS DOUBLE) AS output_value, try_cast(c_employees AS DOUBLE) AS employees,
    (nfields = 0) AS blank
  FROM c
), p AS (
  SELECT *, CASE WHEN nfields > {fields} THEN 'fields' END AS p_fields,
    CASE WHEN id = '' THEN 'empty' END AS p_id, CASE WHEN name = '' THEN 'empty' END AS p_name,
    CASE WHEN zone = '' THEN 'empty' END AS p_zone,
    {_ID_WARN.replace("{c}", "c_id").replace("{x}", "id")} AS w_id, c_name <> name AS w_name, c_zone <> zone AS w_zone
  FROM t WHERE NOT blank
), d AS (
  SELECT *, count(*) OVER (PARTITION BY id) AS n_id FROM p
)
SELECT *, CASE WHEN n_id > 1 AND id <> '' THEN 'dup' END AS p_dup,
  (p_fields IS NOT NULL OR p_id IS NOT NULL OR p_name IS NOT NULL OR p_zone IS NOT NULL) AS bad0
FROM d
"""


#: The link columns read as cells (:data:`_CELL`) before their checks.
_LINK_CELLS = ("supplier_id", "buyer_id", "product", "annual_value", "annual_volume", "unit_price", "logistics_cost",
               "status", "via", "note")  # fmt: skip


def _link_cells(view: str) -> str:
    """The links of ``view`` with each cell as the loader reads it (``c_<column>``), ids (``supplier_id``…) read."""
    cells = ", ".join(f"{_c(_CELL, 's_' + c)} AS c_{c}" for c in _LINK_CELLS)
    return f"""
SELECT *, {_c(_ID, "c_supplier_id")} AS supplier_id, {_c(_ID, "c_buyer_id")} AS buyer_id, {_c(_ID, "c_via")} AS shown_via
FROM (SELECT file, pos, blk, nfields, line, s_via, {cells} FROM {view}) c"""


def _links_sql(view: str, fields: int, units: dict[str, float], ids: str) -> str:
    from chaingraph.validate import STATUS_ALIASES

    cols = {c: _money(c, units.get(c, 1.0), money=c != "annual_volume")
            for c in ("annual_value", "annual_volume", "unit_price", "logistics_cost")}  # fmt: skip
    status = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in STATUS_ALIASES.items())
    money = ", ".join(f"c_{c} AS t_{c}, c_{c} AS shown_{c}" for c in cols)
    return f"""
WITH t AS (
  SELECT file, pos, blk, nfields, supplier_id, buyer_id, c_product AS product, {money},
    lower(c_status) AS t_status, c_status AS shown_status, shown_via, c_note AS note, line, (nfields = 0) AS blank
  FROM ({_link_cells(view)}) c
), v AS (
  SELECT *, {", ".join(f"{value} AS v_{c}" for c, (value, _) in cols.items())},
    CASE WHEN t_status = '' THEN 'active' ELSE CASE t_status {status} END END AS status,
    {_VIA_ITEMS.replace("{x}", "shown_via")} AS via_items
  FROM t WHERE NOT blank
), p AS (
  SELECT v.*, CASE WHEN nfields > {fields} THEN 'fields' END AS p_fields,
    CASE WHEN supplier_id = '' THEN 'empty' WHEN s.id IS NULL THEN 'unknown' END AS p_supplier_id,
    CASE WHEN buyer_id = '' THEN 'empty' WHEN b.id IS NULL THEN 'unknown' END AS p_buyer_id,
    CASE WHEN supplier_id <> '' AND buyer_id = supplier_id THEN 'self' END AS p_self,
    CASE WHEN product = '' THEN 'empty' END AS p_product,
    {", ".join(f"{code} AS p_{c}" for c, (_, code) in cols.items())},
    CASE WHEN status IS NULL THEN 'status' END AS p_status
  FROM v LEFT JOIN {ids} s ON v.supplier_id = s.id LEFT JOIN {ids} b ON v.buyer_id = b.id
)
SELECT *,
  CASE WHEN p_annual_value IS NULL AND t_annual_value = '' AND NOT (t_annual_volume <> '' AND t_unit_price <> '')
    THEN 'novalue' END AS p_novalue,
  array_join(via_items, ';') AS via, COALESCE(v_annual_value, v_annual_volume * v_unit_price) AS value0,
  v_unit_price + COALESCE(v_logistics_cost, 0) AS landed
FROM p
"""


#: The checks of a link row in the loader's order (:func:`chaingraph.validate.validate_links`: the required values,
#: the unknown ends, a firm supplying itself, the numbers, no value, the status, the intermediaries): (check, codes).
LINK_CHECKS: list[tuple[str, tuple[str, ...]]] = [
    ("supplier_id", ("empty",)), ("buyer_id", ("empty",)), ("product", ("empty",)), ("supplier_id", ("unknown",)),
    ("buyer_id", ("unknown",)), ("self", ()), ("annual_value", ()), ("annual_volume", ()), ("unit_price", ()),
    ("logistics_cost", ()), ("novalue", ()), ("status", ()), ("via", ()),
]  # fmt: skip


def _problems(rows: list[dict[str, Any]], headers: list[Header], checks: list[tuple[str, tuple[str, ...]]]
              ) -> list[Problem]:  # fmt: skip
    """Each row's problems in file order, within a row in the order of ``checks`` ((check, its codes; () any))."""
    from chaingraph.validate import STATUS_ALIASES

    statuses = " / ".join(sorted(set(STATUS_ALIASES)))
    out = []
    for r in sorted(rows, key=lambda r: (r["file"], r["line"])):
        h = headers[r["file"]]
        if r.get("p_fields"):
            msg, hint = _MESSAGES["fields"]
            out.append(Problem(h.name, r["line"], None, None, msg.format(fields=h.fields), hint))
            continue
        for col, codes in checks:
            code = r.get(f"p_{col}")
            if not code or (codes and code not in codes):
                continue
            column = {"novalue": "annual_value", "dup": "id", "self": "buyer_id"}.get(col, col)
            base, _, what = str(code).partition("_")
            msg, hint = _MESSAGES[base]
            header = h.headers.get(column, column)
            value = "" if col == "novalue" else str(r.get(f"shown_{column}", r.get(column)) or "")
            out.append(Problem(h.name, r["line"], header, value, msg.format(fields=h.fields),
                               hint.format(header=header, what=what or "yuan", statuses=statuses,
                                           first=r.get("first_line", "?"))))  # fmt: skip
    return out


def _files_of(spark: SparkSession, source: str) -> dict[str, tuple[str, str]]:
    """The tables in SOURCE: kind → (format, path), by the loader's file names (enterprises / 企业 …)."""
    jvm: Any = spark._jvm
    jsc: Any = spark._jsc
    root = jvm.org.apache.hadoop.fs.Path(spark_uri(source))
    fs = root.getFileSystem(jsc.hadoopConfiguration())
    if not fs.exists(root) or not fs.getFileStatus(root).isDirectory():
        raise InputError([Problem(source, None, None, None, "SOURCE is not a folder Spark can read",
                                  "Give the folder holding enterprises and links (.csv or .parquet).")])  # fmt: skip
    found: dict[str, tuple[str, str]] = {}
    problems = []
    for st in fs.listStatus(root):
        name = str(st.getPath().getName())
        stem, _, ext = name.rpartition(".")
        stem, ext = (stem, ext.lower()) if stem else (name, "parquet" if st.isDirectory() else "")
        if ext not in ("csv", "parquet"):
            continue
        for kind, names in TABLES.items():
            if stem.lower() in {n.lower() for n in names}:
                if kind in found:
                    problems.append(Problem(name, None, None, None, f"a second {kind} table in SOURCE",
                                            f"Keep one of {found[kind][1]} and {name}."))  # fmt: skip
                found[kind] = (ext, str(st.getPath().toString()))
    for kind in ("enterprises", "links"):
        if kind not in found:
            problems.append(Problem(source, None, None, None, f"no {kind} table (.csv or .parquet) in SOURCE",
                                    f"Name it {TABLES[kind][0]}.csv (or {TABLES[kind][1]}.csv), or .parquet."))  # fmt: skip
    if problems:
        raise InputError(problems)
    return found


def read_source(spark: SparkSession, source: str) -> dict[str, DataFrame | None]:
    """SOURCE's tables on Spark in the column contract of :mod:`chaingraph.model`, every row checked.

    CSV tables are validated here (see the module's text); Parquet tables in
    the model's column contract (the validated copy of the embedded engine, or
    tables written by a platform in that contract) are taken as they are.
    :func:`read_checked` gives the loader's warnings too.

    Raises
    ------
    InputError
        Every problem found, with file, line, column and value; nothing is analysed.
    """
    return read_checked(spark, source)[0]


def read_checked(spark: SparkSession, source: str) -> tuple[dict[str, DataFrame | None], list[Problem]]:
    """:func:`read_source`'s tables and the warnings the loader gives for the same files, in its words and order.

    The warnings (:mod:`chaingraph.validate`): rows above a header (titles), header cells, each id read otherwise
    than written (full-width forms, U+3000, invisible characters, :func:`~chaingraph.validate.id_warnings`: the
    first 20 named, the rest counted), each name or zone whose invisible characters were removed (the first
    10,000 named, the rest counted). They are found on the executors; only their counts and those examples come
    back.

    Raises
    ------
    InputError
        Every problem found, with file, line, column and value; nothing is analysed.
    """
    from pyspark.sql import functions as F

    files = _files_of(spark, source)
    out: dict[str, DataFrame | None] = {"chains": None}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    tag = abs(hash(source)) % 10**8
    ent_fmt, ent_path = files["enterprises"]
    if ent_fmt == "parquet":
        ents = spark.read.parquet(ent_path)
        out["enterprises"] = ents
        ids_view = f"cg_ids_{tag}"
        ents.select("id").distinct().createOrReplaceTempView(ids_view)
    else:
        rows, lines, headers = csv_lines(spark, [ent_path], kind="enterprises")
        rows.createOrReplaceTempView(f"cg_e_{tag}")
        parsed = spark.sql(_spark_sql(_enterprises_sql(f"cg_e_{tag}", headers[0].fields))).cache()
        parsed.createOrReplaceTempView(f"cg_ep_{tag}")
        bad = parsed.where("bad0 OR p_dup IS NOT NULL")
        if bad.limit(1).count():
            found = [r.asDict() for r in bad.orderBy("file", "pos").limit(10_000).collect()]
            dups = [r for r in found if r.get("p_dup")]
            firsts: list[dict[str, Any]] = []
            if dups:
                firsts = [r.asDict() for r in parsed.where(F.col("id").isin(sorted({d["id"] for d in dups})))
                          .groupBy("id").agg(F.min(F.struct("file", "pos", "blk")).alias("f")).collect()]  # fmt: skip
                firsts = [{"id": r["id"], "file": r["f"]["file"], "pos": r["f"]["pos"], "blk": r["f"]["blk"]}
                          for r in firsts]  # fmt: skip
            line_numbers(lines, found + firsts, headers)
            first_line = {(r["id"]): r["line"] for r in firsts}
            first_pos = {(r["id"]): r["pos"] for r in firsts}
            keep = []
            for r in found:
                if r.get("p_dup") and first_pos.get(r["id"]) == r["pos"]:
                    r["p_dup"] = None  # the first row of a duplicated id is kept
                    if not r["bad0"]:
                        continue
                r["first_line"] = first_line.get(r["id"])
                keep.append(r)
            problems += _problems(keep, headers, [("id", ()), ("name", ()), ("zone", ()), ("dup", ())])
        else:
            warnings += [*_header_warnings(headers[0]), *_enterprise_warnings(parsed, lines, headers)]
        good = parsed.where("NOT bad0")
        out["enterprises"] = good.select(*ENTERPRISE_COLUMNS)
        # as the loader: a link may name a firm whose own row has a problem (that row is reported, not the link)
        spark.sql(f"SELECT DISTINCT id FROM cg_ep_{tag} WHERE id <> ''").createOrReplaceTempView(f"cg_ids_{tag}")
        ids_view = f"cg_ids_{tag}"
    link_fmt, link_path = files["links"]
    if link_fmt == "parquet":
        out["links"] = spark.read.parquet(link_path)
    else:
        rows, lines, headers = csv_lines(spark, [link_path], kind="links")
        view = f"cg_l_{tag}"
        with_lines(spark, rows, lines, headers).createOrReplaceTempView(view)
        parsed = spark.sql(_spark_sql(_links_sql(view, headers[0].fields, headers[0].units, ids_view)))
        checks = sorted({c for c, _ in LINK_CHECKS if c != "via"})
        cond = " OR ".join(f"p_{c} IS NOT NULL" for c in ["fields", *checks])
        found = [r.asDict() for r in parsed.where(cond).orderBy("file", "pos").limit(10_000).collect()]
        warnings += _header_warnings(headers[0])
        found, link_warnings = _second_pass(spark, view, ids_view, found, headers,
                                            via=any("via" in h.names for h in headers), warn=not problems)  # fmt: skip
        warnings += link_warnings
        if found:
            problems += _problems(found, headers, LINK_CHECKS)
        out["links"] = parsed.where(f"NOT ({cond})").select(
            "supplier_id", "buyer_id", "product", "status", F.coalesce("value0", F.lit(0.0)).alias("value"),
            "landed", F.coalesce("v_annual_volume", F.col("value0") / F.when(F.col("v_unit_price") > 0,
                                 F.col("v_unit_price"))).alias("vol"), "via", "note", "line",
            F.col("line").alias("rn"),  # file order, whatever order the checks' joins leave the rows in
        )  # fmt: skip
    if "chains" in files:
        out["chains"] = _chains(spark, *files["chains"], problems, warnings)
    if problems:
        raise InputError(problems, skippable=False)
    return out, warnings


#: The enterprises' columns a CSV source keeps on Spark (the model's, but ``line``: no output reads a firm's line).
ENTERPRISE_COLUMNS = ["id", "name", "zone", "park", "city", "province", "industry", "products", "kind",
                      "chain_leader", "output_value", "employees", "lat", "lon"]  # fmt: skip


def _header_warnings(h: Header) -> list[Problem]:
    """A file's warnings from its header lines: the rows above it read as titles, then its cells'."""
    rows = []
    for line in h.lines_above:
        try:
            rows.append(next(csv.reader([line]), []))
        except csv.Error:
            rows.append([line])
    return [*_titles(rows, file=h.name), *h.warnings]


def _id_warnings(grouped: list[dict[str, Any]], h: Header, columns: Sequence[str]) -> list[Problem]:
    """Each column's id warnings from ``grouped`` (rows: col, raw, read, line, n = the column's count; by line)."""
    out = []
    for col in columns:
        got = [r for r in grouped if r["col"] == col]
        if got:
            first = [(r["raw"], (int(r["line"]), r["read"])) for r in sorted(got, key=lambda r: r["line"])]
            out += id_warning_list(h.name, h.headers.get(col, col), first, int(got[0]["n"]))
    return out


def _enterprise_warnings(parsed: DataFrame, lines: DataFrame, headers: list[Header]) -> list[Problem]:
    """The enterprises' warnings (the cached rows ``parsed``; one pass over the lines when there are any)."""
    from pyspark.sql import functions as F

    h = headers[0]
    ids = (parsed.where("w_id").groupBy("c_id").agg(F.min(F.struct("pos", "blk", "id")).alias("f"))
           .withColumn("n", F.count("*").over(_all())).orderBy("f").limit(21).collect())  # fmt: skip
    named = parsed.where("w_name OR w_zone")
    texts = [r.asDict() for r in named.select("file", "pos", "blk", "c_name", "c_zone", "w_name", "w_zone")
             .orderBy("pos").limit(10_000).collect()]  # fmt: skip
    found = [{"file": 0, "pos": r["f"]["pos"], "blk": r["f"]["blk"], "raw": r["c_id"], "read": r["f"]["id"],
              "n": r["n"], "col": "id"} for r in ids]  # fmt: skip
    if not found and not texts:
        return []
    line_numbers(lines, found + texts, headers)
    out = _id_warnings(found, h, ["id"])
    more = named.count() - len(texts) if len(texts) == 10_000 else 0
    for col in ("name", "zone"):
        out += [invisible_warning(h.name, r["line"], h.headers.get(col, col), r[f"c_{col}"])
                for r in texts if r[f"w_{col}"]]  # fmt: skip
    if more:
        out.append(Problem(h.name, None, None, None, f"and {more} more rows whose names or zones had invisible "
                           "characters removed", ""))  # fmt: skip
    return out


def _all() -> Any:
    from pyspark.sql import Window

    return Window.partitionBy()


def _second_pass(spark: SparkSession, view: str, ids: str, found: list[dict[str, Any]], headers: list[Header], *,
                 via: bool, warn: bool) -> tuple[list[dict[str, Any]], list[Problem]]:  # fmt: skip
    """One more pass over the links: the rows naming an intermediary no enterprise has (``p_via``, added to
    ``found``, the rows with problems) and, with ``warn`` and no problems, the ids' warnings.

    The pass keeps the few rows that have a via cell or an id cell that is not ASCII (on the executors, cached
    there); the intermediaries are exploded and looked up in the ids, the ids read otherwise grouped, from those.
    """
    cand_cond = " OR ".join([*(["s_via <> ''"] if via else []),
                             *(f"NOT {_c(_ASCII_SQL, 'c_' + c)}" for c in ("supplier_id", "buyer_id", "via"))])  # fmt: skip
    cand = spark.sql(_spark_sql(f"SELECT * FROM ({_link_cells(view)}) c WHERE {cand_cond}")).persist()
    try:
        cand.createOrReplaceTempView(f"{view}_c")
        if via:
            unknown = spark.sql(_spark_sql(f"""
SELECT DISTINCT file, pos, line, shown_via FROM (
  SELECT file, pos, line, shown_via, explode({_VIA_ITEMS.replace("{x}", "shown_via")}) AS item
  FROM {view}_c WHERE s_via <> ''
) x LEFT ANTI JOIN {ids} i ON x.item = i.id"""))  # fmt: skip
            rows = unknown.orderBy("file", "pos").limit(10_000).collect()
            by_pos = {r["pos"]: r for r in found}
            for r in rows:
                row = by_pos.setdefault(r["pos"], {"file": r["file"], "pos": r["pos"], "line": r["line"],
                                                   "shown_via": r["shown_via"]})  # fmt: skip
                row["p_via"] = "via"
            found = list(by_pos.values())
        if found or not warn:
            return found, []
        read = {"supplier_id": "supplier_id", "buyer_id": "buyer_id", "via": "shown_via"}
        grouped = spark.sql(_spark_sql(" UNION ALL ".join(f"""
SELECT * FROM (
  SELECT '{c}' AS col, raw, read, line, count(*) OVER () AS n, row_number() OVER (ORDER BY line) AS k
  FROM (SELECT c_{c} AS raw, min_by({read[c]}, line) AS read, min(line) AS line FROM {view}_c
        WHERE {_ID_WARN.replace("{c}", "c_" + c).replace("{x}", read[c])} GROUP BY c_{c}) g
) w WHERE k <= 21""" for c in read)))  # fmt: skip
        got = [r.asDict() for r in grouped.collect()]
        h = headers[0]
        return found, _id_warnings(got, h, list(read))
    finally:
        cand.unpersist()


def _chains(spark: SparkSession, fmt: str, path: str, problems: list[Problem], warnings: list[Problem]) -> DataFrame:
    """The chain map is small: brought to the driver and checked by the loader's own rules (cycles included)."""
    import numpy as np
    import pandas as pd
    from pyspark.sql import functions as F

    from chaingraph.rawtables import RawTable
    from chaingraph.validate import validate_chains

    if fmt == "parquet":
        df = spark.read.parquet(path)
        return df if "line" in df.columns else df.withColumn("line", F.lit(0).cast("bigint"))
    rows, lines, headers = csv_lines(spark, [path], kind="chains")
    found = [r.asDict() for r in rows.where("nfields > 0").orderBy("pos").collect()]
    line_numbers(lines, found, headers)
    h = headers[0]
    frame = pd.DataFrame({c: [str(r[f"s_{c}"]).strip() for r in found] for c in ("chain", "product", "input",
                                                                                 "segment")})  # fmt: skip
    raw = RawTable(h.name, frame, np.array([r["line"] for r in found], dtype=np.int64), h.headers, len(found), 0,
                   "utf-8")  # fmt: skip
    typed, ck = validate_chains(raw)
    problems += ck.problems
    warnings += [*_header_warnings(h), *ck.warnings]
    good = typed.loc[~ck.bad, ["chain", "product", "input", "line", "segment"]]
    return spark.createDataFrame(good.astype({"line": "int64"}), schema="chain string, product string, "
                                 "input string, line bigint, segment string")  # fmt: skip
