"""The one place where chaingraph's errors live.

Every error a user can cause derives from :class:`ChaingraphError`; the CLI turns
each into a message and exit code 2, never a traceback.  Input problems are
collected as :class:`Problem` records so that one run reports all of them.

A message names the library's parameters (``local_saving_rate``), not a
command line's flags: :func:`param` marks a name, ``str(err)`` shows it as
is, and :meth:`ChaingraphError.worded` lets a front end (the CLI) show its
own spelling (``--local-saving-rate``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "MAX_SHOWN_PROBLEMS",
    "BackendError",
    "ChaingraphError",
    "InputError",
    "OutputError",
    "Problem",
    "UnknownZoneError",
    "closest_names",
    "param",
    "row_word",
]

#: How many problems a message lists before it says "and N more".
MAX_SHOWN_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, row or cell.

    Parameters
    ----------
    file
        The file's name as the user gave it.
    line
        Line number as the file shows it (the header is line 1), or ``None``
        when the problem is with the whole file.
    column
        The column header as it stands in the file, or ``None``.
    value
        The offending cell value, or ``None``.
    message
        What is wrong.
    hint
        What to do about it.
    sheet
        The worksheet, when ``file`` is an Excel workbook; ``line`` is then
        the sheet's row number as Excel shows it.

    Examples
    --------
    >>> str(Problem("links.csv", 7, "年采购额", "-5", "negative money", "use yuan >= 0"))
    "links.csv, line 7, column '年采购额', value '-5': negative money. use yuan >= 0"
    >>> str(Problem("数据.xlsx", 7, "年采购额", "-5", "negative money", sheet="供应关系"))
    "数据.xlsx, sheet '供应关系', row 7, column '年采购额', value '-5': negative money."
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str
    hint: str = ""
    sheet: str | None = None

    @property
    def source(self) -> str:
        """The file, and for a workbook its sheet (``数据.xlsx [供应关系]``): the rejects CSV's ``file`` cell."""
        return f"{self.file} [{self.sheet}]" if self.sheet is not None else self.file

    def __str__(self) -> str:
        return _MARK.sub(lambda m: m.group(1), self.marked())

    def marked(self) -> str:
        """The text with the parameters it names marked (:func:`param`), for an error's message to word."""
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet!r}")
        if self.line is not None:
            where.append(f"{row_word(self.file, self.sheet)} {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            where.append(f"value {shown!r}")
        end = "" if self.message.endswith(("?", ".", "!")) else "."
        text = ", ".join(where) + f": {self.message}{end}"
        return f"{text} {self.hint}" if self.hint else text


def row_word(file: str, sheet: str | None = None) -> str:
    """How a message counts a table's rows: ``row`` in a worksheet or a Parquet file (row 1 its first data row),
    ``line`` in a CSV file (the header is line 1).

    >>> row_word("links.csv"), row_word("数据.xlsx", "供应关系"), row_word("links.parquet")
    ('line', 'row', 'row')
    """
    return "row" if sheet is not None or file.lower().endswith(".parquet") else "line"


_MARK = re.compile("\x00([a-z_]+)\x00")


def param(name: str) -> str:
    """How a message names the parameter ``name``, so that each front end can spell it its own way.

    >>> str(ChaingraphError(f"{param('local_saving_rate')} must be in [0, 1)"))
    'local_saving_rate must be in [0, 1)'
    >>> ChaingraphError(f"{param('zone')} is empty").worded(lambda p: "--" + p)
    '--zone is empty'
    """
    return f"\x00{name}\x00"


class ChaingraphError(Exception):
    """Base of every error a user can cause; the CLI exits 2 with its text."""

    exit_code = 2

    @property
    def parameters(self) -> tuple[str, ...]:
        """The parameters the message names, in order."""
        return tuple(_MARK.findall(super().__str__()))

    def worded(self, name: Callable[[str], str]) -> str:
        """The message with each parameter spelled as ``name(parameter)`` says."""
        return _MARK.sub(lambda m: name(m.group(1)), super().__str__())

    def __str__(self) -> str:
        return self.worded(lambda p: p)


class InputError(ChaingraphError):
    """Input files that cannot be used as they are.

    Parameters
    ----------
    problems
        Every problem found, in file and line order.
    skippable
        Whether ``--skip-bad`` would set these problems aside (row problems of
        the data folder's files); only then does the message suggest it.
    """

    def __init__(self, problems: list[Problem], *, skippable: bool = False) -> None:
        self.problems = problems
        self.skippable = skippable
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input:"
        lines = [head] + [f"  {p.marked()}" for p in self.problems[:MAX_SHOWN_PROBLEMS]]
        if n > MAX_SHOWN_PROBLEMS:
            more = f" (run with {param('skip_bad')} to write them all to a rejects CSV)" if self.skippable else ""
            lines.append(f"  ... and {n - MAX_SHOWN_PROBLEMS} more{more}")
        if self.skippable:
            lines.append(
                f"Fix the rows above, or run again with {param('skip_bad')} to set them aside in a rejects CSV."
            )
        elif any(p.line is not None for p in self.problems):
            lines.append("Fix the problems above.")
        return "\n".join(lines)


class UnknownZoneError(ChaingraphError):
    """A zone (or city, province) name that the data does not have."""

    def __init__(self, zone: str, *, scope: str, candidates: list[str]) -> None:
        self.zone = zone
        self.candidates = candidates
        shown = "、".join(candidates[:12]) if candidates else "(none)"
        more = f" (and {len(candidates) - 12} more)" if len(candidates) > 12 else ""
        super().__init__(
            f"unknown {scope} {zone!r}. The data has: {shown}{more}. Pass one of them with {param('zone')}."
        )


class OutputError(ChaingraphError):
    """An output path that cannot or must not be written (a folder, a missing folder, an input file)."""


class BackendError(ChaingraphError):
    """A database or server that cannot be reached or refuses the request."""


def closest_names(name: str, names: list[str]) -> list[str]:
    """All ``names``, the ones most like ``name`` first (the candidates of :class:`UnknownZoneError`).

    >>> closest_names("晋城", ["高平经开区", "晋城经开区", "深圳市"])[0]
    '晋城经开区'
    """

    def key(n: str) -> tuple[int, float, str]:
        contained = name in n or n in name
        return (0 if contained else 1, -difflib.SequenceMatcher(None, name, n).ratio(), n)

    return sorted(names, key=key)
