"""Load a data folder, or one Excel workbook, into a :class:`~chaingraph.model.Dataset`.

SOURCE is a folder holding the tables as CSV, Excel or Parquet files (``enterprises.csv``,
``企业.xlsx``, ``links.parquet`` …), or one workbook whose sheets are the tables (``企业`` /
``供应关系`` / ``产业链``, or ``enterprises`` / ``links`` / ``chains``).
Enterprises and links are required, chains optional.  By default any problem
stops the load with :class:`~chaingraph.errors.InputError` listing them all;
with ``skip_bad=True`` rows with problems are set aside (kept in
``Dataset.rejected``) and the rest is used.  A missing required column or an
unreadable file stops the load either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from chaingraph.errors import InputError, Problem
from chaingraph.listcells import split_list
from chaingraph.model import Dataset, FileSummary
from chaingraph.rawtables import TABLES, RawTable, read_parquet_table, read_table
from chaingraph.rawtables import check_source as _check_source
from chaingraph.validate import Checker, validate_chains, validate_enterprises, validate_links
from chaingraph.xlsx import EXTENSIONS, Workbook, open_workbook, sheet_for

__all__ = [
    "FILES",
    "NEW_DEMAND",
    "EnterpriseSink",
    "PiecesLoad",
    "links_in_pieces",
    "load_dataset",
    "load_in_pieces",
    "load_scenario",
    "write_rejects",
]

#: The file names a data folder holds, by kind: each table name of :data:`~chaingraph.rawtables.TABLES`
#: with ``.csv`` or an Excel ending (``enterprises.csv``, ``企业.csv``, ``供应关系.xlsx`` …).
FILES = {kind: tuple(f"{stem}{ext}" for stem in stems for ext in (".csv", ".xlsx", ".parquet"))
         for kind, stems in TABLES.items()}  # fmt: skip
_SHEETS = {kind: f"{stems[1]} ({stems[0]})" for kind, stems in TABLES.items()}


def _find(folder: Path, kind: str) -> list[Path]:
    """The files in ``folder`` that hold table ``kind`` (more than one is a problem)."""
    wanted = {stem.casefold() for stem in TABLES[kind]}
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in (".csv", ".parquet", *EXTENSIONS) and p.stem.strip().casefold() in wanted
        and not p.name.startswith("~$")  # Excel's lock file beside an open workbook
    )  # fmt: skip


def _summary(raw: RawTable, kind: str, ck: Checker) -> FileSummary:
    rejected = int(ck.bad.sum()) + (raw.rows_in_file - len(raw.frame))
    units = tuple(
        f"{col} read in {unit} from header {raw.header(col)!r}" + (f" (×{factor:g})" if factor != 1 else "")
        for col, (unit, factor) in raw.units.items()
    )
    return FileSummary(raw.file, kind, raw.rows_in_file, raw.rows_in_file - rejected, rejected, raw.blank_lines,
                       raw.encoding, sheet=raw.sheet, units=units)  # fmt: skip


class _Books:
    """Workbooks opened once for all the tables they hold."""

    def __init__(self) -> None:
        self.open: dict[Path, Workbook | Problem] = {}

    def get(self, path: Path) -> Workbook | Problem:
        if path not in self.open:
            self.open[path] = open_workbook(path)
        return self.open[path]


def _read(path: Path, kind: str, books: _Books, *, ignore_unknown: bool) -> tuple[RawTable | None, list[Problem]]:
    """Read one table from a CSV or Parquet file, or from the right sheet of a workbook file."""
    if path.suffix.lower() == ".parquet":
        return read_parquet_table(path, kind, ignore_unknown=ignore_unknown)
    if path.suffix.lower() not in EXTENSIONS:
        return read_table(path, kind, ignore_unknown=ignore_unknown)
    book = books.get(path)
    if isinstance(book, Problem):
        return None, [book]
    sheet = sheet_for(book.sheet_names, kind)
    if sheet is None:
        visible = [n for n in book.sheet_names if book.visible(n)]
        if len(visible) != 1:
            return None, [_no_sheet(book, kind)]
        sheet = visible[0]
    return book.read(sheet, kind, ignore_unknown=ignore_unknown)


def _no_sheet(book: Workbook, kind: str) -> Problem:
    if kind not in TABLES:  # a scenario file: one table
        return Problem(book.file, None, None, None, "the workbook has more than one sheet",
                       f"Keep the table on one sheet; the workbook has: {', '.join(book.sheet_names)}.")  # fmt: skip
    names = " / ".join(TABLES[kind])
    return Problem(book.file, None, None, None, f"the workbook has no sheet {_SHEETS[kind]}",
                   f"Name the sheet {names}; the workbook has: {', '.join(book.sheet_names) or 'no sheets'}.")  # fmt: skip


def _tables(
    source: Path, books: _Books, *, ignore_unknown: bool, defer: tuple[str, ...] = ()
) -> tuple[dict[str, RawTable | None], list[Problem]]:
    """Read every table of ``source`` (a folder or a workbook); a folder's tables ``defer`` are left to the caller."""
    problems: list[Problem] = []
    raws: dict[str, RawTable | None] = {}
    if source.is_file():
        book = books.get(source)
        if isinstance(book, Problem):
            return {}, [book]
        wanted: dict[str, str] = {}
        for kind in ("links", "enterprises", "chains"):  # the largest sheet first: it starts first
            sheet = sheet_for(book.sheet_names, kind)
            if sheet is not None:
                wanted[kind] = sheet
            elif kind != "chains":
                problems.append(_no_sheet(book, kind))
        for kind, (raw, found) in book.read_all(wanted, ignore_unknown=ignore_unknown).items():
            raws[kind] = raw
            problems.extend(found)
        return {k: raws[k] for k in TABLES if k in raws}, problems
    paths = {kind: _find(source, kind) for kind in TABLES}
    if not paths["enterprises"] and not paths["links"]:
        books_here = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS
                            and not p.name.startswith("~$"))  # fmt: skip
        if len(books_here) == 1:  # a folder holding one workbook: its sheets are the tables
            return _tables(books_here[0], books, ignore_unknown=ignore_unknown)
    for kind, found_paths in paths.items():
        if len(found_paths) > 1:
            names = " and ".join(p.name for p in found_paths)
            problems.append(Problem(str(source), None, None, None, f"{names} both hold the {kind} table",
                                    "Keep one of them in the folder."))  # fmt: skip
            continue
        if not found_paths:
            if kind != "chains":
                problems.append(Problem(str(source / f"{kind}.csv"), None, None, None, "the file is missing",
                                        f"Put {kind}.csv (or {TABLES[kind][1]}.csv, or {kind}.xlsx) in the data "
                                        "folder."))  # fmt: skip
            continue
        if kind in defer:
            continue
        raws[kind], found = _read(found_paths[0], kind, books, ignore_unknown=ignore_unknown)
        problems.extend(found)
    return raws, problems


