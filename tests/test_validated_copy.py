"""The validated columnar copy: the same tables and problems as the loader, reused while the files are unchanged,
never stale."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pandas as pd
import pytest

from chaingraph import validated_copy as vc
from chaingraph.errors import InputError
from chaingraph.load import load_dataset
from chaingraph.synth import SynthSpec, write_synth
from tests.conftest import MakeData, killed_child

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(vc.CACHE_ENV, str(folder))
    return folder


def _same_dataset(a: object, b: object) -> None:
    for name in ("enterprises", "links", "chains"):
        x, y = getattr(a, name), getattr(b, name)
        if y is None:
            assert x is None
            continue
        pd.testing.assert_frame_equal(x, y, check_exact=True)
        assert list(x.dtypes.astype(str)) == list(y.dtypes.astype(str))
    for name in ("files", "rejected", "warnings", "source"):
        assert getattr(a, name) == getattr(b, name), name
    for x, y in zip(a.index.link_ends(), b.index.link_ends(), strict=True):  # type: ignore[attr-defined]
        assert x.tolist() == y.tolist()


def test_dataset_is_what_the_loader_gives(tmp_path: Path) -> None:
    folder = write_synth(SynthSpec(links=3000, zones=3, seed=2), tmp_path / "syn")
    copy = vc.validated_copy(folder)
    assert not copy.reused
    _same_dataset(copy.dataset(), load_dataset(folder))
    assert vc.validated_copy(folder).reused
    _same_dataset(vc.validated_copy(folder).dataset(), load_dataset(folder))


def test_sample_data_and_its_chains() -> None:
    copy = vc.validated_copy("data")
    assert copy.chains is not None and copy.chains.is_file()
    _same_dataset(copy.dataset(), load_dataset("data"))


def test_skip_bad_keeps_problems_warnings_and_summaries(make_data: MakeData) -> None:
    folder = make_data(
        [("A", "甲", "Z", "钢"), ("B", "乙", "Z", ""), ("B", "丙", "Z", ""), ("ＣＣ", "丁", "Z", "")],
        [("A", "B", "钢", 100), ("A", "X", "钢", 5), ("A", "B", "钢", -1), ("CC", "A", "铁", 3)],
    )
    with pytest.raises(InputError) as err:
        vc.validated_copy(folder)
    with pytest.raises(InputError) as again:
        load_dataset(folder)
    assert err.value.problems == again.value.problems
    assert not list((vc.cache_dir() / "copies").iterdir())  # nothing kept of a load that failed
    copy = vc.validated_copy(folder, skip_bad=True)
    ref = load_dataset(folder, skip_bad=True)
    assert copy.rejected == ref.rejected and copy.warnings == ref.warnings and copy.files == ref.files
    assert copy.rejected and copy.warnings
    _same_dataset(copy.dataset(), ref)
    _same_dataset(vc.validated_copy(folder, skip_bad=True).dataset(), ref)


def test_a_changed_byte_anywhere_is_validated_again(tmp_path: Path) -> None:
    folder = write_synth(SynthSpec(links=2000, zones=2, seed=3), tmp_path / "syn")
    first = vc.validated_copy(folder)
    links = folder / "links.csv"
    data = bytearray(links.read_bytes())
    stat = links.stat()
    at = data.index(b"E", len(data) // 2)  # an id in the middle of the file: E0000123 -> F0000123 (same size)
    data[at] = ord("F")
    links.write_bytes(bytes(data))
    os.utime(links, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: only the content differs
    assert links.stat().st_size == stat.st_size and links.stat().st_mtime_ns == stat.st_mtime_ns
    with pytest.raises(InputError, match="unknown enterprise id"):
        vc.validated_copy(folder)
    data[at] = ord("E")
    links.write_bytes(bytes(data))
    assert vc.validated_copy(folder).reused  # back to the first content: its copy again
    assert vc.validated_copy(folder).key == first.key


@pytest.mark.parametrize("change", ["edit_enterprises", "add_chains", "remove_chains", "rename"])
def test_any_change_to_the_inputs_gives_another_key(tmp_path: Path, change: str) -> None:
    folder = write_synth(SynthSpec(links=500, zones=2, seed=4, chains=change != "add_chains"), tmp_path / "syn")
    before = vc.fingerprint(folder)
    if change == "edit_enterprises":
        path = folder / "enterprises.csv"
        path.write_bytes(path.read_bytes().replace("企业1,".encode(), "企业X,".encode(), 1))
    elif change == "add_chains":
        (folder / "产业链.csv").write_text("chain,product\n甲,产品00001\n", encoding="utf-8")
    elif change == "remove_chains":
        (folder / "chains.csv").unlink()
    else:
        (folder / "links.csv").rename(folder / "供应关系.csv")
    assert vc.fingerprint(folder) != before
    assert not vc.validated_copy(folder).reused


def test_options_code_and_source_spelling_change_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {vc.fingerprint("data", skip_bad=s, ignore_unknown_columns=i) for s in (False, True) for i in (False, True)}
    assert len(keys) == 4
    assert vc.fingerprint("data") != vc.fingerprint(str(ROOT / "data"))  # problems name files as given
    base = vc.fingerprint("data")
    monkeypatch.setattr("chaingraph.__version__", "99.0")
    assert vc.fingerprint("data") != base


def _build_in_child(args: tuple[str, str]) -> tuple[str, bool]:
    folder, cache = args
    os.environ[vc.CACHE_ENV] = cache
    copy = vc.validated_copy(folder)
    return copy.key, len(copy.dataset().links) == len(load_dataset(folder).links)


def test_concurrent_builders_make_one_complete_copy(tmp_path: Path, cache: Path) -> None:
    folder = write_synth(SynthSpec(links=20000, zones=2, seed=5), tmp_path / "syn")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_build_in_child, [(str(folder), str(cache))] * 4)
    assert {k for k, _ in results} == {vc.fingerprint(folder)} and all(ok for _, ok in results)
    assert [p.name for p in (cache / "copies").iterdir()] == [results[0][0]]  # one copy, no half-built folders


def _killed_while_copying(args: tuple[str, str]) -> None:
    """Build the copy of a folder and die (SIGKILL) partway, as a stopped command would."""
    import signal

    folder, cache = args
    os.environ[vc.CACHE_ENV] = cache

    def half(source: object, tmp: Path, **kw: object) -> None:
        (tmp / "links.parquet").write_bytes(b"half written")
        os.kill(os.getpid(), signal.SIGKILL)

    vc._write_copy = half  # type: ignore[assignment]
    vc.validated_copy(folder)


def test_a_copy_build_stopped_partway_is_removed_by_the_next(tmp_path: Path, cache: Path) -> None:
    folder = write_synth(SynthSpec(links=300, zones=2, seed=8), tmp_path / "syn")
    killed_child(_killed_while_copying, (str(folder), str(cache)), timeout=60)
    key = vc.fingerprint(folder)
    left = [p.name for p in (cache / "copies").iterdir()]
    assert len(left) == 1 and left[0].startswith(f".{key}.") and left[0].endswith(".tmp")
    other = cache / "copies" / f".{'0' * 40}.1-0badc0de.tmp"  # another input's build: maybe running, left alone
    other.mkdir()
    copy = vc.validated_copy(folder)
    assert not copy.reused
    assert sorted(p.name for p in (cache / "copies").iterdir()) == sorted([key, other.name])
    _same_dataset(copy.dataset(), load_dataset(folder))


def test_a_copy_without_its_manifest_is_never_read(tmp_path: Path) -> None:
    folder = write_synth(SynthSpec(links=300, zones=2, seed=6), tmp_path / "syn")
    copy = vc.validated_copy(folder)
    (copy.folder / "manifest.json").unlink()  # as a removal cut short would leave it
    (copy.folder / "links.parquet").write_bytes(b"broken")
    again = vc.validated_copy(folder)
    assert not again.reused and again.folder == copy.folder
    _same_dataset(again.dataset(), load_dataset(folder))


def test_clear_cache_and_earlier_contents_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_synth(SynthSpec(links=300, zones=2, seed=7), tmp_path / "syn")
    first = vc.validated_copy(folder)
    path = folder / "links.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",active,", ",planned,", 1), encoding="utf-8")
    monkeypatch.setattr(vc, "KEEP_UNUSED_SECONDS", -1)
    second = vc.validated_copy(folder)
    assert not first.folder.exists() and second.folder.exists()  # the earlier content's copy is gone
    assert vc.clear_cache()[0] == 1
    assert not second.folder.exists()
    assert vc.clear_cache() == (0, 0)


def test_unwritable_cache_falls_back_to_a_private_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(vc.CACHE_ENV, str(blocker / "cache"))  # under a file: cannot be created
    copy = vc.validated_copy("data")
    assert copy.links.is_file() and blocker not in copy.folder.parents


def test_cache_info_lists_the_copies() -> None:
    assert vc.cache_info() == []
    copy = vc.validated_copy("data")
    (info,) = vc.cache_info()
    assert (info.key, info.source) == (copy.key, "data") and info.bytes > 0


def test_cache_info_counts_the_tables_kept_beside_a_copy() -> None:
    from chaingraph.duckdb_engine import DuckDBBackend
    from chaingraph.results.options import Options

    copy = vc.validated_copy("data")
    DuckDBBackend(copy).gaps(opts=Options(zone="晋城经开区"))  # keeps the zone-independent tables (derived.py)
    kept = [f for f in copy.folder.rglob("*") if f.is_file() and f.parent != copy.folder]
    assert kept, "the DuckDB engine kept no table beside the copy"
    (info,) = vc.cache_info()
    assert info.bytes == sum(f.stat().st_size for f in copy.folder.rglob("*") if f.is_file())


def test_commands_reuse_the_copy_and_say_the_same(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from chaingraph.cli import main

    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "enterprises.csv").write_text("id,name,zone,联系人\nA,甲,Z,x\nＢ,乙,Z,y\nC,丙,Y,z\n", encoding="utf-8")
    (folder / "links.csv").write_text("supplier_id,buyer_id,product,annual_value\nC,A,钢,100\nB,A,铁,-1\n",
                                      encoding="utf-8")  # fmt: skip
    run = CliRunner().invoke
    first = run(main, ["validate", str(folder), "--skip-bad", "--rejects", str(tmp_path / "r.csv"), "-f", "json"])
    assert first.exit_code == 0, first.output
    assert [c.source for c in vc.cache_info()] == [str(folder)]
    again = run(main, ["validate", str(folder), "--skip-bad", "--rejects", str(tmp_path / "r.csv"), "-f", "json"])
    assert again.output == first.output and len(vc.cache_info()) == 1  # read from the copy, said the same
    gaps = run(main, ["gaps", str(folder), "--zone", "Z", "--skip-bad", "--rejects", str(tmp_path / "r.csv")])
    assert "warning: " in gaps.output and "unknown column, ignored" in gaps.output  # warnings kept with the copy
    assert (
        "set aside 1 problem(s)" in gaps.output
        and (tmp_path / "r.csv").read_text(encoding="utf-8-sig").count("negative amount") == 1
    )
    failed = run(main, ["gaps", str(folder), "--zone", "Z"])
    assert failed.exit_code == 2 and "negative amount" in failed.output  # without --skip-bad: the load fails
    assert run(main, ["cache", "clear"]).output.startswith("removed 1 copies")
    assert vc.cache_info() == []


def _count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = vc._hash_piece

    def counted(piece: tuple[Path, int, int]) -> bytes:
        calls.append(piece[0])
        return real(piece)

    monkeypatch.setattr(vc, "_hash_piece", counted)
    return calls


def test_settled_files_are_not_hashed_again_until_they_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_synth(SynthSpec(links=2000, zones=2, seed=3), tmp_path / "syn")
    calls = _count_hashing(monkeypatch)
    vc.fingerprint(folder)
    assert len(calls) == 3
    vc.fingerprint(folder)
    assert len(calls) == 6  # just written (within SETTLED_NS): hashed again, never trusted
    monkeypatch.setattr(vc, "SETTLED_NS", 0)
    key = vc.fingerprint(folder)
    assert vc.fingerprint(folder) == key and len(calls) == 9  # the memo now answers
    links = folder / "links.csv"
    stat = links.stat()
    data = bytearray(links.read_bytes())
    data[data.index(b"E", len(data) // 2)] = ord("F")
    links.write_bytes(bytes(data))
    os.utime(links, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime; the ctime moved
    assert vc.fingerprint(folder) != key and calls[-1] == links and len(calls) == 10
    monkeypatch.setenv(vc.REHASH_ENV, "1")
    vc.fingerprint(folder)
    assert len(calls) == 13  # CHAINGRAPH_REHASH=1: every file, every time


def test_a_changed_byte_is_seen_through_the_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vc, "SETTLED_NS", 0)
    test_a_changed_byte_anywhere_is_validated_again(tmp_path)
