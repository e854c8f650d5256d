"""The validated columnar copy: SOURCE's tables, validated once, kept as Parquet while the files are unchanged.

Users run many commands on the same files.  :func:`validated_copy` validates
SOURCE the way :func:`~chaingraph.load.load_dataset` does (the same rules,
problems, warnings and ``skip_bad``) and keeps the typed tables as Parquet
files in a cache folder, in the column contract of :mod:`chaingraph.model`.
The next command on the same files reads the copy instead of validating again.

Never stale
-----------
A copy is found by a key: the SHA-256 of every input file's *content* (not
its size or modification time, which a copy tool or a quick second save can
leave unchanged), of the names of the folder's files, of the options
(``skip_bad``, ``ignore_unknown_columns``), of SOURCE as written (problems
name files as given), and of chaingraph's version and the source code of the
loader and validator.  A changed byte anywhere gives another key, so the
copy of other files is never served.  Hashing runs at about 1.7 GB/s per
core (SHA-NI) over 64 MB pieces on two threads (docs/benchmarks.md has the
measured cost: 8.2 GB at 100M links take 20 s on a busy machine), so a
file's digest is remembered with its device, inode, size, mtime and ctime
and reused while they are unchanged (:func:`file_digests`: git's rule,
including its guard for a change in the same clock tick).

The cache folder
----------------
``$CHAINGRAPH_CACHE``, else ``$XDG_CACHE_HOME/chaingraph``, else
``~/.cache/chaingraph``; a copy lives in ``copies/<key>/``.  A copy is
built in a temporary folder beside it and renamed into place whole, under a
lock per key, so two processes at once build it once and a reader never sees
half of one.  :func:`clear_cache` (``chaingraph cache clear``) removes every
copy.  Copies of a SOURCE's earlier contents are removed once unused for
:data:`KEEP_UNUSED_SECONDS`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chaingraph.errors import Problem
from chaingraph.model import FileSummary

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from chaingraph.model import Dataset

__all__ = [
    "CACHE_ENV",
    "KEEP_UNUSED_SECONDS",
    "REHASH_ENV",
    "SETTLED_NS",
    "TABLE_FILES",
    "CachedCopy",
    "ValidatedCopy",
    "cache_dir",
    "cache_info",
    "clear_cache",
    "file_digests",
    "fingerprint",
    "validated_copy",
]

#: The environment variable naming the cache folder.
CACHE_ENV = "CHAINGRAPH_CACHE"
#: A copy of a SOURCE's earlier contents is removed when a new copy of the same SOURCE is built and the old
#: one has not been used for this long (a command still reading it is left alone).
KEEP_UNUSED_SECONDS = 600
#: The copy's files, by table.
TABLE_FILES = {"enterprises": "enterprises.parquet", "links": "links.parquet", "chains": "chains.parquet"}
_ENDS = "link_ends.parquet"
_MANIFEST = "manifest.json"
#: Bumped when the copy's layout changes (with the code hash below, an old copy is never read by new code).
_FORMAT = 1
#: The modules whose code decides what a copy holds: a change to any of them gives new keys.
_CODE = ("errors", "listcells", "load", "lookup", "model", "rawtables", "validate", "validated_copy", "xlsx")
_PIECE = 64 << 20
#: Input file endings whose content is hashed (the loader reads these); other files count by name only.
_READ_SUFFIXES = (".csv", ".parquet", ".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class ValidatedCopy:
    """SOURCE's validated tables as Parquet files, with what the load found.

    Attributes
    ----------
    source
        SOURCE as given.
    key
        The fingerprint the copy is stored under (:func:`fingerprint`).
    folder
        The copy's folder in the cache.
    enterprises, links, chains
        The Parquet files of the tables (``chains`` ``None`` without a chain
        map), columns and dtypes as :mod:`chaingraph.model` describes.
    files
        How each input file loaded (:class:`~chaingraph.model.FileSummary`).
    rejected
        The problems of the rows set aside (``skip_bad``).
    warnings
        What loaded but deserves a word (as :attr:`Dataset.warnings`).
    reused
        Whether an existing copy was found (``False``: validated just now).
    """

    source: str
    key: str
    folder: Path
    enterprises: Path
    links: Path
    chains: Path | None
    files: tuple[FileSummary, ...] = ()
    rejected: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    reused: bool = field(default=False, compare=False)

    @property
    def link_ends(self) -> Path:
        """A Parquet file with, per link row, the row of its supplier and of its buyer in enterprises (-1: unknown)."""
        return self.folder / _ENDS

    def dataset(self, *, columns: dict[str, list[str]] | None = None) -> Dataset:
        """The tables read back into a :class:`~chaingraph.model.Dataset`, without validating again.

        ``columns`` reads only those columns of the tables it names (``{"links": ["status", "value"]}``),
        for a summary of a copy too large to hold whole.

        Examples
        --------
        >>> import tempfile
        >>> from unittest import mock
        >>> from chaingraph.load import load_dataset
        >>> with mock.patch.dict(os.environ, {CACHE_ENV: tempfile.mkdtemp()}):
        ...     ds = validated_copy("data").dataset()
        >>> ds.links.equals(load_dataset("data").links)
        True
        """
        import pyarrow.parquet as pq

        from chaingraph.model import Dataset

        wanted = columns or {}
        enterprises = _read_frame(self.enterprises, wanted.get("enterprises"))
        links = _read_frame(self.links, wanted.get("links"))
        chains = _read_frame(self.chains, wanted.get("chains")) if self.chains is not None else None
        ends = pq.read_table(self.link_ends)
        sup = ends.column("supplier").to_numpy()
        buy = ends.column("buyer").to_numpy()
        return Dataset(enterprises, links, chains, source=self.source, files=self.files, rejected=self.rejected,
                       warnings=self.warnings, link_ends=(sup, buy))  # fmt: skip


def _read_frame(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=columns).to_pandas()


def cache_dir() -> Path:
    """The cache folder: ``$CHAINGRAPH_CACHE``, else ``$XDG_CACHE_HOME/chaingraph``, else ``~/.cache/chaingraph``.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {CACHE_ENV: "/tmp/cg-cache"}):
    ...     str(cache_dir())
    '/tmp/cg-cache'
    """
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "chaingraph"


@dataclass(frozen=True)
class CachedCopy:
    """One copy in the cache, for ``chaingraph cache info``."""

    key: str
    source: str
    bytes: int
    last_used: float


def cache_info() -> list[CachedCopy]:
    """The copies in the cache, most recently used first; each one's bytes count the tables kept beside it."""
    copies = cache_dir() / "copies"
    out = []
    for entry in copies.iterdir() if copies.is_dir() else ():
        manifest = entry / _MANIFEST
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            used = manifest.stat().st_mtime
        except (OSError, ValueError):
            continue
        size = sum(f.stat().st_size for f in entry.rglob("*") if f.is_file())  # the kept tables too (derived.py)
        out.append(CachedCopy(entry.name, str(meta.get("source", "")), size, used))
    return sorted(out, key=lambda c: -c.last_used)