def load_dataset(source: str | Path, *, skip_bad: bool = False, ignore_unknown_columns: bool = False) -> Dataset:
    """Read, validate and type the tables in ``source``.

    Parameters
    ----------
    source
        A folder with ``enterprises``, ``links`` and optionally ``chains``
        tables (``.csv`` or ``.xlsx`` files, English or Chinese names), or one
        ``.xlsx`` workbook whose sheets are the tables.
    skip_bad
        Set rows with problems aside instead of stopping.
    ignore_unknown_columns
        Read a table with a header that closely resembles a known column it
        lacks (``物流费用`` for 物流成本), leaving that column out, instead of
        stopping; the header is still reported as a warning.

    Raises
    ------
    InputError
        Listing every problem, when the data cannot be used as it is.

    Examples
    --------
    >>> ds = load_dataset("data")
    >>> sorted(ds.links["status"].unique())
    ['active', 'former', 'planned']
    """
    folder = Path(source)
    _check_source(folder)
    raws, problems = _tables(folder, _Books(), ignore_unknown=ignore_unknown_columns)
    ent_raw, link_raw = raws.get("enterprises"), raws.get("links")
    fatal = any(p.line is None or p.line == 1 for p in problems) or any(r is None for r in raws.values())
    if fatal or ent_raw is None or link_raw is None:
        raise InputError(_ordered(problems))

    enterprises, ent_ck = validate_enterprises(ent_raw)
    links, link_ck, ends = validate_links(link_raw, pd.Index(enterprises["id"]))
    if skip_bad and ent_ck.bad.any():
        _set_aside_orphans(link_ck, ends, _EntRows(ent_raw.file, ent_raw.encoding, ent_raw.lines), ent_ck.bad)
    checkers: list[tuple[str, RawTable, Checker]] = [("enterprises", ent_raw, ent_ck), ("links", link_raw, link_ck)]
    chains = None
    chain_raw = raws.get("chains")
    if chain_raw is not None:
        chains, chain_ck = validate_chains(chain_raw)
        checkers.append(("chains", chain_raw, chain_ck))
    for _, _, ck in checkers:
        problems.extend(ck.problems)
    problems = _ordered(problems)
    if problems and not skip_bad:
        raise InputError(problems, skippable=True)

    summaries = tuple(_summary(raw, kind, ck) for kind, raw, ck in checkers)
    notes = tuple(w for _, raw, ck in checkers for w in (*raw.warnings, *ck.warnings))
    kept = ~ent_ck.bad
    enterprises, links = _kept(enterprises, ent_ck), _kept(links, link_ck)
    if chains is not None:
        chains = _kept(chains, checkers[2][2])
    # The ends point into every enterprise row; renumber them to the kept rows (set-aside rows: -1, unknown).
    # A duplicate id after the first is always set aside, so the first occurrence stays the one found.
    renumber = np.append(np.where(kept, np.cumsum(kept) - 1, -1), -1)
    sup, buy = renumber[ends[:, ~link_ck.bad]]
    return Dataset(enterprises, links, chains, source=str(folder), files=summaries, rejected=tuple(problems),
                   warnings=notes, link_ends=(sup, buy))  # fmt: skip


