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
and pandas versions, so changed code never reads a table older code wrote (the
hash is memorised in the cache folder under every code file's device, inode,
size, mtime and ctime and the libraries' files', as the input digests are, so
an edited file is hashed again).  A table is written to a temporary file and renamed
into place whole, so a reader never sees half of one; one process builds a
table at a time (a lock per table; where the file system has no locks, two
processes building the same table at once both write the same content), and a
build stopped partway (a killed command) leaves a temporary file or folder that
the next build of the same table removes.

The copy's own files and its manifest are left alone (:mod:`chaingraph.validated_copy`
owns them); clearing the cache removes the derived tables with their copy, and the tables
another chaingraph version kept beside it are removed once unused for ten minutes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["KEEP_UNUSED_SECONDS", "DerivedTables", "derived_key"]

#: Tables kept by other code (another chaingraph version) beside a copy are removed when this code first keeps
#: one there, if unchanged for this long.
KEEP_UNUSED_SECONDS = 600

#: Bumped when the layout of the derived tables changes.
_FORMAT = 2


@cache
def derived_key() -> str:
    """The hash of the code that computes the derived tables (see the module's text): every ``.py`` and ``.sql``
    file of chaingraph (the summary kept here is rounded by results/, counted by analysis/…: hashing them all buys
    never asking which module matters), with the versions of chaingraph, DuckDB, numpy and pandas.

    Hashing every file costs 15–70 ms a command, so the key is memorised (:func:`_memoised_key`) under the files'
    identities and times, as the validated copy's input digests are: read back while no file changed.

    >>> len(derived_key())
    16
    """
    return _memoised_key(Path(__file__).resolve().parent)


def _memoised_key(package: Path) -> str:
    """:func:`_content_key` of ``package``, read from the memo while its stamp (:func:`_stamp`) is the one
    recorded with it; computed (and recorded, once every file is settled) otherwise."""
    files = _code_files(package)
    stamp = _stamp(package, files)
    known = _read_keys().get(stamp) if stamp is not None else None
    if isinstance(known, str):
        return known
    key = _content_key(package, files)
    if stamp is not None and _stamp(package, files, settled=True) == stamp:  # unchanged while hashed, and settled
        _remember(stamp, key)
    return key


