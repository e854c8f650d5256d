"""Load a data folder into a :class:`~chaingraph.model.Dataset`.

``enterprises.csv`` and ``links.csv`` are required, ``chains.csv`` optional.
By default any problem stops the load with :class:`~chaingraph.errors.InputError`
listing them all; with ``skip_bad=True`` rows with problems are set aside
(kept in ``Dataset.rejected``) and the rest is used.  A missing required
column or an unreadable file stops the load either way.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from chaingraph.errors import ChaingraphError, InputError, Problem
from chaingraph.io import RawTable, read_table
from chaingraph.model import Dataset, FileSummary
from chaingraph.validate import Checker, validate_chains, validate_enterprises, validate_links

__all__ = ["FILES", "NEW_DEMAND", "load_dataset", "load_scenario", "write_rejects"]

#: The file names a data folder holds, by kind.  Chinese names are accepted too.
FILES = {
    "enterprises": ("enterprises.csv", "企业.csv"),
    "links": ("links.csv", "供应关系.csv"),
    "chains": ("chains.csv", "产业链.csv"),
}


def _find(folder: Path, kind: str) -> Path | None:
    for name in FILES[kind]:
        if (folder / name).is_file():
            return folder / name
    return None


def _summary(raw: RawTable, kind: str, ck: Checker) -> FileSummary:
    rejected = int(ck.bad.sum()) + (raw.rows_in_file - len(raw.frame))
    return FileSummary(
        raw.file, kind, raw.rows_in_file, raw.rows_in_file - rejected, rejected, raw.blank_lines, raw.encoding
    )


def load_dataset(source: str | Path, *, skip_bad: bool = False) -> Dataset:
    """Read, validate and type the CSV files in ``source``.

    Parameters
    ----------
    source
        A folder with ``enterprises.csv``, ``links.csv`` and optionally
        ``chains.csv``.
    skip_bad
        Set rows with problems aside instead of stopping.

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
    if not folder.is_dir():
        raise ChaingraphError(
            f"data folder {str(folder)!r} does not exist. Pass a folder with enterprises.csv and links.csv."
        )
    problems: list[Problem] = []
    paths = {kind: _find(folder, kind) for kind in FILES}
    for kind in ("enterprises", "links"):
        if paths[kind] is None:
            problems.append(
                Problem(
                    str(folder / FILES[kind][0]),
                    None,
                    None,
                    None,
                    "the file is missing",
                    f"Put {FILES[kind][0]} in the data folder.",
                )
            )
    raws: dict[str, RawTable | None] = {}
    for kind, path in paths.items():
        if path is None:
            continue
        raw, found = read_table(path, kind)
        raws[kind] = raw
        problems.extend(found)
    ent_raw, link_raw = raws.get("enterprises"), raws.get("links")
    fatal = any(p.line is None or p.line == 1 for p in problems) or any(r is None for r in raws.values())
    if fatal or ent_raw is None or link_raw is None:
        raise InputError(_ordered(problems))

    enterprises, ent_ck = validate_enterprises(ent_raw)
    links, link_ck, ends = validate_links(link_raw, pd.Index(enterprises["id"]))
    if skip_bad and ent_ck.bad.any():
        _set_aside_orphans(link_ck, ends, ent_raw, ent_ck.bad)
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
    kept = ~ent_ck.bad
    enterprises, links = _kept(enterprises, ent_ck), _kept(links, link_ck)
    if chains is not None:
        chains = _kept(chains, checkers[2][2])
    ds = Dataset(enterprises, links, chains, source=str(folder), files=summaries, rejected=tuple(problems))
    # The ends point into every enterprise row; renumber them to the kept rows (set-aside rows: -1, unknown).
    # A duplicate id after the first is always set aside, so the first occurrence stays the one found.
    renumber = np.append(np.where(kept, np.cumsum(kept) - 1, -1), -1)
    ds.know_link_ends(*renumber[ends[:, ~link_ck.bad]])
    return ds


def _set_aside_orphans(link_ck: Checker, ends: np.ndarray, ent_raw: RawTable, set_aside: np.ndarray) -> None:
    """Set aside the links whose supplier's or buyer's enterprise row is set aside.

    Kept, such a link would have a firm of no zone at one end: a purchase by
    a firm of Z from a set-aside firm of Z would count as bought from outside.
    """
    gone = np.append(set_aside, False)  # index -1, an unknown id, is flagged already
    for side, column in enumerate(("supplier_id", "buyer_id")):
        orphan = gone[ends[side]]
        if orphan.any():
            hints = np.full(len(orphan), "", dtype=object)
            hints[orphan] = [f"Fix line {int(n)} of {ent_raw.file}; the link is set aside with it."
                             for n in ent_raw.lines[ends[side][orphan]]]  # fmt: skip
            link_ck.flag(orphan, column, "the enterprise's row is set aside", "", hints=pd.Series(hints))


def _kept(frame: pd.DataFrame, ck: Checker) -> pd.DataFrame:
    """The rows without problems (the frame itself when there are none: copying 2M rows costs 0.2 s)."""
    return frame.loc[~ck.bad].reset_index(drop=True) if ck.bad.any() else frame


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line or 0))


def write_rejects(problems: tuple[Problem, ...] | list[Problem], path: str | Path) -> Path:
    """Write set-aside rows' problems to a UTF-8 (with BOM, for Excel) CSV.

    Columns: file, line, column, value, problem, hint.  A row with several
    problems has one line per problem.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "line", "column", "value", "problem", "hint"])
        for p in problems:
            w.writerow([p.file, p.line if p.line is not None else "", p.column or "", p.value or "", p.message, p.hint])
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
    raw, found = read_table(Path(enterprises), "scenario")
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
        lraw, lfound = read_table(Path(links), "scenario_links")
        problems.extend(lfound)
        if lraw is None:
            raise InputError(_ordered(problems))
        new_links, lck, _ = validate_links(lraw, ids)
        replaces = lck.col("replaces")
        tokens = replaces.str.split(r"\s*[;；]\s*", regex=True).map(lambda xs: [x for x in xs if x])
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