@dataclass(frozen=True)
class _EntRows:
    """Where the enterprise rows are: the file, how it was read, each row's line."""

    file: str
    encoding: str
    lines: np.ndarray


def _set_aside_orphans(link_ck: Checker, ends: np.ndarray, ent_raw: _EntRows, set_aside: np.ndarray) -> None:
    """Set aside the links whose supplier's or buyer's enterprise row is set aside.

    Kept, such a link would have a firm of no zone at one end: a purchase by
    a firm of Z from a set-aside firm of Z would count as bought from outside.
    """
    gone = np.append(set_aside, False)  # index -1, an unknown id, is flagged already
    for side, column in enumerate(("supplier_id", "buyer_id")):
        orphan = gone[ends[side]]
        if orphan.any():
            hints = np.full(len(orphan), "", dtype=object)
            word = "row" if ent_raw.encoding == "parquet" else "line"  # a worksheet's rows said "line" before
            hints[orphan] = [f"Fix {word} {int(n)} of {ent_raw.file}; the link is set aside with it."
                             for n in ent_raw.lines[ends[side][orphan]]]  # fmt: skip
            link_ck.flag(orphan, column, "the enterprise's row is set aside", "", hints=pd.Series(hints))


def _kept(frame: pd.DataFrame, ck: Checker) -> pd.DataFrame:
    """The rows without problems (the frame itself when there are none: copying 2M rows costs 0.2 s)."""
    return frame.loc[~ck.bad].reset_index(drop=True) if ck.bad.any() else frame


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.sheet or "", p.line or 0))


def write_rejects(problems: tuple[Problem, ...] | list[Problem], path: str | Path) -> Path:
    """Write set-aside rows' problems to a UTF-8 (with BOM, for Excel) CSV, formula-safe (:mod:`chaingraph.spreadsheet`).

    Columns: file, line, column, value, problem, hint.  A row with several
    problems has one line per problem.
    """
    from chaingraph.spreadsheet import write_csv

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = ([p.source, p.line if p.line is not None else "", p.column or "", p.value or "", p.message, p.hint]
            for p in problems)  # fmt: skip
    write_csv((["file", "line", "column", "value", "problem", "hint"], rows), out)
    return out