def _code_files(package: Path) -> list[Path]:
    """Every ``.py`` and ``.sql`` file under ``package`` (its ``__pycache__`` folders hold neither), in path order."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(package, followlinks=True):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found.extend(Path(folder, n) for n in names if os.path.splitext(n)[1] in (".py", ".sql"))
    return sorted(p for p in found if p.is_file())


def _content_key(package: Path, files: list[Path]) -> str:
    """:func:`derived_key` computed: the versions and the content of every file."""
    import importlib.metadata

    import duckdb
    import numpy as np

    from chaingraph import __version__

    pandas = importlib.metadata.version("pandas")  # without importing it (chaingraph.deferred_import)
    h = hashlib.sha256(f"{_FORMAT} {__version__} duckdb {duckdb.__version__} numpy {np.__version__} "
                       f"pandas {pandas}".encode())  # fmt: skip
    for path in files:
        h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


#: The libraries whose versions :func:`derived_key` holds: their files' identities stand for them in the stamp.
_LIBRARIES = ("duckdb", "numpy", "pandas")
#: The memo of :func:`derived_key`, in the cache folder: stamp → key.
_KEYS = "code-keys.json"
_KEYS_ENTRIES = 64


def _stamp(package: Path, files: list[Path], *, settled: bool = False) -> str | None:
    """What :func:`derived_key` is memorised under: the device, inode, size, mtime and ctime of every code file and
    of each library's ``__init__.py`` (an upgrade writes new files: a new inode and ctime), with :data:`_FORMAT`.

    ``None`` when a file cannot be read, or (``settled``) when one changed less than
    :data:`~chaingraph.validated_copy.SETTLED_NS` ago: a change in the same clock tick as the memo is never
    missed (git's "racy" rule, as :func:`~chaingraph.validated_copy.file_digests`).  ``CHAINGRAPH_REHASH=1``:
    never memorised.
    """
    from chaingraph.validated_copy import REHASH_ENV, SETTLED_NS

    if os.environ.get(REHASH_ENV) == "1":
        return None
    try:
        libraries = _library_files()
        if libraries is None:
            return None
        now = time.time_ns()
        h = hashlib.sha256(f"{_FORMAT} {package}".encode())
        for path in (*files, *libraries):
            st = path.stat()
            if settled and now - max(st.st_mtime_ns, st.st_ctime_ns) < SETTLED_NS:
                return None
            sig = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            h.update(f"{path}\0{sig}\0".encode())
    except (OSError, ValueError, ImportError):
        return None
    return h.hexdigest()


def _library_files() -> list[Path] | None:
    """Each of :data:`_LIBRARIES`' ``__init__.py``, found without importing it (``None``: one is not found)."""
    import importlib.util

    specs = [importlib.util.find_spec(name) for name in _LIBRARIES]
    found = [Path(spec.origin) for spec in specs if spec is not None and spec.origin]
    return found if len(found) == len(_LIBRARIES) else None


def _read_keys() -> dict[str, Any]:
    from chaingraph.validated_copy import read_cache_json

    return read_cache_json(_KEYS)


def _remember(stamp: str, key: str) -> None:
    """Add ``stamp → key`` to the memo (a memo that cannot be written only means hashing again next time)."""
    from chaingraph.validated_copy import write_cache_json

    keys = {k: v for k, v in _read_keys().items() if k != stamp}
    write_cache_json(_KEYS, dict([*list(keys.items())[-(_KEYS_ENTRIES - 1) :], (stamp, key)]))


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

        ``None`` when it cannot be written (a read-only cache): the caller computes without keeping it.  One
        process builds a table at a time (a lock per table, ``.locks/`` in the folder; another process asking
        meanwhile waits for it and reads it); the builder first removes what a build stopped partway (a killed
        process) left of the same table.
        """
        final = self.path(name)
        if final.exists():
            return final
        try:
            if not self.folder.is_dir():
                self.folder.mkdir(exist_ok=True)
                self._prune()
            lock = _held(self.folder / _LOCKS / f"{name}.lock")
        except OSError:
            return None
        with lock as locked:
            if final.exists():  # built by the process this one waited for
                return final
            if locked:  # no other process is writing this table: what is there was left by a stopped build
                for left in self.folder.iterdir():
                    if _leftover_of(name, left.name):
                        _remove(left)
            tmp = self.folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
            try:
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
        """Remove the tables other code kept beside this copy, once unchanged for :data:`KEEP_UNUSED_SECONDS` and
        none being built (:meth:`get`'s locks)."""
        now = time.time()
        for other in self.folder.parent.glob("derived-*"):
            with contextlib.suppress(OSError):
                unused = other != self.folder and other.is_dir() and now - other.stat().st_mtime > KEEP_UNUSED_SECONDS
                if unused and not any(_busy(lock) for lock in (other / _LOCKS).glob("*.lock")):
                    shutil.rmtree(other, ignore_errors=True)


#: The folder of :meth:`DerivedTables.get`'s locks, one file per table, in the derived folder.
_LOCKS = ".locks"


def _leftover_of(name: str, entry: str) -> bool:
    """Whether ``entry`` is a temporary file or folder of :meth:`DerivedTables.get` building ``name``.

    >>> _leftover_of("zl-zone", ".zl-zone.4242-0a1b2c3d.tmp"), _leftover_of("zl-zone", ".zl-city.4242-0a1b2c3d.tmp")
    (True, False)
    >>> _leftover_of("x", ".x.parquet.4242-0a1b2c3d.tmp")  # another table's (x.parquet)
    False
    """
    return re.fullmatch(rf"\.{re.escape(name)}\.\d+-[0-9a-f]{{8}}\.tmp", entry) is not None


@contextlib.contextmanager
def _held(path: Path) -> Iterator[bool]:
    """Hold the lock file ``path`` (``flock``, released by the kernel if the process dies): ``True`` once held,
    ``False`` where the file system has no such lock (then nothing is known of other processes)."""
    import fcntl

    path.parent.mkdir(exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            locked = True
        except OSError:
            locked = False
        yield locked
    finally:
        os.close(fd)


def _busy(path: Path) -> bool:
    """Whether another process holds the lock file ``path`` now (or it cannot be told)."""
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """Remove a file or a folder, if there."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
