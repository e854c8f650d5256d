"""The zone-independent tables kept beside a validated copy (chaingraph.derived): the same figures as the
in-memory engine whether built now or read back, and never those of other input or other code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from chaingraph import derived
from chaingraph import duckdb_engine as de
from chaingraph import validated_copy as vc
from chaingraph.load import load_dataset
from chaingraph.memory_engine import MemoryBackend
from chaingraph.synth import SynthSpec, write_synth
from tests.conftest import L_HEAD, killed_child, write_csv
from tests.relational_data import datasets, figures, write

KW: dict[str, Any] = {"zones": 2, "planned": (False, True), "scopes": ("zone", "city")}
SMALL: dict[str, Any] = {"zones": 2, "planned": (False,), "scopes": ("zone",)}


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(vc.CACHE_ENV, str(folder))
    return folder


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the queries the DuckDB engine runs, by name."""
    seen: dict[str, int] = {}
    query = de.DuckDBBackend._query

    def counted(self: de.DuckDBBackend, name: str, params: Any) -> Any:
        seen[name] = seen.get(name, 0) + 1
        return query(self, name, params)

    monkeypatch.setattr(de.DuckDBBackend, "_query", counted)
    fetch = de.DuckDBBackend._fetch

    def fetched(self: de.DuckDBBackend, name: str, params: Any) -> Any:
        seen[name] = seen.get(name, 0) + 1
        return fetch(self, name, params)

    monkeypatch.setattr(de.DuckDBBackend, "_fetch", fetched)
    hold = de.DuckDBBackend._hold

    def held(self: de.DuckDBBackend, name: str, query: str, params: Any) -> int:  # kept on the engine, e.g. reach_flow
        seen[f"held {query}"] = seen.get(f"held {query}", 0) + 1
        return hold(self, name, query, params)

    monkeypatch.setattr(de.DuckDBBackend, "_hold", held)
    return seen


def _kept(copy: vc.ValidatedCopy) -> list[str]:
    """The names in the copy's derived folder but the builders' locks (temporary files and folders included)."""
    folder = derived.DerivedTables(copy.folder).folder
    return sorted(p.name for p in folder.iterdir() if p.name != derived._LOCKS) if folder.is_dir() else []