#: Words of a scenario link's ``replaces`` cell that mark new demand, added on purpose.
NEW_DEMAND = ("new", "新增", "新需求")


def load_scenario(ds: Dataset, enterprises: str | Path, links: str | Path | None = None) -> Dataset:
    """``ds`` plus the firms (and links) of a what-if scenario, validated like the data files.

    The scenario's enterprises file has enterprises.csv's columns and
    ``capture`` [承接比例]: the share (0–1, or 0%–100%) of the zone's outside
    purchases of its products that the firm takes over (empty: the default of
    :func:`~chaingraph.analysis.whatif.whatif`); its ids must be new.  Its
    links file (optional) has links.csv's columns and ``replaces`` [替代]: the
    outside suppliers (ids, ``;``-separated) whose links to the same buyer and
    product the link takes over, empty for any outside supplier of them, or
    ``new`` [新增] for demand added on purpose.  Bad rows are reported as in
    the data files.  The returned dataset carries the two columns (NaN / ""
    on the data's own rows) and the scenario files in ``files``.
    """
    problems: list[Problem] = []
    books = _Books()
    raw, found = _read(Path(enterprises), "scenario", books, ignore_unknown=False)
    problems.extend(found)
    if raw is None:
        raise InputError(_ordered(problems))
    new_ent, ck = validate_enterprises(raw)
    clash = new_ent["id"].isin(ds.enterprises["id"]).to_numpy()
    ck.flag(clash, "id", "this id is already in the data", "A scenario adds new firms: give it a new id.")
    new_ent = new_ent.assign(capture=_share(ck, "capture"))
    problems.extend(ck.problems)
    files = [FileSummary(raw.file, "scenario", raw.rows_in_file, len(raw.frame), 0, raw.blank_lines, raw.encoding)]
    ids = pd.Index(pd.concat([ds.enterprises["id"], new_ent["id"]]))
    new_links = ds.links.iloc[0:0].assign(replaces=pd.Series(dtype="str"))
    if links is not None:
        lraw, lfound = _read(Path(links), "scenario_links", books, ignore_unknown=False)
        problems.extend(lfound)
        if lraw is None:
            raise InputError(_ordered(problems))
        new_links, lck, _ = validate_links(lraw, ids)
        replaces = lck.col("replaces")
        tokens = split_list(replaces)
        unknown = tokens.map(lambda xs: any(x not in ids and x.lower() not in NEW_DEMAND for x in xs)).to_numpy()
        lck.flag(unknown, "replaces", "unknown supplier id",
                 "Name the outside suppliers (ids) whose links this one replaces, or write new (新增).")  # fmt: skip
        new_links = new_links.assign(replaces=replaces.to_numpy())
        problems.extend(lck.problems)
        files.append(
            FileSummary(lraw.file, "scenario_links", lraw.rows_in_file, len(lraw.frame), 0, lraw.blank_lines,
                        lraw.encoding)
        )  # fmt: skip
    if problems:
        raise InputError(_ordered(problems))
    return Dataset(
        pd.concat([ds.enterprises, new_ent], ignore_index=True),
        pd.concat([ds.links, new_links], ignore_index=True),
        ds.chains,
        source=ds.source,
        files=(*ds.files, *files),
        rejected=ds.rejected,
    )


def scenario_ids(enterprises: str | Path, links: str | Path | None = None) -> set[str]:
    """Every cell of a what-if scenario's files, and each item of a list cell, as the id rule reads it.

    What :func:`load_scenario` may check against the data's ids: an engine that holds one zone's
    slice of the data (:mod:`chaingraph.relational.zone_slice`) adds the firms these name to it.
    A file that cannot be read gives nothing here (:func:`load_scenario` reports it).
    """
    from chaingraph.listcells import items
    from chaingraph.validate import normalise_id

    books = _Books()
    out: set[str] = set()
    for path, kind in ((enterprises, "scenario"), (links, "scenario_links")):
        if path is None or not Path(path).is_file():
            continue
        raw, _ = _read(Path(path), kind, books, ignore_unknown=False)
        if raw is None:
            continue
        for col in raw.frame.columns:
            for cell in pd.unique(raw.frame[col].astype(str).to_numpy()):
                out.add(normalise_id(str(cell)))
                out.update(normalise_id(x) for x in items(cell))
    out.discard("")
    return out


