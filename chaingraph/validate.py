"""Turn raw text tables into typed tables, collecting every problem at once.

Checks are vectorised: one boolean mask per rule.  Python only loops over the
rows a rule flags, to word their messages.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from chaingraph.errors import Problem, row_word
from chaingraph.listcells import join_lists
from chaingraph.lookup import IdTable, isin, positions_of
from chaingraph.rawtables import INVISIBLE, MONEY_UNITS, RawTable

__all__ = [
    "ID_FORMS",
    "KIND_ALIASES",
    "MAX_MONEY",
    "STATUS_ALIASES",
    "UNKNOWN_ID",
    "UNKNOWN_VIA",
    "Checker",
    "IdsSoFar",
    "id_warning_list",
    "id_warnings",
    "invisible_warning",
    "normalise_id",
    "validate_chains",
    "validate_enterprises",
    "validate_links",
]

#: Largest amount of money accepted, in yuan.  Beyond it float64 can no longer
#: hold every fen exactly when amounts are summed (2**53 fen ≈ 9×10^13 yuan).
MAX_MONEY = 1e13

STATUS_ALIASES = {
    "active": "active",
    "在供": "active",
    "在用": "active",
    "现供": "active",
    "planned": "planned",
    "拟供": "planned",
    "意向": "planned",
    "计划": "planned",
    "former": "former",
    "历史": "former",
    "已替换": "former",
    "停供": "former",
}
KIND_ALIASES = {
    "manufacturer": "manufacturer",
    "制造": "manufacturer",
    "制造商": "manufacturer",
    "生产": "manufacturer",
    "logistics": "logistics",
    "物流": "logistics",
    "保税": "logistics",
    "trader": "trader",
    "贸易": "trader",
    "贸易商": "trader",
}
#: The words (message, hint) for a link end no enterprise has, and for an intermediary (``via``) no enterprise has;
#: the Spark reader (:mod:`chaingraph.spark_tables`) says the same.
UNKNOWN_ID = ("unknown enterprise id", "Add the enterprise to enterprises.csv or correct the id.")
UNKNOWN_VIA = ("unknown intermediary id", UNKNOWN_ID[1])
_TRUE = {"true", "1", "yes", "y", "t", "是", "√"}
_FALSE = {"false", "0", "no", "n", "f", "否", ""}


#: Units a cell may carry, by the kind of amount (factor to yuan, or to units).
CELL_UNITS: dict[str, dict[str, float]] = {
    "yuan": {u: f for u, f in MONEY_UNITS.items() if not u.isascii()},
    "units": {"万": 1e4, "亿": 1e8},
    "people": {"万": 1e4},
}
_EXCEL_ERROR = r"#(?:N/A|DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|GETTING_DATA|ERROR)"
_DATE = r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?"
_GROUPED = r"[+-]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?"
#: What :func:`normalise_id` reads as ASCII: the full-width forms (U+FF01-U+FF5E) and U+3000 (a space); the Spark
#: reader (:mod:`chaingraph.spark_tables`) translates the same characters.
ID_FORMS = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FULL_WIDTH = ID_FORMS


def normalise_id(text: str) -> str:
    """The id rule: full-width ASCII forms (``ＪＣ－０１``, U+FF01-U+FF5E) read as ASCII, invisible
    characters (zero-width, bidi controls, BOM) removed, spaces at the ends (also U+3000) trimmed.
    Letter case is kept: ``jc-01`` and ``JC-01`` are two ids (and two such enterprises an error).

    >>> normalise_id("ＪＣ－０１\u200b"), normalise_id("\u3000晋钢01 ")
    ('JC-01', '晋钢01')
    """
    return re.sub(INVISIBLE, "", text.translate(_FULL_WIDTH)).strip()


def _to_float(text: pd.Series, present: np.ndarray) -> pd.Series:
    """Parse numbers: pyarrow's vectorised cast when every cell is a plain number, else pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(text, type=pa.string(), from_pandas=True)
        arr = pc.if_else(pa.array(present), arr, pa.scalar(None, pa.string()))  # empty: null, not a parse error
        values = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
        return pd.Series(np.asarray(values, dtype="float64"), index=text.index)
    except (ValueError, TypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(text.where(present, None), errors="coerce").astype("float64")


def _empty_text(index: pd.Index) -> pd.Series:
    """A column of empty strings, built as one Arrow array (a Python list of 2M "" takes 0.2 s).

    >>> _empty_text(pd.RangeIndex(2)).tolist()
    ['', '']
    """
    import pyarrow as pa

    n = len(index)
    arr = pa.StringArray.from_buffers(n, pa.py_buffer(np.zeros(n + 1, dtype=np.int32)), pa.py_buffer(b""))
    return pd.Series(pd.array(arr, dtype="str"), index=index)


class Checker:
    """Collects row problems for one :class:`RawTable`."""

    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.bad = np.zeros(len(raw.frame), dtype=bool)
        self._cols: dict[str, pd.Series] = {}
        #: Set (to ``{}``) for a piece of a file: the ids read otherwise, by column (id → its line, as read),
        #: kept instead of warned about, for :func:`id_warnings` over the whole file.
        self.id_log: dict[str, dict[str, tuple[int, str]]] | None = None

    def col(self, name: str) -> pd.Series:
        """The column as text; an absent optional column reads as empty."""
        frame = self.raw.frame
        if name not in self._cols:
            self._cols[name] = frame[name] if name in frame.columns else _empty_text(frame.index)
        return self._cols[name]

    def flag(
        self, mask: np.ndarray | pd.Series, column: str, message: str, hint: str, *, hints: pd.Series | None = None
    ) -> None:
        """Record a problem for every row where ``mask`` holds.

        ``hints`` gives a row's own hint where one sentence does not fit all.
        """
        m = np.asarray(mask, dtype=bool)
        idx = np.flatnonzero(m)
        if not len(idx):
            return
        self.bad[idx] = True
        shown = self.col(column).to_numpy()[idx]
        row_hints = hints.to_numpy()[idx] if hints is not None else [hint] * len(idx)
        header = self.raw.header(column)
        file, lines = self.raw.file, self.raw.lines
        sheet = self.raw.sheet
        self.problems.extend(
            Problem(file, int(lines[i]), header, str(v), message, str(h), sheet=sheet)
            for i, v, h in zip(idx, shown, row_hints, strict=False)
        )

    def warn(self, row: int, column: str, value: str, message: str, hint: str = "") -> None:
        """Record a warning about row position ``row``: it loads, but the user should know."""
        self.warnings.append(
            Problem(self.raw.file, int(self.raw.lines[row]), self.raw.header(column), value, message, hint,
                    sheet=self.raw.sheet)
        )  # fmt: skip

    def ids(self, column: str) -> pd.Series:
        """The id column under :func:`normalise_id`, one warning per id written otherwise.

        Only the cells that are not plain ASCII are looked at (one vectorised test).
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        text = self.col(column)
        arr = pa.array(text, type=pa.large_string(), from_pandas=True)
        odd = np.flatnonzero(~np.asarray(pc.string_is_ascii(arr).to_numpy(zero_copy_only=False), dtype=bool))
        if not len(odd):
            return text
        values = text.iloc[odd]
        mapping = {u: normalise_id(u) for u in pd.unique(values.to_numpy())}
        changed = {u: v for u, v in mapping.items() if u != v}
        if not changed:
            return text
        out = text.copy()
        out.iloc[odd] = values.map(mapping).to_numpy()
        is_changed = np.asarray(values.isin(list(changed)).to_numpy(), dtype=bool)
        first: dict[str, tuple[int, str]] = {}
        for pos, raw_id in zip(odd[is_changed].tolist(), values.to_numpy()[is_changed].tolist(), strict=True):
            if raw_id not in first:
                first[raw_id] = (int(self.raw.lines[pos]), changed[raw_id])
        if self.id_log is not None:  # a piece of a file: the whole file's warnings are worded once, at its end
            log = self.id_log.setdefault(column, {})
            for raw_id, seen in first.items():
                log.setdefault(raw_id, seen)
        else:
            self.warnings.extend(id_warnings(self.raw, column, first))
        self._cols[column] = out
        return out

    def visible_text(self, column: str) -> pd.Series:
        """The text column without invisible characters (bidi controls such as U+202E, zero-width spaces), a
        warning for each row that had them."""
        import pyarrow as pa
        import pyarrow.compute as pc

        text = self.col(column)
        arr = pa.array(text, type=pa.large_string(), from_pandas=True)
        hit = np.asarray(pc.match_substring_regex(arr, INVISIBLE).to_numpy(zero_copy_only=False), dtype=bool)
        if not hit.any():
            return text
        out = text.copy()
        for i in np.flatnonzero(hit):
            value = str(text.iat[int(i)])
            out.iat[int(i)] = re.sub(INVISIBLE, "", value).strip()
            self.warnings.append(invisible_warning(self.raw.file, int(self.raw.lines[int(i)]),
                                                   self.raw.header(column), value, sheet=self.raw.sheet))  # fmt: skip
        self._cols[column] = out
        return out

    def required(self, *columns: str) -> None:
        for c in columns:
            self.flag(
                self.col(c) == "", c, "a required value is empty", f"Fill in {self.raw.header(c)!r} or delete the row."
            )

    def money(self, column: str, *, what: str = "yuan", signed: bool = False) -> pd.Series:
        """Parse a money/number column: empty → NaN, errors flagged.

        A header unit (``年采购额(万元)``) scales the column; a cell's own unit
        (``1.07万``, ``2亿元``, ``1,234元``) scales that cell instead.  Commas
        are thousands separators only in groups of three digits (``1,234.5``);
        ``1,5`` or ``1.234,50`` is an error, never 15 or 1.23.
        """
        text = self.col(column)
        present = (text != "").to_numpy()
        if not present.any():  # an absent or empty column: nothing to parse
            return pd.Series(np.full(len(text), np.nan), index=text.index)
        factor = self.raw.units.get(column, ("", 1.0))[1]
        num = _to_float(text, present).to_numpy(copy=True)
        if factor != 1.0:
            num = np.round(num * factor, 6)  # 1.07 万元 is 10700 元, not 10700.000000000002
        retry = present & ~np.isfinite(num)
        special = np.zeros(len(text), dtype=bool)
        comma = np.zeros(len(text), dtype=bool)
        date = np.zeros(len(text), dtype=bool)
        excel = np.zeros(len(text), dtype=bool)
        if retry.any():  # units, separators, ¥, inf/nan words, dates: only the few cells that need it
            units = CELL_UNITS.get(what, {})
            cleaned = text[retry].str.replace(r"[¥￥\s]", "", regex=True)
            pattern = "(" + "|".join(sorted(map(re.escape, units), key=len, reverse=True)) + ")$" if units else "((?!))"
            unit = cleaned.str.extract(pattern, expand=False)
            cleaned = cleaned.str.replace(pattern, "", regex=True)
            grouped = cleaned.str.fullmatch(_GROUPED).fillna(False).astype(bool)
            has_comma = cleaned.str.contains("[,，]", regex=True).fillna(False).astype(bool)
            cleaned = cleaned.where(~grouped, cleaned.str.replace("[,，]", "", regex=True))
            values = pd.to_numeric(cleaned, errors="coerce").astype("float64").to_numpy()
            scale = unit.map(units).fillna(factor).astype("float64").to_numpy()
            values = np.where(scale != 1.0, np.round(values * scale, 6), values)
            values[(has_comma & ~grouped).to_numpy()] = np.nan
            num[retry] = values
            comma[retry] = (has_comma & ~grouped).to_numpy()
            special[retry] = cleaned.str.fullmatch(r"(?i)[+-]?(inf(inity)?|nan)").fillna(False).astype(bool).to_numpy()
            date[retry] = text[retry].str.fullmatch(_DATE).fillna(False).astype(bool).to_numpy()
            excel[retry] = text[retry].str.fullmatch(_EXCEL_ERROR).fillna(False).astype(bool).to_numpy()
        finite = np.isfinite(num)
        with np.errstate(invalid="ignore"):
            negative = finite & (num < 0) & (not signed)
            huge = finite & (num > MAX_MONEY)
        odd = comma | date | special | excel
        self.flag(present & ~finite & ~odd, column, "not a number", f"Write plain {what}, e.g. 2850 or 2850.5.")
        self.flag(present & special, column, "not a finite number", f"Write plain {what}, e.g. 2850.")
        self.flag(comma, column, "a comma that is not a thousands separator (a decimal comma?)",
                  "Write 1.5 for one and a half; a thousands separator groups three digits (1,500).")  # fmt: skip
        self.flag(excel, column, "the cell holds an Excel error value", "Fix the formula, or type the value.")
        self.flag(date, column, "a date, not a number",
                  "Excel turned the entry into a date: format the column as 数值 (number) and type it again.")  # fmt: skip
        self.flag(present & negative, column, "negative amount",
                  f"Amounts are {what} >= 0; write a former supply as status 'former'.")  # fmt: skip
        self.flag(present & huge, column, "implausibly large amount (over 10万亿)",
                  f"Check the unit: amounts are in {what}.")  # fmt: skip
        num[~finite | negative | huge] = np.nan
        return pd.Series(num, index=text.index)

    def choice(self, column: str, aliases: dict[str, str], *, default: str) -> pd.Series:
        import pyarrow as pa

        text = self.col(column)
        codes, uniques = pd.factorize(text)  # a handful of distinct values: map those, then take
        table = [default if u == "" else aliases.get(str(u).lower()) for u in uniques]
        known = np.array([t is not None for t in table] + [True], dtype=bool)
        allowed = " / ".join(sorted(set(aliases)))
        self.flag(~known[codes], column, "unknown value", f"Use one of: {allowed}.")
        values = pa.array([t or default for t in table] + [default], type=pa.string())
        taken = values.take(pa.array(np.where(codes < 0, len(table), codes)))
        return pd.Series(pd.array(taken, dtype="str"), index=text.index)


def id_warnings(raw: RawTable, column: str, first: dict[str, tuple[int, str]]) -> list[Problem]:
    """The warnings for ids written otherwise than read (:meth:`Checker.ids`): each id once, on its first line,
    the first 20 named and the rest counted.

    ``first`` maps an id as written to its first line and the id as read, in the order of the file.
    """
    return id_warning_list(raw.file, raw.header(column), list(first.items())[:21], len(first), sheet=raw.sheet)


def id_warning_list(
    file: str, header: str, first: list[tuple[str, tuple[int, str]]], count: int, *, sheet: str | None = None
) -> list[Problem]:
    """:func:`id_warnings`' words: ``first`` the first 21 (id as written, (line, id as read)) in file order,
    ``count`` how many ids there are in all (the Spark reader brings back only these).

    >>> [str(w) for w in id_warning_list("e.csv", "id", [("Ｅ１", (2, "E1"))], 1)]
    ["e.csv, line 2, column 'id', value 'Ｅ１': id read as 'E1'. Full-width letters and digits are read as ASCII, \
invisible characters removed."]
    """
    out = []
    for k, (raw_id, (line, read_as)) in enumerate(first):
        if k == 20:
            out.append(Problem(file, line, header, "", f"and {count - 20} more ids read in the same way", "",
                               sheet=sheet))  # fmt: skip
            break
        out.append(Problem(file, line, header, raw_id, f"id read as {read_as!r}",
                           "Full-width letters and digits are read as ASCII, invisible characters removed.",
                           sheet=sheet))  # fmt: skip
    return out


def invisible_warning(file: str, line: int, header: str, value: str, *, sheet: str | None = None) -> Problem:
    """The warning for a name or zone cell whose invisible characters (:data:`~chaingraph.rawtables.INVISIBLE`)
    were removed; ``value`` the cell as read (the Spark reader words its rows with it too).

    >>> w = invisible_warning("e.csv", 3, "name", "晋\u200b钢")
    >>> w.message, w.value.isascii(), len(w.value)
    ('invisible control characters removed (U+200B)', True, 18)
    """
    codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in re.findall(INVISIBLE, value)}))
    return Problem(file, line, header, value.encode("unicode_escape").decode("ascii"),
                   f"invisible control characters removed ({codes})",
                   "They can reorder or hide what a name shows (bidi controls, zero-width spaces).", sheet=sheet)  # fmt: skip


class IdsSoFar:
    """What the checks of an enterprises file read piece by piece carry from one piece to the next.

    Every row's id so far in one :class:`~chaingraph.lookup.IdTable` (hashed once; after the last piece it is
    what the links are looked up in) and its line, for the duplicate check across pieces; the ids in lower
    case in a second table once the ids hold both letter cases (the letter-case check).  Positions count
    every row of the file read so far.
    """

    def __init__(self, *, expect: int = 0) -> None:
        self.table = IdTable()
        self.lower: IdTable | None = None
        self._expect = expect
        self._lines = np.zeros(max(expect, 1024), dtype=np.int64)
        self._letters = np.zeros(3, dtype=bool)  # upper-case ASCII, lower-case ASCII, not ASCII

    def __len__(self) -> int:
        return len(self.table)

    @property
    def lines(self) -> np.ndarray:
        """Each row's line (or row number) in the file."""
        return self._lines[: len(self.table)]

    def add(self, ids: pd.Series, lines: np.ndarray) -> np.ndarray:
        """Add a piece's ids; per row, the position of the first row with its id (its own when new)."""
        base = len(self.table)
        if base + len(ids) > len(self._lines):
            self._lines = np.concatenate([self._lines, np.zeros(max(base + len(ids), 2 * len(self._lines))
                                                                - len(self._lines), dtype=np.int64)])  # fmt: skip
        self._lines[base : base + len(ids)] = lines
        return self.table.add(ids, expect=self._expect)

    def mixed(self, ids: pd.Series) -> bool:
        """Whether the ids so far (``ids`` the last piece's) hold both letter cases (:func:`_mixed_case`)."""
        self._letters |= _letters(ids)
        return bool(self._letters[2] or (self._letters[0] and self._letters[1]))

    def first_by_case(self, ids: pd.Series) -> np.ndarray:
        """Per row of the last piece, the position of the first row whose id reads the same in lower case."""
        base = len(self.table) - len(ids)
        if self.lower is None:
            self.lower = IdTable()
            if base:
                self.lower.add(pd.Series(pd.array(self.table.keys().slice(0, base), dtype="str")).str.lower(),
                               expect=self._expect)  # fmt: skip
        return self.lower.add(ids.str.lower(), expect=self._expect)

    def ids_at(self, at: np.ndarray, index: pd.Index) -> pd.Series:
        """The ids at positions ``at``."""
        import pyarrow as pa

        return pd.Series(pd.array(self.table.keys().take(pa.array(at)), dtype="str"), index=index)