def clear_cache() -> tuple[int, int]:
    """Remove every copy (and unfinished ones) from the cache: ``(copies removed, bytes freed)``."""
    copies = cache_dir() / "copies"
    removed = freed = 0
    (cache_dir() / _MEMO).unlink(missing_ok=True)
    if not copies.is_dir():
        return 0, 0
    for entry in copies.iterdir():
        if not entry.is_dir():
            continue
        size = sum(f.stat().st_size for f in entry.rglob("*") if f.is_file())
        shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed += not entry.name.startswith(".")
            freed += size
    return removed, freed


# --- the fingerprint ----------------------------------------------------------------------------


def _inputs(source: Path) -> tuple[list[str], list[Path]]:
    """The names the key covers and the files whose content it hashes."""
    if source.is_file():
        return [source.name], [source]
    names, read = [], []
    for p in sorted(source.iterdir()):
        if p.name.startswith("~$") or not p.is_file():  # Excel's lock file comes and goes with an open workbook
            continue
        names.append(p.name)
        if p.suffix.lower() in _READ_SUFFIXES:
            read.append(p)
    return names, read


def _pieces(path: Path) -> list[tuple[Path, int, int]]:
    size = path.stat().st_size
    return [(path, start, min(_PIECE, size - start)) for start in range(0, size, _PIECE)] or [(path, 0, 0)]