@pytest.mark.parametrize("chains", [True, False])
def test_built_then_read_back_the_same_figures(tmp_path: Path, chains: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_synth(SynthSpec(links=1500, zones=3, seed=11, chains=chains), tmp_path / "syn")
    expected = figures(MemoryBackend(load_dataset(folder)), **KW)
    copy = vc.validated_copy(folder)
    assert _kept(copy) == []
    assert figures(de.DuckDBBackend(copy), **KW) == expected  # built by this run
    kept = _kept(copy)
    assert len([n for n in kept if n.startswith("summary-")]) == 4  # the all-zones summary per scope and planned
    assert [n for n in kept if not n.startswith("summary-")] == [
        "listed.parquet", "presence-city-active.npz", "presence-city-planned.npz", "presence-zone-active.npz",
        "presence-zone-planned.npz", "reach-codes-active.parquet", "reach-codes-planned.parquet", "reach-flow-active.parquet",
        "reach-flow-planned.parquet", "zl-city", "zl-zone",
    ]  # fmt: skip
    seen = _counting(monkeypatch)
    assert figures(de.DuckDBBackend(vc.validated_copy(folder)), **KW) == expected  # read back
    # the flow graph's links read back, not joined again over every link
    assert not {"flow_edges", "flow_products", "held reach_flow", "presence", "zs_gaps"} & set(seen)


def test_a_changed_input_never_reads_the_old_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_synth(SynthSpec(links=1500, zones=3, seed=5), tmp_path / "syn")
    old = vc.validated_copy(folder)
    figures(de.DuckDBBackend(old), **KW)
    assert _kept(old)
    links = folder / "links.csv"
    lines = links.read_text(encoding="utf-8").splitlines()
    # every active link becomes planned: another product flow, presence and every zone's figures
    links.write_text("\n".join([lines[0], *(line.replace(",active", ",planned") for line in lines[1:])]) + "\n",
                     encoding="utf-8")  # fmt: skip
    new = vc.validated_copy(folder)
    assert new.key != old.key and _kept(new) == []
    expected = figures(MemoryBackend(load_dataset(folder)), **KW)
    assert expected != figures(MemoryBackend(old.dataset()), **KW)  # the change shows in the figures
    seen = _counting(monkeypatch)
    assert figures(de.DuckDBBackend(new), **KW) == expected
    # computed again, not read from the old copy
    assert seen.get("held reach_flow") and seen.get("presence") and seen.get("zs_gaps")


def test_other_code_never_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables are kept under a hash of the code computing them: new code computes them again."""
    folder = write_synth(SynthSpec(links=1000, zones=2, seed=3), tmp_path / "syn")
    copy = vc.validated_copy(folder)
    figures(de.DuckDBBackend(copy), zones=1, planned=(False,), scopes=("zone",))
    before = derived.DerivedTables(copy.folder).folder
    derived.derived_key.cache_clear()
    monkeypatch.setattr(derived, "_FORMAT", derived._FORMAT + 1)
    try:
        after = derived.DerivedTables(copy.folder).folder
        assert after != before and not after.exists()
    finally:
        derived.derived_key.cache_clear()


def _package(tmp_path: Path) -> Path:
    """A stand-in for chaingraph's code: two files the key hashes, one it does not, a __pycache__ it skips."""
    package = tmp_path / "pkg"
    (package / "sub" / "__pycache__").mkdir(parents=True)
    (package / "a.py").write_text("A = 1\n")
    (package / "sub" / "q.sql").write_text("SELECT 1\n")
    (package / "notes.txt").write_text("not code\n")
    (package / "sub" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    return package


def _settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written a moment ago count as settled (the memo is written at once)."""
    monkeypatch.setattr(vc, "SETTLED_NS", 0)


def test_the_code_key_is_memorised_and_read_back_without_hashing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 cache: Path) -> None:  # fmt: skip
    """The key hashes every .py and .sql file (as derived_key always did); the next command reads it from the memo
    while no file changed, without reading the files."""
    package = _package(tmp_path)
    _settled(monkeypatch)
    files = derived._code_files(package)
    assert [f.relative_to(package).as_posix() for f in files] == ["a.py", "sub/q.sql"]
    first = derived._memoised_key(package)
    assert first == derived._content_key(package, files)
    assert first in (derived._read_keys()).values() and (cache / derived._KEYS).is_file()

    def never(*args: Any) -> str:
        raise AssertionError("hashed again")

    monkeypatch.setattr(derived, "_content_key", never)
    assert derived._memoised_key(package) == first


def test_the_real_key_is_the_content_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """derived_key() read from the memo is the hash of the files and versions, as computed without a memo."""
    package = Path(derived.__file__).resolve().parent
    derived.derived_key.cache_clear()
    try:
        assert derived.derived_key() == derived._content_key(package, derived._code_files(package))
        derived.derived_key.cache_clear()
        assert derived.derived_key() == derived._content_key(package, derived._code_files(package))  # memo or not
    finally:
        derived.derived_key.cache_clear()


@pytest.mark.parametrize("change", ["same size and mtime", "new file", "removed file", "library"])
def test_a_changed_code_file_is_hashed_again(change: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never a stale key: a byte changed with the size and mtime kept (the ctime moves), a file added or removed,
    or a library reinstalled (its file rewritten) gives the key of the new content, not the memorised one."""
    import os

    package = _package(tmp_path)
    library = tmp_path / "lib" / "__init__.py"
    library.parent.mkdir()
    library.write_text("__version__ = '1'\n")
    monkeypatch.setattr(derived, "_library_files", lambda: [library])
    _settled(monkeypatch)
    before = derived._memoised_key(package)
    target = package / "a.py"
    if change == "same size and mtime":
        st = target.stat()
        target.write_text("A = 2\n")
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert target.stat().st_size == st.st_size and target.stat().st_mtime_ns == st.st_mtime_ns
    elif change == "new file":
        (package / "sub" / "b.py").write_text("B = 1\n")
    elif change == "removed file":
        (package / "sub" / "q.sql").unlink()
    else:
        st = library.stat()
        library.write_text("__version__ = '2'\n")
        os.utime(library, ns=(st.st_atime_ns, st.st_mtime_ns))
    content_key = derived._content_key
    hashed: list[Path] = []

    def counted(pkg: Path, files: list[Path]) -> str:
        hashed.append(pkg)
        return content_key(pkg, files)

    monkeypatch.setattr(derived, "_content_key", counted)
    after = derived._memoised_key(package)
    assert hashed == [package]  # computed again, not read from the memo
    assert after == content_key(package, derived._code_files(package))
    if change != "library":  # (the stand-in library's version is not in the content hash; a real one's is)
        assert after != before


def test_a_file_changed_just_now_is_not_memorised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A change in the same clock tick as the memo could escape its stamp: such a key is computed, never recorded
    (git's racy rule); CHAINGRAPH_REHASH=1 never records one either."""
    package = _package(tmp_path)
    monkeypatch.setattr(vc, "SETTLED_NS", 10**18)
    derived._memoised_key(package)
    assert derived._read_keys() == {}
    monkeypatch.setattr(vc, "SETTLED_NS", 0)
    monkeypatch.setenv(vc.REHASH_ENV, "1")
    derived._memoised_key(package)
    assert derived._read_keys() == {}


def test_the_whole_data_queries_read_the_zone_links_from_their_files(tmp_path: Path) -> None:
    """The whole-data queries scan the kept files (a view), not a table held in memory."""
    folder = write_synth(SynthSpec(links=2000, zones=3, seed=8), tmp_path / "syn")
    copy = vc.validated_copy(folder)
    duck = de.DuckDBBackend(copy)
    assert figures(duck, **SMALL) == figures(MemoryBackend(load_dataset(folder)), **SMALL)
    duck._zone_links("zone")
    assert duck._zl == "view" and "zl-zone" in _kept(copy)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=datasets())
def test_the_slice_from_integer_ends_equals_the_text_join(rows: dict[str, Any], tmp_path_factory: pytest.TempPathFactory,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The zone links built from the copy's integer link ends (small pieces and row groups, every zone in one file)
    give the JSON of the text join of links with enterprises and of the in-memory engine, every scope (province:
    no such column), outside firms (zone "") included."""
    monkeypatch.setattr(de, "_ZL_BATCH", 4)
    monkeypatch.setattr(de, "_ZL_ROW_GROUP", 3)
    monkeypatch.setattr(de, "_ZL_BUCKETS", 1)
    folder = write(rows, tmp_path_factory.mktemp("rows"))
    monkeypatch.setenv(vc.CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
    kw: dict[str, Any] = {"planned": (True,), "scopes": ("zone", "province")}
    ds = load_dataset(folder, skip_bad=True)
    text_join = figures(de.DuckDBBackend(ds), **kw)
    assert text_join == figures(MemoryBackend(ds), **kw)
    copy = vc.validated_copy(folder, skip_bad=True)
    assert figures(de.DuckDBBackend(copy), **kw) == text_join  # kept tables built now
    assert figures(de.DuckDBBackend(copy), **kw) == text_join  # and read back


def test_each_link_of_a_zone_read_once(tmp_path: Path) -> None:
    """Hand-made: a zone's slice is the links with either end in it, each once (a local link is in by-buyer only);
    the whole-data relation holds every link once."""
    write_csv(
        tmp_path / "enterprises.csv",
        ["id", "name", "zone"],
        [
            ("A", "甲一", "甲区"),
            ("B", "甲二", "甲区"),
            ("C", "乙一", "乙区"),
            ("X", "外一", "外地"),
            ("Y", "外二", "外地"),
        ],
    )
    write_csv(tmp_path / "links.csv", L_HEAD, [
        ("A", "B", "钢", 100, None, None, None, "active"),  # local to 甲区
        ("A", "C", "钢", 200, None, None, None, "active"),  # 甲区 -> 乙区
        ("C", "A", "铝", 300, None, None, None, "former"),  # 乙区 -> 甲区
        ("X", "A", "铝", 400, None, None, None, "active"),  # outside -> 甲区
        ("B", "Y", "箱体", 500, None, None, None, "planned"),  # 甲区 -> outside
        ("X", "Y", "钢", 600, None, None, None, "active"),  # outside -> outside: in no slice of 甲区 or 乙区
    ])  # fmt: skip
    duck = de.DuckDBBackend(vc.validated_copy(tmp_path))
    for zone, values in (("甲区", [100, 200, 300, 400, 500]), ("乙区", [200, 300])):
        duck._zone_slice("zone", zone)
        got = duck.con.execute("SELECT rn, value, s_zone, b_zone FROM zl ORDER BY rn").fetchall()
        assert [v for _, v, _, _ in got] == values
    duck._zone_slice("zone", "乙区")
    assert duck.con.execute("SELECT s_zone, b_zone FROM zl ORDER BY rn").fetchall() == [
        ("甲区", "乙区"),
        ("乙区", "甲区"),
    ]
    duck._zone_links("zone")
    assert duck.con.execute("SELECT count(*) FROM zl").fetchone() == (6,)
    ds = load_dataset(tmp_path)
    kw: dict[str, Any] = {"planned": (True,), "scopes": ("zone",)}
    assert figures(duck, **kw) == figures(de.DuckDBBackend(ds), **kw) == figures(MemoryBackend(ds), **kw)


def test_a_cache_that_cannot_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A derived table that cannot be written is computed for the command, the same figures."""
    folder = write_synth(SynthSpec(links=2000, zones=3, seed=9), tmp_path / "syn")
    copy = vc.validated_copy(folder)

    def refuse(*a: object, **k: object) -> None:
        raise OSError("read-only")

    monkeypatch.setattr(derived.os, "replace", refuse)
    assert figures(de.DuckDBBackend(copy), **SMALL) == figures(MemoryBackend(load_dataset(folder)), **SMALL)
    assert _kept(copy) == []  # nothing half written left behind


def test_tables_of_other_code_are_removed_once_unused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    copy = tmp_path / "copy"
    copy.mkdir()
    old, recent = copy / "derived-0000000000000000", copy / "derived-1111111111111111"
    for folder in (old, recent):
        folder.mkdir()
        (folder / "flow-active.npz").write_bytes(b"x")
    os.utime(old, (1, 1))
    assert derived.DerivedTables(copy).get("t.txt", lambda tmp: tmp.write_text("1")) is not None
    assert not old.exists() and recent.exists()


def _killed_while_keeping(args: tuple[str, str]) -> None:
    """The first command on a copy, dying (SIGKILL) once the zone links are written, before they are put in place."""
    import os
    import signal

    folder, cache = args
    os.environ[vc.CACHE_ENV] = cache
    write = de._write_zone_links

    def then_killed(*a: Any) -> None:
        write(*a)
        os.kill(os.getpid(), signal.SIGKILL)

    de._write_zone_links = then_killed  # type: ignore[assignment]
    figures(de.DuckDBBackend(vc.validated_copy(folder)), **SMALL)


def test_a_build_stopped_partway_is_removed_by_the_next(tmp_path: Path, cache: Path) -> None:
    folder = write_synth(SynthSpec(links=1500, zones=3, seed=12), tmp_path / "syn")
    killed_child(_killed_while_keeping, (str(folder), str(cache)))
    copy = vc.validated_copy(folder)
    left = [n for n in _kept(copy) if n.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith(".zl-zone.")  # the zone links, written, never put in place
    assert figures(de.DuckDBBackend(copy), **SMALL) == figures(MemoryBackend(load_dataset(folder)), **SMALL)
    assert "zl-zone" in _kept(copy) and not [n for n in _kept(copy) if n.endswith(".tmp")]


def test_a_table_being_built_is_left_to_its_builder(tmp_path: Path) -> None:
    """A second process asking for a table another is building waits for it: its temporary folder is not
    removed, the table is built once."""
    import threading

    tables = derived.DerivedTables(tmp_path)
    started, release = threading.Event(), threading.Event()
    built: list[str] = []

    def slow(tmp: Path) -> None:
        tmp.mkdir()
        (tmp / "part").write_text("first")
        built.append("first")
        started.set()
        release.wait(30)

    first = threading.Thread(target=tables.get, args=("t", slow))
    first.start()
    assert started.wait(30)
    second_result: list[Path | None] = []
    second = threading.Thread(target=lambda: second_result.append(tables.get("t", lambda tmp: built.append("again"))))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the first builder
    assert [n.name for n in tables.folder.iterdir() if n.name.endswith(".tmp")]  # its work left alone
    release.set()
    first.join(30)
    second.join(30)
    assert built == ["first"] and second_result == [tables.path("t")]
    assert (tables.path("t") / "part").read_text() == "first"
    assert sorted(n.name for n in tables.folder.iterdir()) == [derived._LOCKS, "t"]


def test_tables_of_other_code_being_built_are_not_pruned(tmp_path: Path) -> None:
    import fcntl
    import os

    copy = tmp_path / "copy"
    copy.mkdir()
    old = copy / "derived-0000000000000000"
    (old / derived._LOCKS).mkdir(parents=True)
    (old / ".zl-zone.1-0badc0de.tmp").mkdir()
    lock = old / derived._LOCKS / "zl-zone.lock"
    fd = os.open(lock, os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another process (older code) building its zone links
        os.utime(old, (1, 1))
        assert derived.DerivedTables(copy).get("t.txt", lambda tmp: tmp.write_text("1")) is not None
        assert old.exists()
    finally:
        os.close(fd)
    other = derived.DerivedTables(copy)
    other.folder.rename(copy / "derived-2222222222222222")  # a new folder: it prunes again
    os.utime(old, (1, 1))
    assert derived.DerivedTables(copy).get("t.txt", lambda tmp: tmp.write_text("1")) is not None
    assert not old.exists()  # its builder gone: removed once unused