def validate_enterprises(
    raw: RawTable,
    *,
    so_far: IdsSoFar | None = None,
    id_log: dict[str, dict[str, tuple[int, str]]] | None = None,
) -> tuple[pd.DataFrame, Checker]:
    """Type the enterprises table; duplicates after the first are flagged.

    ``raw`` may be one piece of a file read piece by piece (:func:`~chaingraph.rawtables.csv_pieces`), the
    pieces in file order: ``so_far`` then carries the ids of the pieces before (a duplicate of an id in an
    earlier piece is flagged as in the whole file, with that piece's line), ``id_log`` the ids read otherwise
    (worded once, by :func:`id_warnings`, at the file's end).
    """
    ck = Checker(raw)
    ck.id_log = id_log
    ids = ck.ids("id")
    ck.visible_text("name")
    ck.visible_text("zone")
    ck.required("id", "name", "zone")
    line_word = row_word(raw.file, raw.sheet)
    if so_far is not None:
        base = len(so_far)
        first_at = so_far.add(ids, raw.lines)
        dup = pd.Series((first_at != np.arange(base, base + len(ids))) & (ids != "").to_numpy(), index=ids.index)
    else:
        dup = ids.duplicated(keep="first") & (ids != "")
    if dup.any():
        if so_far is not None:
            first_line = pd.Series(so_far.lines[first_at], index=ids.index)
        else:
            first_line = pd.Series(raw.lines, index=ids.index).groupby(ids).transform("first")
        ck.flag(
            dup,
            "id",
            "duplicate enterprise id",
            "",
            hints=f"The id is first used on {line_word} "
            + first_line.astype(str)
            + "; merge the rows or give a new id.",
        )
    first_id: pd.Series | None = None
    if so_far is not None:
        if so_far.mixed(ids):
            by_case = so_far.first_by_case(ids)
            first_id = so_far.ids_at(by_case, ids.index)
            first_line = pd.Series(so_far.lines[by_case], index=ids.index)
    else:
        low = ids.str.lower() if _mixed_case(ids) else ids
        if low is not ids and low.nunique() < ids.nunique():  # ids differing only in letter case: alike firms
            first_id = ids.groupby(low).transform("first")
            first_line = pd.Series(raw.lines, index=ids.index).groupby(low).transform("first")
    if first_id is not None:
        ck.flag(
            (ids != first_id) & (ids != "") & ~dup,
            "id",
            "the id differs only in letter case from another enterprise's",
            "",
            hints="'" + first_id + f"' is on {line_word} " + first_line.astype(str)
            + "; ids are case-sensitive: write one firm's id one way, or make the ids differ.",
        )  # fmt: skip
    leader_text = ck.col("chain_leader").str.lower()
    ck.flag(~leader_text.isin(_TRUE | _FALSE), "chain_leader", "not true/false", "Write true or false (是/否).")
    lat, lon = ck.money("lat", what="degrees", signed=True), ck.money("lon", what="degrees", signed=True)
    ck.flag((lat.abs() > 90).fillna(False), "lat", "latitude out of range", "Latitude is -90..90.")
    ck.flag((lon.abs() > 180).fillna(False), "lon", "longitude out of range", "Longitude is -180..180.")
    out = pd.DataFrame(
        {
            "id": ids,
            "name": ck.col("name"),
            "zone": ck.col("zone"),
            "park": ck.col("park"),
            "city": ck.col("city"),
            "province": ck.col("province"),
            "industry": ck.col("industry"),
            "products": ck.col("products"),
            "kind": ck.choice("kind", KIND_ALIASES, default="manufacturer"),
            "output_value": ck.money("output_value"),
            "employees": ck.money("employees", what="people"),
            "chain_leader": leader_text.isin(_TRUE),
            "lat": lat.where(lat.abs() <= 90),
            "lon": lon.where(lon.abs() <= 180),
            "line": raw.lines,
        },
        copy=False,
    )
    return out, ck