def _share(ck: Checker, column: str) -> pd.Series:
    """A share column: ``0.3`` or ``30%``; empty → NaN; not a number or outside 0–1 flagged."""
    text = ck.col(column)
    pct = text.str.endswith(("%", "％")).to_numpy()
    num = pd.to_numeric(text.str.rstrip("%％").where(text != "", None), errors="coerce").astype("float64")
    num = num.where(~pct, num / 100)
    present = (text != "").to_numpy()
    bad_number = present & num.isna().to_numpy()
    out_of_range = present & ~bad_number & ~((num >= 0) & (num <= 1)).to_numpy()
    hint = "Write a share from 0 to 1 (0.3) or a percentage (30%); empty takes the default."
    ck.flag(bad_number, column, "not a share", hint)
    ck.flag(out_of_range, column, "a share must be between 0 and 1 (0% and 100%)", hint)
    return num.where(~(bad_number | out_of_range))


# --- a large links file, piece by piece -----------------------------------------------------------------------

#: A links file at least this large (CSV bytes, or Parquet rows × 70) is validated piece by piece.
PIECES_FROM_BYTES = 64 << 20


def links_in_pieces(source: str | Path) -> Path | None:
    """The links file of a data folder to validate piece by piece (one CSV or Parquet file of at least
    :data:`PIECES_FROM_BYTES`), else ``None`` (read whole)."""
    folder = Path(source)
    if not folder.is_dir():
        return None
    found = _find(folder, "links")
    if len(found) != 1 or found[0].suffix.lower() not in (".csv", ".parquet"):
        return None
    if found[0].suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            rows = pq.ParquetFile(found[0]).metadata.num_rows
        except Exception:  # unreadable: the whole read words the problem
            return None
        return found[0] if rows * 70 >= PIECES_FROM_BYTES else None
    return found[0] if found[0].stat().st_size >= PIECES_FROM_BYTES else None


@dataclass(frozen=True)
class PiecesLoad:
    """What :func:`load_in_pieces` found: a :class:`Dataset` but for the links, which went to ``write`` (and the
    enterprises, which went to ``write_enterprises`` when one was given: then ``enterprises`` is ``None``)."""

    enterprises: pd.DataFrame | None
    chains: pd.DataFrame | None
    files: tuple[FileSummary, ...]
    rejected: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


LinkSink = Callable[[pd.DataFrame, np.ndarray, np.ndarray], None]
EnterpriseSink = Callable[[pd.DataFrame], None]


def _table_pieces(path: Path, kind: str, *, ignore_unknown: bool) -> Iterator[RawTable]:
    """A CSV or Parquet file of ``kind`` in pieces (:func:`~chaingraph.rawtables.csv_pieces`, Parquet by rows)."""
    from chaingraph.rawtables import PARQUET_PIECE_ROWS, WholeFileNeeded, csv_pieces, open_parquet

    if path.suffix.lower() == ".parquet":
        table, _ = open_parquet(path, kind, ignore_unknown=ignore_unknown)
        if table is None:
            raise WholeFileNeeded(str(path))
        return _usable(table.pieces(PARQUET_PIECE_ROWS), path)
    return csv_pieces(path, kind, ignore_unknown=ignore_unknown)


