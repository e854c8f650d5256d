"""The zone-independent tables kept beside a validated copy (chaingraph.derived): the same figures as the
in-memory engine whether built now or read back, and never those of other input or other code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chaingraph import derived
from chaingraph import duckdb_engine as de
from chaingraph import validated_copy as vc
from chaingraph.load import load_dataset
from chaingraph.memory_engine import MemoryBackend
from chaingraph.synth import SynthSpec, write_synth
from tests.relational_data import figures

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
    hold = de.DuckDBBackend._hold

    def held(self: de.DuckDBBackend, name: str, query: str, params: Any) -> int:  # kept on the engine, e.g. reach_flow
        seen[f"held {query}"] = seen.get(f"held {query}", 0) + 1
        return hold(self, name, query, params)

    monkeypatch.setattr(de.DuckDBBackend, "_hold", held)
    return seen


def _kept(copy: vc.ValidatedCopy) -> list[str]:
    folder = derived.DerivedTables(copy.folder).folder
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


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
        "presence-zone-planned.npz", "reach-flow-active.parquet", "reach-flow-planned.parquet",
        "zl-city-by-buyer.parquet", "zl-city-by-supplier.parquet", "zl-zone-by-buyer.parquet", "zl-zone-by-supplier.parquet",
    ]  # fmt: skip
    seen = _counting(monkeypatch)
    assert figures(de.DuckDBBackend(vc.validated_copy(folder)), **KW) == expected  # read back
    # the flow graph's links read back, not joined again over every link
    assert not {"flow_edges", "flow_products", "held reach_flow", "presence", "zs_lsr", "zs_gaps"} & set(seen)


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
    assert seen.get("held reach_flow") and seen.get("presence") and seen.get("zs_lsr")


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


def test_a_large_copy_joins_per_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above KEEP_ZONE_LINKS_UP_TO links the zone links are not kept (the flow and presence still are)."""
    folder = write_synth(SynthSpec(links=2000, zones=3, seed=8), tmp_path / "syn")
    monkeypatch.setattr(de, "KEEP_ZONE_LINKS_UP_TO", 10)
    copy = vc.validated_copy(folder)
    assert figures(de.DuckDBBackend(copy), **SMALL) == figures(MemoryBackend(load_dataset(folder)), **SMALL)
    assert not [n for n in _kept(copy) if n.startswith("zl-")] and "reach-flow-active.parquet" in _kept(copy)


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