def validate_links(
    raw: RawTable, known_ids: pd.Index | IdTable, *, id_log: dict[str, dict[str, tuple[int, str]]] | None = None
) -> tuple[pd.DataFrame, Checker, np.ndarray]:
    """Type the links table and derive value, landed cost and volume.

    Also returns the link ends: a ``(2, rows)`` array with, per link row, the
    position of its supplier and of its buyer in ``known_ids`` (first
    occurrence; -1 when unknown).  The id check computes them anyway, and the
    analyses need them to tell which links touch a zone.  ``known_ids`` is an
    :class:`~chaingraph.lookup.IdTable` for a file read piece by piece (hashed
    once for all pieces).
    """
    ck = Checker(raw)
    ck.id_log = id_log
    sup, buy = ck.ids("supplier_id"), ck.ids("buyer_id")
    ck.ids("via")
    ck.required("supplier_id", "buyer_id", "product")
    hint = UNKNOWN_ID[1]
    if isinstance(known_ids, IdTable):
        ends = np.stack(known_ids.positions_of((sup, buy)))
    else:
        ends = np.stack(positions_of((sup, buy), known_ids))
    for side, column, col in ((0, "supplier_id", sup), (1, "buyer_id", buy)):
        unknown_id = (col != "").to_numpy() & (ends[side] < 0)
        ck.flag(unknown_id, column, UNKNOWN_ID[0], "", hints=_unknown_hints(col, unknown_id, known_ids, hint))
    ck.flag(
        (sup != "") & (sup == buy), "buyer_id", "an enterprise cannot supply itself", "Correct supplier_id or buyer_id."
    )
    value = ck.money("annual_value")
    volume = ck.money("annual_volume", what="units")
    price = ck.money("unit_price")
    logistics = ck.money("logistics_cost")
    value = value.fillna(volume * price)  # as read, not rounded: a 0.0035 元 part keeps its digits
    no_value = (
        value.isna()
        & (ck.col("annual_value") == "")
        & ~((ck.col("annual_volume") != "") & (ck.col("unit_price") != ""))
    )
    ck.flag(
        no_value,
        "annual_value",
        "no annual value, and no volume and unit price to compute it",
        "Fill in annual_value (年采购额) in yuan, or annual_volume and unit_price.",
    )
    status = ck.choice("status", STATUS_ALIASES, default="active")
    via, items, rows = join_lists(ck.col("via"))  # ids joined by ";" in route order
    unknown = np.zeros(len(raw.frame), dtype=bool)
    known_via = known_ids.positions(items) >= 0 if isinstance(known_ids, IdTable) else isin(items, known_ids)
    unknown[rows[~known_via]] = True
    ck.flag(unknown, "via", *UNKNOWN_VIA)
    landed = price + logistics.fillna(0.0)
    vol = volume.fillna(value / price.where(price > 0))
    out = pd.DataFrame(
        {
            "supplier_id": sup,
            "buyer_id": buy,
            "product": ck.col("product"),
            "annual_value": value,
            "annual_volume": volume,
            "unit_price": price,
            "logistics_cost": logistics.fillna(0.0),
            "status": status,
            "via": via,
            "note": ck.col("note"),
            "line": raw.lines,
            "value": value.fillna(0.0),
            "landed": landed,
            "vol": vol,
        },
        copy=False,  # the columns are new: no need for pandas to copy them again
    )
    return out, ck, ends