def _hash_piece(piece: tuple[Path, int, int]) -> bytes:
    path, start, length = piece
    h = hashlib.sha256()
    with path.open("rb") as fh:
        fh.seek(start)
        left = length
        buf = bytearray(min(8 << 20, max(length, 1)))
        view = memoryview(buf)
        while left > 0:
            n = fh.readinto(view[: min(len(buf), left)])
            if not n:
                break
            h.update(view[:n])  # hashlib releases the GIL over large buffers: the pieces hash in parallel
            left -= n
    h.update(length.to_bytes(8, "little"))
    return h.digest()


def _code_hash() -> str:
    import importlib.metadata
    import importlib.util

    from chaingraph import __version__

    # the installed versions, read without importing pandas or pyarrow (0.4 s a command, where a warm one needs
    # neither: chaingraph.deferred_import)
    pandas, pyarrow = (importlib.metadata.version(name) for name in ("pandas", "pyarrow"))
    h = hashlib.sha256(f"{_FORMAT} {__version__} pandas {pandas} pyarrow {pyarrow}".encode())
    for name in _CODE:
        spec = importlib.util.find_spec(f"chaingraph.{name}")
        if spec is not None and spec.origin:
            h.update(name.encode() + Path(spec.origin).read_bytes())
    return h.hexdigest()


def fingerprint(source: str | Path, *, skip_bad: bool = False, ignore_unknown_columns: bool = False) -> str:
    """The key of SOURCE's copy: a hash of every input file's content, the options and the validator's code.

    Each file's content digest (SHA-256) is computed, or taken from the digest memo when the file's
    identity and times say it cannot have changed since (:func:`file_digests`).

    Examples
    --------
    >>> a = fingerprint("data")
    >>> a == fingerprint("data"), a == fingerprint("data", skip_bad=True)
    (True, False)
    """
    path = Path(source)
    names, read = _inputs(path)
    h = hashlib.sha256()
    head = {"source": str(source), "names": names, "skip_bad": skip_bad, "ignore_unknown": ignore_unknown_columns,
            "code": _code_hash(), "read": [f.name for f in read]}  # fmt: skip
    h.update(json.dumps(head, ensure_ascii=False, sort_keys=True).encode())
    for d in file_digests(read):
        h.update(d)
    return h.hexdigest()[:40]


#: Set to 1 to hash every input file on every run (the digest memo is then neither read nor written).
REHASH_ENV = "CHAINGRAPH_REHASH"
#: A file's digest is memorised only when its last change (mtime and ctime) is at least this much older than
#: the moment the digest is recorded, so a change in the same clock tick as the recording is never missed.
SETTLED_NS = 2_000_000_000
_MEMO = "digests.json"
_MEMO_ENTRIES = 2000


