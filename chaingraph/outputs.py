"""Where outputs go: checked before anything is read, written whole or not at all, never onto an input.

Every file chaingraph writes (``-o FILE``, ``--rejects``, the files of a
report folder) goes through this module:

- :func:`check_file` / :func:`check_folder` refuse a bad target up front with
  :class:`~chaingraph.errors.OutputError` (exit code 2): a folder where a file
  is wanted, a missing parent folder, a place that cannot be written, and any
  input file of the run (the data folder's tables, a what-if scenario).
- :func:`atomic_file` hands a writer a temporary path beside the target and
  renames it into place when the writer is done, so a reader sees the old file
  or the new one, never half of one; an error or Ctrl-C leaves the old file.
- :func:`atomic_folder` does the same for a whole folder (the report): it is
  built beside the target and swapped in with one rename, so two runs at once
  leave one run's complete folder, and an interrupted run leaves the old one.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from chaingraph.errors import OutputError, param

__all__ = [
    "REPORT_MARKER",
    "atomic_file",
    "atomic_folder",
    "check_file",
    "check_folder",
    "input_files",
    "refuse_inputs",
    "write_text",
]

#: A folder holding this file is a report chaingraph wrote; only such a folder (or an empty one) is replaced.
REPORT_MARKER = "report.html"

_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)


def input_files(source: str | Path | None, extra: Iterable[str | Path | None] = ()) -> list[Path]:
    """The files a run reads: the data folder's tables (any extension) and ``extra`` files.

    A data-folder table is any file whose name without extension is one the
    loader looks for (``enterprises``, ``links``, ``chains``, ``企业`` …), so a
    new input format is protected too.

    Examples
    --------
    >>> [p.name for p in input_files("data")]
    ['chains.csv', 'enterprises.csv', 'links.csv']
    """
    from chaingraph.rawtables import TABLES  # the loader's table names (chaingraph.load.FILES), not the loader

    stems = {stem for names in TABLES.values() for stem in names}
    found: list[Path] = []
    if source is not None and Path(source).is_dir():
        found.extend(sorted(p for p in Path(source).iterdir() if p.is_file() and p.stem in stems))
    elif source is not None and Path(source).is_file():  # a workbook SOURCE (issue 17)
        found.append(Path(source))
    found.extend(Path(p) for p in extra if p is not None and Path(p).is_file())
    return found


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _writable(folder: Path, what: str) -> None:
    """Fail unless a file can be created in ``folder`` (tried for real: root passes every access check)."""
    probe = folder / f".chaingraph-probe-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, "Permission denied")
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        probe.unlink()
    except OSError as err:
        raise OutputError(f"{what}: {_cannot(folder, err)}") from None


def _cannot(folder: Path, err: OSError) -> str:
    if err.errno in _DENIED:
        return f"no permission to write in folder {str(folder)!r}. Pick a folder you can write to."
    return f"cannot write in folder {str(folder)!r} ({err.strerror}). Pick another folder."


def _parent(target: Path, what: str) -> Path:
    parent = target.parent
    if not parent.exists():
        raise OutputError(f"{what}: folder {str(parent)!r} does not exist. Create it first, or write elsewhere.")
    if not parent.is_dir():
        raise OutputError(f"{what}: {str(parent)!r} is a file, not a folder.")
    return parent


def refuse_inputs(path: str | Path, *, parameter: str, inputs: Iterable[Path]) -> Path:
    """Refuse ``path`` when it is one of ``inputs`` (the same file by name, link or hard link)."""
    target = Path(path)
    for f in inputs:
        if _same(target, f) or target.resolve() == f.resolve():
            raise OutputError(f"{param(parameter)} {str(path)!r} is an input file of this run; chaingraph never writes to "
                              "its inputs. Give another file name.")  # fmt: skip
    return target


def check_file(path: str | Path, *, parameter: str, inputs: Iterable[Path] = ()) -> Path:
    """Refuse ``path`` as a file to write unless it can be written and is no input.

    Parameters
    ----------
    path
        The target as the user gave it.
    parameter
        The parameter that named it (``output``, ``rejects``), for the message.
    inputs
        The run's input files (:func:`input_files`); writing over one is refused.

    Raises
    ------
    OutputError
        Naming the parameter, the path and what is wrong.
    """
    target = refuse_inputs(path, parameter=parameter, inputs=inputs)
    what = f"{param(parameter)} {str(path)!r}"
    if target.is_dir():
        raise OutputError(f"{what} is a folder; give a file name, e.g. {str(target / 'out.txt')!r}.")
    if _special(target):  # /dev/null, /dev/stdout, a named pipe: written in place
        if not os.access(target, os.W_OK):
            raise OutputError(f"{what}: no permission to write to it.")
        return target
    _writable(_parent(_real(target), what), what)
    return target


def _real(target: Path) -> Path:
    """The file a symbolic link points at (written there, so the link stays), else ``target``."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def _special(target: Path) -> bool:
    """An existing file (links followed) that is no regular file (a device, a pipe): never renamed over."""
    return target.exists() and not target.is_file() and not target.is_dir()