def _letters(ids: pd.Series) -> np.ndarray:
    """Whether the ids' text holds upper-case ASCII letters, lower-case ones, bytes that are not ASCII.

    >>> _letters(pd.Series(["E001", "jc"])).tolist()
    [True, True, False]
    """
    import pyarrow as pa

    found = np.zeros(3, dtype=bool)
    arr = pa.array(ids, type=pa.large_string(), from_pandas=True)
    for chunk in arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]:
        data = chunk.buffers()[2]
        if data is None:
            continue
        b = np.frombuffer(data, dtype=np.uint8)
        found |= [((b >= 0x41) & (b <= 0x5A)).any(), ((b >= 0x61) & (b <= 0x7A)).any(), (b >= 0x80).any()]
        if found[2] or (found[0] and found[1]):
            break
    return found


def _mixed_case(ids: pd.Series) -> bool:
    """Whether the ids' text holds both upper- and lower-case letters (else no two can differ only in case).

    One pass over the column's bytes, over all its chunks; any non-ASCII byte counts as both (Unicode
    letters have case too).

    >>> _mixed_case(pd.Series(["E001", "JC-JG"])), _mixed_case(pd.Series(["jc-01", "JC-01"]))
    (False, True)
    """
    found = _letters(ids)
    return bool(found[2] or (found[0] and found[1]))