def _signature(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def file_digests(files: list[Path]) -> list[bytes]:
    """The SHA-256 content digest of each file (64 MB pieces hashed on two threads).

    A digest is reused from the memo in the cache folder when the file's device, inode, size, mtime and
    ctime are those recorded with it, as git's index does.  Any write to a file moves its ctime (which no
    program can set back, unlike mtime), and a digest is recorded only for a file whose mtime and ctime
    were :data:`SETTLED_NS` older than the recording (git's "racy" rule), so a change made in the same
    clock tick as a recording is hashed again too.  ``CHAINGRAPH_REHASH=1`` hashes every file every time.
    """
    rehash = os.environ.get(REHASH_ENV) == "1"
    memo = {} if rehash else _read_memo()
    out: dict[int, bytes] = {}
    todo: list[tuple[int, Path, list[int]]] = []
    for i, f in enumerate(files):
        sig = _signature(f.stat())
        entry = memo.get(str(f.resolve()))
        if entry is not None and entry.get("sig") == sig:
            out[i] = bytes.fromhex(entry["digest"])
        else:
            todo.append((i, f, sig))
    if todo:
        pieces = [(i, p) for i, f, _ in todo for p in _pieces(f)]
        with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
            digests = list(pool.map(_hash_piece, [p for _, p in pieces]))
        per_file: dict[int, hashlib._Hash] = {}
        for (i, _), d in zip(pieces, digests, strict=True):
            per_file.setdefault(i, hashlib.sha256()).update(d)
        now = time.time_ns()
        fresh = {}
        for i, f, sig in todo:
            out[i] = per_file[i].digest()
            if _signature(f.stat()) == sig and now - max(sig[3], sig[4]) >= SETTLED_NS:  # unchanged while hashed
                fresh[str(f.resolve())] = {"sig": sig, "digest": out[i].hex(), "at": now}
        if fresh and not rehash:
            _write_memo({**memo, **fresh})
    return [out[i] for i in range(len(files))]


def _read_memo() -> dict[str, Any]:
    return read_cache_json(_MEMO)


def _write_memo(memo: dict[str, Any]) -> None:
    """Write the memo whole (two processes at once: the last one's memo stays; a lost entry only means hashing
    that file again)."""
    write_cache_json(_MEMO, dict(sorted(memo.items(), key=lambda kv: -int(kv[1].get("at", 0)))[:_MEMO_ENTRIES]))


def read_cache_json(name: str) -> dict[str, Any]:
    """The JSON object kept as ``name`` in the cache folder (``{}`` when it is missing, unreadable or not one)."""
    try:
        kept = json.loads((cache_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def write_cache_json(name: str, data: dict[str, Any]) -> None:
    """Keep ``data`` as ``name`` in the cache folder, written whole through a rename; a cache that cannot be
    written is left as it was (what it holds is computed again next time)."""
    folder = cache_dir()
    tmp = folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _origin(source: str | Path, *, skip_bad: bool, ignore_unknown_columns: bool) -> str:
    """What a copy is a copy of, whatever the content: SOURCE's real path and the options."""
    text = f"{Path(source).resolve()}\0{skip_bad}\0{ignore_unknown_columns}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


# --- building and finding copies -----------------------------------------------------------------


def validated_copy(
    source: str | Path, *, skip_bad: bool = False, ignore_unknown_columns: bool = False
) -> ValidatedCopy:
    """SOURCE validated as :func:`~chaingraph.load.load_dataset` validates it, as Parquet files, reused while unchanged.

    Parameters
    ----------
    source
        A data folder or a workbook, as :func:`~chaingraph.load.load_dataset` takes.
    skip_bad, ignore_unknown_columns
        As :func:`~chaingraph.load.load_dataset`; each combination is its own copy.

    Raises
    ------
    InputError
        As :func:`~chaingraph.load.load_dataset`: every problem, when the data cannot be used as it is.
    ChaingraphError
        When SOURCE is neither a folder nor a workbook.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {CACHE_ENV: tempfile.mkdtemp()}):
    ...     first, again = validated_copy("data"), validated_copy("data")
    >>> first.reused, again.reused, again == first
    (False, True, True)
    >>> sorted(p.name for p in first.folder.iterdir())
    ['chains.parquet', 'enterprises.parquet', 'link_ends.parquet', 'links.parquet', 'manifest.json']
    """
    from chaingraph.rawtables import check_source

    check_source(Path(source))
    key = fingerprint(source, skip_bad=skip_bad, ignore_unknown_columns=ignore_unknown_columns)
    origin = _origin(source, skip_bad=skip_bad, ignore_unknown_columns=ignore_unknown_columns)
    root = cache_dir() / "copies"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        root = _private_root()
    found = _open_copy(root / key, source)
    if found is not None:
        return found
    with _lock(root, key):
        found = _open_copy(root / key, source)  # another process may have built it while this one waited
        if found is not None:
            return found
        copy = _build(source, root, key, origin, skip_bad=skip_bad, ignore_unknown_columns=ignore_unknown_columns)
    _prune(root, origin, keep=key)
    return copy


def _private_root() -> Path:
    """A cache of this process only, when the cache folder cannot be written (removed at exit)."""
    import atexit
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="chaingraph-cache-")) / "copies"
    root.mkdir()
    atexit.register(shutil.rmtree, root.parent, True)
    return root


@contextlib.contextmanager
def _lock(root: Path, key: str) -> Iterator[None]:
    """One builder per key across processes (``flock``; released by the kernel if the process dies)."""
    import fcntl

    locks = root.parent / "locks"
    locks.mkdir(exist_ok=True)
    fd = os.open(locks / f"{key}.lock", os.O_CREAT | os.O_RDWR, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _open_copy(folder: Path, source: str | Path) -> ValidatedCopy | None:
    """The copy in ``folder``, or ``None`` when there is none (a complete copy always has its manifest)."""
    manifest = folder / _MANIFEST
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    with contextlib.suppress(OSError):
        os.utime(manifest)  # used now: not pruned while commands use it
    return _from_manifest(folder, meta, source, reused=True)


def _from_manifest(folder: Path, meta: dict[str, Any], source: str | Path, *, reused: bool) -> ValidatedCopy:
    files = tuple(FileSummary(**{**f, "units": tuple(f["units"])}) for f in meta["files"])
    return ValidatedCopy(
        source=str(source),
        key=folder.name,
        folder=folder,
        enterprises=folder / TABLE_FILES["enterprises"],
        links=folder / TABLE_FILES["links"],
        chains=folder / TABLE_FILES["chains"] if meta["chains"] else None,
        files=files,
        rejected=tuple(Problem(**p) for p in meta["rejected"]),
        warnings=tuple(Problem(**p) for p in meta["warnings"]),
        reused=reused,
    )


def _build(
    source: str | Path, root: Path, key: str, origin: str, *, skip_bad: bool, ignore_unknown_columns: bool
) -> ValidatedCopy:
    """Validate SOURCE into a temporary folder beside the copy's, then rename it into place whole.

    Called holding the key's lock (:func:`_lock`): a temporary folder of the same key already there was left by
    a build stopped partway (a killed process) and is removed first.
    """
    for left in root.glob(f".{key}.*.tmp"):
        if re.fullmatch(rf"\.{key}\.\d+-[0-9a-f]{{8}}\.tmp", left.name):
            shutil.rmtree(left, ignore_errors=True)
    tmp = root / f".{key}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    tmp.mkdir()
    try:
        meta = _write_copy(source, tmp, skip_bad=skip_bad, ignore_unknown_columns=ignore_unknown_columns)
        meta["origin"] = origin
        meta["source"] = str(source)
        (tmp / _MANIFEST).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        try:
            os.rename(tmp, root / key)
        except OSError:  # a copy is there: another process's (no lock on this file system), or a broken one
            found = _open_copy(root / key, source)
            if found is not None:
                shutil.rmtree(tmp, ignore_errors=True)
                return found
            shutil.rmtree(root / key)  # no manifest: half removed by hand or by a clear that was cut short
            os.rename(tmp, root / key)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return _from_manifest(root / key, meta, source, reused=False)


def _prune(root: Path, origin: str, *, keep: str) -> None:
    """Remove the copies of SOURCE's earlier contents (same origin) unused for :data:`KEEP_UNUSED_SECONDS`."""
    now = time.time()
    for entry in root.iterdir():
        if entry.name == keep or entry.name.startswith("."):
            continue
        manifest = entry / _MANIFEST
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            unused = now - manifest.stat().st_mtime
        except (OSError, ValueError):
            continue
        if meta.get("origin") == origin and unused > KEEP_UNUSED_SECONDS:
            shutil.rmtree(entry, ignore_errors=True)


def _write_copy(source: str | Path, folder: Path, *, skip_bad: bool, ignore_unknown_columns: bool) -> dict[str, Any]:
    """Load and validate SOURCE, write its tables into ``folder``; the manifest's content.

    A large links file is validated and written piece by piece (:func:`~chaingraph.load.load_in_pieces`), with
    a CSV or Parquet enterprises file; the rest read whole (:func:`~chaingraph.load.load_dataset`).
    """
    from chaingraph.load import links_in_pieces, load_dataset
    from chaingraph.rawtables import WholeFileNeeded

    links = links_in_pieces(source)
    if links is not None:
        try:
            return _write_in_pieces(source, links, folder, skip_bad=skip_bad,
                                    ignore_unknown_columns=ignore_unknown_columns)  # fmt: skip
        except WholeFileNeeded:
            for f in folder.iterdir():
                f.unlink()
    ds = load_dataset(source, skip_bad=skip_bad, ignore_unknown_columns=ignore_unknown_columns)
    write_frame(ds.enterprises, folder / TABLE_FILES["enterprises"])
    write_frame(ds.links, folder / TABLE_FILES["links"])
    if ds.chains is not None:
        write_frame(ds.chains, folder / TABLE_FILES["chains"])
    sup, buy = ds.index.link_ends()
    write_frame(_frame({"supplier": sup, "buyer": buy}), folder / _ENDS)
    return _manifest(ds.chains is not None, ds.files, ds.rejected, ds.warnings)


def _manifest(chains: bool, files: Any, rejected: Any, warnings: Any) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "chains": chains,
        "files": [asdict(f) for f in files],
        "rejected": [asdict(p) for p in rejected],
        "warnings": [asdict(p) for p in warnings],
    }


def _frame(columns: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(columns)


class _PieceWriter:
    """Appends pieces of a table to one Parquet file in a thread beside the validation (Arrow writes without the GIL).

    At most one piece is being written while the next is validated, so memory holds two pieces.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: Any = None
        self._schema: Any = None
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._pending: Any = None

    def _write(self, table: Any) -> None:
        import pyarrow.parquet as pq

        if self._writer is None:
            self._schema = table.schema
            self._writer = pq.ParquetWriter(self.path, table.schema, **_parquet_options(table.schema.names))
        self._writer.write_table(table.cast(self._schema), row_group_size=1 << 20)

    def add(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        table = pa.Table.from_pandas(frame, preserve_index=False)
        self.wait()
        self._pending = self._pool.submit(self._write, table)

    def wait(self) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown()
            if self._writer is not None:
                self._writer.close()


def _write_in_pieces(
    source: str | Path, links: Path, folder: Path, *, skip_bad: bool, ignore_unknown_columns: bool
) -> dict[str, Any]:
    from chaingraph.load import load_in_pieces

    link_writer = _PieceWriter(folder / TABLE_FILES["links"])
    ends_writer = _PieceWriter(folder / _ENDS)
    ent_writer = _PieceWriter(folder / TABLE_FILES["enterprises"])

    def write(frame: pd.DataFrame, sup: np.ndarray, buy: np.ndarray) -> None:
        link_writer.add(frame)
        ends_writer.add(_frame({"supplier": sup, "buyer": buy}))

    try:
        found = load_in_pieces(source, links, write, skip_bad=skip_bad, ignore_unknown_columns=ignore_unknown_columns,
                               write_enterprises=ent_writer.add)  # fmt: skip
    finally:
        link_writer.close()
        ends_writer.close()
        ent_writer.close()
    if found.enterprises is not None:  # the enterprises were read whole (a workbook)
        write_frame(found.enterprises, folder / TABLE_FILES["enterprises"])
    if found.chains is not None:
        write_frame(found.chains, folder / TABLE_FILES["chains"])
    return _manifest(found.chains is not None, found.files, found.rejected, found.warnings)


#: Columns with few distinct values, dictionary-encoded in the copy (a dictionary over ids or names costs
#: more to write than it saves).
_FEW_VALUES = frozenset({"status", "product", "via", "note", "zone", "park", "city", "province", "industry",
                         "kind", "products", "chain", "input", "segment"})  # fmt: skip


def _parquet_options(names: list[str]) -> dict[str, Any]:
    return {"compression": "snappy", "use_dictionary": [n for n in names if n in _FEW_VALUES]}


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """Write one table as Parquet (its pandas dtypes kept in the file's metadata)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, **_parquet_options(table.schema.names))
