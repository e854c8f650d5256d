"""Text that reaches a terminal: names are data, never markup or control codes.

A firm's name, a product, a zone come from the user's files.  Printed as they
are, ``[/]`` would crash rich's markup parser, ``[link=…]`` would become a live
hyperlink, and an escape sequence (``ESC [ 31m``, ``ESC ] 8 ;;``) would
recolour the terminal, move the cursor or plant a link.  So:

- :class:`SafeConsole` prints with markup and emoji codes off (``[`` is just a
  bracket) and strips, from every piece of text it renders, the C0 and C1
  control characters (tab and newline of the layout kept apart) and the
  invisible bidi and zero-width format characters.  They are stripped, not
  shown escaped: rich measures them as zero columns wide, so stripping keeps
  the tables aligned.  Styles chaingraph itself sets are not text and survive.
- :func:`strip_controls` does the same to a plain string (for ``click.echo``).

Output written to a file or a pipe as JSON or CSV keeps the data unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

__all__ = ["SafeConsole", "strip_controls"]

# C0 but newline, DEL, C1; Arabic letter mark, zero-width and bidi marks, bidi embeddings/overrides/isolates, BOM
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def strip_controls(text: str) -> str:
    """``text`` without control, bidi and zero-width characters; newlines kept.

    Examples
    --------
    >>> strip_controls("乙\\x1b[31m红\\x1b]8;;http://x\\x07厂\\u202e倒\\n下一行")
    '乙[31m红]8;;http://x厂倒\\n下一行'
    """
    return _CONTROL.sub("", text)


class SafeConsole(Console):
    """A rich console for tables of user data: no markup, no emoji codes, no control characters.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> SafeConsole(file=out, width=40).print("甲[/]厂[link=http://x]点我[/link]\\x1b[2J")
    >>> out.getvalue()
    '甲[/]厂[link=http://x]点我[/link][2J\\n'
    """

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("highlight", False)
        super().__init__(markup=False, emoji=False, **kw)

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for seg in super().render(renderable, options):
            if seg.control or not _CONTROL.search(seg.text):
                yield seg
            else:
                yield Segment(_CONTROL.sub("", seg.text), seg.style, seg.control)