def _unknown_hints(ids: pd.Series, unknown: np.ndarray, known: pd.Index | IdTable, hint: str) -> pd.Series:
    """The unknown-id hint per row; an id that matches a known one but for letter case says which."""
    hints = pd.Series(hint, index=ids.index, dtype=object)
    if unknown.any():
        if isinstance(known, IdTable):
            by_case = known.by_case()
        else:
            by_case = pd.Series(known.to_numpy(), index=pd.Index(known.str.lower())).groupby(level=0).first()
        for i in np.flatnonzero(unknown):
            match = by_case.get(str(ids.iat[int(i)]).lower())
            if match is not None:
                hints.iat[int(i)] = f"Did you mean {match!r}? Ids are case-sensitive."
    return hints


def validate_chains(raw: RawTable) -> tuple[pd.DataFrame, Checker]:
    """Type the chain map; a product may not feed itself."""
    ck = Checker(raw)
    ck.required("chain", "product")
    product, inp = ck.col("product"), ck.col("input")
    ck.flag((inp != "") & (inp == product), "input", "a product cannot feed itself", "Correct the input column.")
    _flag_cycles(ck, ck.col("chain"), product, inp)
    out = pd.DataFrame(
        {
            "chain": ck.col("chain"),
            "product": product,
            "input": inp,
            "segment": ck.col("segment"),
            "line": raw.lines,
        }
    )
    return out, ck