def check_folder(path: str | Path, *, parameter: str, inputs: Iterable[Path] = (), replace: bool = True) -> Path:
    """Refuse ``path`` as a folder to write unless it can be written and holds no input.

    With ``replace`` (the report folder) an existing folder is replaced whole,
    so it must be empty or a report chaingraph wrote (it holds
    :data:`REPORT_MARKER`); without it files are written into the folder.
    """
    target = Path(path)
    what = f"{param(parameter)} {str(path)!r}"
    for f in inputs:
        if target.resolve() in f.resolve().parents:
            raise OutputError(f"{what} holds input files of this run ({str(f)!r}); chaingraph never writes "
                              "over its inputs. Give another folder.")  # fmt: skip
    if target.exists() and not target.is_dir():
        raise OutputError(f"{what} is a file; this command writes a folder. Give a folder name.")
    if replace and target.is_dir() and any(target.iterdir()) and not (target / REPORT_MARKER).is_file():
        raise OutputError(f"{what} is a folder with other files in it (no {REPORT_MARKER}); the report replaces "
                          "the whole folder, so give a new or empty folder.")  # fmt: skip
    _writable(target if target.is_dir() and not replace else _parent(target, what), what)
    return target


def _temp_beside(target: Path, suffix: str) -> Path:
    return target.with_name(f".{target.name}.chaingraph-{os.getpid()}-{secrets.token_hex(4)}{suffix}")


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer; renamed onto ``path`` when the block ends well.

    The temporary file is created (empty, with the usual permissions) before
    the block, so the writer may open it or replace it.  On an error or
    Ctrl-C it is removed and ``path`` is left as it was.  A symbolic link is
    followed (the file it points at is replaced, the link stays); a device or
    pipe such as ``/dev/null`` is written in place, never renamed over.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with atomic_file(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (d / "a.txt").read_text(), sorted(p.name for p in d.iterdir())
    ('done', ['a.txt'])
    """
    if _special(Path(path)):  # /dev/null, /dev/stdout, a named pipe: write to it, never rename over it
        yield Path(path)
        return
    target = _real(Path(path))
    tmp = _temp_beside(target, ".tmp")
    try:
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as err:
        raise OutputError(f"cannot write {str(target)!r}: {_cannot(target.parent, err)}") from None
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {str(target)!r}: {err.strerror}.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through :func:`atomic_file`."""
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    fn = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    if code == errno.ENOENT:  # the target went away meanwhile: the caller renames instead
        return False
    raise OSError(code, os.strerror(code))


def _swap_in(tmp: Path, target: Path) -> None:
    """Put the folder ``tmp`` at ``target``; whatever was there is removed after."""
    aside: list[Path] = []
    for _ in range(100):
        if target.exists() and _exchange(tmp, target):
            aside.append(tmp)  # tmp now holds the old folder
            break
        try:
            os.rename(tmp, target)  # target absent (or an empty folder)
            break
        except FileNotFoundError:
            continue
        except OSError as err:
            if err.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
        old = _temp_beside(target, ".old")
        with contextlib.suppress(FileNotFoundError):
            os.rename(target, old)
            aside.append(old)
    else:  # pragma: no cover - a hundred runs racing for one folder
        raise OSError(errno.EBUSY, "other runs keep replacing the folder")
    for old in aside:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def atomic_folder(path: str | Path) -> Iterator[Path]:
    """A fresh folder beside ``path`` to fill; swapped in for ``path`` when the block ends well.

    On an error or Ctrl-C the temporary folder is removed and ``path`` is left
    as it was.  Check the target with :func:`check_folder` first.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for text in ("first", "second"):
    ...     with atomic_folder(d / "report") as tmp:
    ...         _ = (tmp / "report.html").write_text(text)
    >>> (d / "report" / "report.html").read_text(), sorted(p.name for p in d.iterdir())
    ('second', ['report'])
    """
    target = _real(Path(path))  # a link to a folder: the folder it points at is replaced, the link stays
    tmp = _temp_beside(target, ".tmp")
    try:
        tmp.mkdir()
        tmp.chmod(0o777 & ~_umask())
    except OSError as err:
        raise OutputError(f"cannot write {str(target)!r}: {_cannot(target.parent, err)}") from None
    try:
        yield tmp
        _swap_in(tmp, target)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write {str(target)!r}: {err.strerror}.") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
