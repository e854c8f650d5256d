"""Zone-independent results kept beside a validated copy: computed once per copy, never stale.

Every zone's closure, savings and gaps on the SQL engine read the same
zone-independent tables: the links with the zone of their supplier and of
their buyer, the product flow graph, and which zones make which products.
Over a validated copy (:mod:`chaingraph.validated_copy`) these are computed
by the first command that needs them and kept in the copy's folder, in
``derived-<key>/``; the next command reads them back (the all-zones summary too, per scope,
planned links and saving rate).

Never stale
-----------
A copy's folder is named by the content of the input files and by the
loader's code, and is never written to once built, so what is computed
from it holds while the folder exists: a changed input file is another copy,
in another folder, with no derived tables yet.  ``<key>`` is a hash of
chaingraph's code (every ``.py`` and ``.sql`` file) and of the DuckDB, numpy
and pandas versions, so changed code never reads a table older code wrote.  A table is written to a temporary file and renamed
into place whole, so a reader never sees half of one; two processes
building the same table at once both write the same content.

The copy's own files and its manifest are left alone (:mod:`chaingraph.validated_copy`
owns them); clearing the cache removes the derived tables with their copy, and the tables
another chaingraph version kept beside it are removed once unused for ten minutes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

__all__ = ["KEEP_UNUSED_SECONDS", "DerivedTables", "derived_key"]

#: Tables kept by other code (another chaingraph version) beside a copy are removed when this code first keeps
#: one there, if unchanged for this long.
KEEP_UNUSED_SECONDS = 600

#: Bumped when the layout of the derived tables changes.
_FORMAT = 2


@cache
def derived_key() -> str:
    """The hash of the code that computes the derived tables (see the module's text): every ``.py`` and ``.sql``
    file of chaingraph (the summary kept here is rounded by results/, counted by analysis/…: a few milliseconds
    buys never asking which module matters), with the versions of chaingraph, DuckDB, numpy and pandas.

    >>> len(derived_key())
    16
    """
    import duckdb
    import numpy as np
    import pandas as pd

    from chaingraph import __version__

    package = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{_FORMAT} {__version__} duckdb {duckdb.__version__} numpy {np.__version__} "
                       f"pandas {pd.__version__}".encode())  # fmt: skip
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".sql") and p.is_file()):
        h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


class DerivedTables:
    """The derived tables of the copy in ``copy_folder``: each built once, by the first command asking for it.

    Examples
    --------
    >>> import tempfile
    >>> d = DerivedTables(Path(tempfile.mkdtemp()))
    >>> p = d.get("answer.txt", lambda tmp: tmp.write_text("42"))
    >>> p.read_text(), d.get("answer.txt", lambda tmp: tmp.write_text("43")).read_text()
    ('42', '42')
    """

    def __init__(self, copy_folder: Path) -> None:
        self.folder = copy_folder / f"derived-{derived_key()}"

    def path(self, name: str) -> Path:
        return self.folder / name

    def has(self, name: str) -> bool:
        return self.path(name).exists()

    def get(self, name: str, build: Callable[[Path], object]) -> Path | None:
        """The table ``name``, built by ``build(path)`` (writing a file or a folder at ``path``) when not there yet.

        ``None`` when it cannot be written (a read-only cache): the caller computes without keeping it.
        """
        final = self.path(name)
        if final.exists():
            return final
        tmp = self.folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            if not self.folder.is_dir():
                self.folder.mkdir(exist_ok=True)
                self._prune()
            build(tmp)
            os.replace(tmp, final)
        except OSError:
            _remove(tmp)
            return final if final.exists() else None  # another process may have put the same table in place
        except BaseException:
            _remove(tmp)
            raise
        return final

    def _prune(self) -> None:
        """Remove the tables other code kept beside this copy, once unchanged for :data:`KEEP_UNUSED_SECONDS`."""
        now = time.time()
        for other in self.folder.parent.glob("derived-*"):
            with contextlib.suppress(OSError):
                if other != self.folder and other.is_dir() and now - other.stat().st_mtime > KEEP_UNUSED_SECONDS:
                    shutil.rmtree(other, ignore_errors=True)


def _remove(path: Path) -> None:
    """Remove a file or a folder, if there."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