def _flag_cycles(ck: Checker, chain: pd.Series, product: pd.Series, inp: pd.Series) -> None:
    """Flag each row that closes a product cycle inside its chain (docs/analysis.md, "Loading").

    A cycle has no end product, so the chain would drop out of stage coverage.
    Rows are taken in file order; the row whose input is already reachable
    from its product is the one that feeds back, and its hint shows the loop.
    """
    import networkx as nx

    ok = ((inp != "") & (product != "") & (chain != "") & (inp != product)).to_numpy() & ~ck.bad
    rows = np.flatnonzero(ok)
    if not len(rows):
        return
    ch, src, dst = chain.to_numpy()[rows], inp.to_numpy()[rows], product.to_numpy()[rows]
    g: nx.DiGraph = nx.DiGraph()
    g.add_edges_from(zip(zip(ch, src, strict=True), zip(ch, dst, strict=True), strict=True))
    cyclic = {n for c in nx.strongly_connected_components(g) if len(c) > 1 for n in c}
    if not cyclic:
        return
    seen: nx.DiGraph = nx.DiGraph()  # the chain map so far, in file order, for the rows inside a cycle
    hints = np.full(len(chain), "", dtype=object)
    bad = np.zeros(len(chain), dtype=bool)
    for i, c, u, v in zip(rows.tolist(), ch.tolist(), src.tolist(), dst.tolist(), strict=True):
        if (c, u) not in cyclic or (c, v) not in cyclic:
            continue
        if seen.has_node((c, v)) and seen.has_node((c, u)) and nx.has_path(seen, (c, v), (c, u)):
            loop = [p for _, p in nx.shortest_path(seen, (c, v), (c, u))] + [v]
            bad[i] = True
            hints[i] = (f"Chain {c!r}: {' → '.join(loop)}. A chain map runs from inputs to end products; "
                        "remove or correct the row that feeds back.")  # fmt: skip
        else:
            seen.add_edge((c, u), (c, v))
    ck.flag(bad, "input", "this row closes a product cycle (a cycle has no end product)", "", hints=pd.Series(hints))