def _rows_expected(path: Path) -> int:
    """About how many rows a CSV or Parquet file holds (the id table is sized for them at once)."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            return int(pq.ParquetFile(path).metadata.num_rows)
        except Exception:  # unreadable: the reading words it
            return 0
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 20)
        return int(path.stat().st_size / max(len(head) / max(head.count(b"\n"), 1), 1.0))
    except OSError:
        return 0


class _PieceNotes:
    """The warnings of a file's pieces, each once, as the whole file's reading words them."""

    def __init__(self) -> None:
        self.notes: dict[Problem, None] = {}
        self.first: RawTable | None = None
        self.counts = np.zeros(4, dtype=np.int64)  # rows, loaded, rejected, blank lines

    def add(self, raw: RawTable, kind: str, ck: Checker) -> None:
        self.first = self.first or raw
        self.notes.update(dict.fromkeys(raw.warnings))
        s = _summary(raw, kind, ck)
        self.counts += (s.rows, s.loaded, s.rejected, s.blank_lines)

    def raw_warnings(self) -> list[Problem]:
        unnamed = "a column with values but no header, ignored"
        out = [w for w in self.notes if w.message != unnamed]
        return out + sorted((w for w in self.notes if w.message == unnamed), key=lambda w: int((w.column or "#0")[1:]))

    def summary(self, kind: str) -> FileSummary:
        assert self.first is not None  # called after a first piece
        s0 = _summary(self.first, kind, Checker(self.first))
        rows, loaded, rejected, blank = (int(c) for c in self.counts)
        return FileSummary(s0.file, kind, rows, loaded, rejected, blank, s0.encoding, sheet=s0.sheet, units=s0.units)


def load_in_pieces(
    source: str | Path,
    links: Path,
    write: LinkSink,
    *,
    skip_bad: bool = False,
    ignore_unknown_columns: bool = False,
    write_enterprises: EnterpriseSink | None = None,
) -> PiecesLoad:
    """:func:`load_dataset` with the links file ``links`` (:func:`links_in_pieces`) and a CSV or Parquet
    enterprises file validated piece by piece.

    The same rules, problems (in the same order), warnings and summaries as :func:`load_dataset`.  The
    enterprise ids are hashed once, piece by piece, into one :class:`~chaingraph.lookup.IdTable` (a
    duplicate of an earlier piece's id is flagged with that piece's line), which every links piece is then
    looked up in.  Each enterprises piece's kept rows go to ``write_enterprises`` (when given; else they are
    returned whole in :attr:`PiecesLoad.enterprises`), each links piece's kept links to ``write`` with their
    supplier's and buyer's rows among the kept enterprises (``-1``: unknown), in file order, so memory holds
    the enterprise ids and one piece.  Raises :class:`~chaingraph.rawtables.WholeFileNeeded` when the files
    have a problem only a whole read words exactly (a file that cannot be read, a missing column ...): call
    :func:`load_dataset` then.
    """
    from chaingraph.rawtables import WholeFileNeeded
    from chaingraph.validate import IdsSoFar, id_warnings

    folder = Path(source)
    _check_source(folder)
    ent_files = _find(folder, "enterprises")
    ent_path = ent_files[0] if len(ent_files) == 1 and ent_files[0].suffix.lower() in (".csv", ".parquet") else None
    defer = ("links", "enterprises") if ent_path is not None else ("links",)
    raws, problems = _tables(folder, _Books(), ignore_unknown=ignore_unknown_columns, defer=defer)
    whole_ent = raws.get("enterprises")
    if (
        (ent_path is None and whole_ent is None)
        or any(p.line is None or p.line == 1 for p in problems)
        or any(r is None for r in raws.values())
    ):
        raise WholeFileNeeded(str(folder))
    link_pieces = _table_pieces(links, "links", ignore_unknown=ignore_unknown_columns)
    ent_pieces: Iterable[RawTable]
    if ent_path is not None:
        ent_pieces = _table_pieces(ent_path, "enterprises", ignore_unknown=ignore_unknown_columns)
    else:
        assert whole_ent is not None  # checked above
        ent_pieces = [whole_ent]
    failed = False  # a problem and not skip_bad: the load fails; validate on for every problem, write nothing

    # The enterprises, piece by piece: ids into one table, each piece's kept rows written.
    so_far = IdsSoFar(expect=_rows_expected(ent_path) if ent_path is not None else 0)
    ent_id_log: dict[str, dict[str, tuple[int, str]]] = {}
    ent_notes = _PieceNotes()
    ent_problems: list[Problem] = []
    by_column: dict[str | None, list[Problem]] = {}  # the checker's warnings by column (name, then zone)
    bad_parts: list[np.ndarray] = []
    kept_frames: list[pd.DataFrame] = []
    for raw in ent_pieces:
        frame, ck = validate_enterprises(raw, so_far=so_far, id_log=ent_id_log)
        ent_problems.extend(raw.read_problems)
        ent_problems.extend(ck.problems)
        failed = failed or (bool(ent_problems) and not skip_bad)
        ent_notes.add(raw, "enterprises", ck)
        for w in ck.warnings:
            by_column.setdefault(w.column, []).append(w)
        bad_parts.append(ck.bad)
        if not failed:
            if write_enterprises is not None:
                write_enterprises(_kept(frame, ck))
            else:
                kept_frames.append(_kept(frame, ck))
    first_ent = ent_notes.first
    if first_ent is None:
        raise WholeFileNeeded(str(ent_path))
    ent_bad = np.concatenate(bad_parts)
    ent_rows = _EntRows(first_ent.file, first_ent.encoding, so_far.lines)
    known = so_far.table
    kept = ~ent_bad
    renumber = np.append(np.where(kept, np.cumsum(kept) - 1, -1), -1)

    # The links, piece by piece, looked up in the one id table.
    id_log: dict[str, dict[str, tuple[int, str]]] = {}
    link_problems: list[Problem] = []
    link_notes = _PieceNotes()
    for raw in link_pieces:
        links_frame, link_ck, ends = validate_links(raw, known, id_log=id_log)
        if skip_bad and ent_bad.any():
            _set_aside_orphans(link_ck, ends, ent_rows, ent_bad)
        link_problems.extend(raw.read_problems)
        link_problems.extend(link_ck.problems)
        failed = failed or (bool(link_problems) and not skip_bad)
        link_notes.add(raw, "links", link_ck)
        if not failed:
            sup, buy = renumber[ends[:, ~link_ck.bad]]
            write(_kept(links_frame, link_ck), sup, buy)
    first = link_notes.first
    if first is None:
        raise WholeFileNeeded(str(links))
    link_warnings = link_notes.raw_warnings()
    for column in ("supplier_id", "buyer_id", "via"):
        link_warnings += id_warnings(first, column, id_log.get(column, {}))

    checkers: list[tuple[str, RawTable, Checker]] = []
    chains = None
    chain_raw = raws.get("chains")
    if chain_raw is not None:
        chains, chain_ck = validate_chains(chain_raw)
        checkers.append(("chains", chain_raw, chain_ck))
    problems.extend(ent_problems)
    problems.extend(link_problems)
    for _, _, ck in checkers:
        problems.extend(ck.problems)
    problems = _ordered(problems)
    if problems and not skip_bad:
        raise InputError(problems, skippable=True)
    summaries = [ent_notes.summary("enterprises"), link_notes.summary("links")]
    summaries += [_summary(raw, kind, ck) for kind, raw, ck in checkers]
    id_column = first_ent.header("id")
    ent_warnings = [*ent_notes.raw_warnings(), *id_warnings(first_ent, "id", ent_id_log.get("id", {}))]
    for column in (first_ent.header("name"), first_ent.header("zone")):
        if column != id_column:
            ent_warnings += by_column.pop(column, [])
    ent_warnings += [w for ws in by_column.values() for w in ws if w.column != id_column]
    chain_notes = [w for _, raw, ck in checkers for w in (*raw.warnings, *ck.warnings)]
    if chains is not None:
        chains = _kept(chains, checkers[0][2])
    enterprises = None
    if write_enterprises is None:
        enterprises = pd.concat(kept_frames, ignore_index=True) if len(kept_frames) != 1 else kept_frames[0]
    return PiecesLoad(enterprises, chains, tuple(summaries), tuple(problems),
                      (*ent_warnings, *link_warnings, *chain_notes))  # fmt: skip


def _usable(pieces: Iterator[tuple[RawTable | None, list[Problem]]], links: Path) -> Iterator[RawTable]:
    """The pieces of a Parquet file; one it cannot read as text stops them (the whole read words why)."""
    from chaingraph.rawtables import WholeFileNeeded

    for raw, _ in pieces:
        if raw is None:
            raise WholeFileNeeded(str(links))
        yield raw


def _discard(frame: pd.DataFrame, sup: np.ndarray, buy: np.ndarray) -> None:
    return None
