"""The benchmark's naive peer computes the same figures as chaingraph (or its speed-up means nothing)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from chaingraph.analysis import Options, closure, gaps, savings
from chaingraph.load import load_dataset
from chaingraph.synth import SynthSpec, write_synth

ROOT = Path(__file__).resolve().parents[1]


def _naive() -> ModuleType:
    spec = importlib.util.spec_from_file_location("naive", ROOT / "benchmarks" / "naive.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["naive"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize(("seed", "chains"), [(5, True), (6, False)])
def test_naive_peer_agrees_with_chaingraph(tmp_path: Path, seed: int, chains: bool) -> None:
    naive = _naive()
    folder = write_synth(SynthSpec(links=4000, zones=3, seed=seed, chains=chains), tmp_path / "syn")
    ds = load_dataset(folder)
    g, rows = naive.read(str(folder))
    for zone in ("园区01经开区", "园区02经开区"):
        opts = Options(zone=zone)
        ours = {"closure": closure(ds, opts=opts), "savings": savings(ds, opts=opts), "gaps": gaps(ds, opts=opts)}
        theirs = {"closure": naive.closure(g, rows, zone), "savings": naive.savings(g, zone),
                  "gaps": naive.gaps(g, rows, zone)}  # fmt: skip
        for kind in ours:
            assert naive.agree(kind, theirs[kind], ours[kind].to_dict()) == [], (kind, zone)
        assert theirs["gaps"]["gaps"] and theirs["savings"]["potential"] and theirs["closure"]["chains"]


def test_agree_notices_a_difference(tmp_path: Path) -> None:
    naive = _naive()
    folder = write_synth(SynthSpec(links=1000, zones=2, seed=1), tmp_path / "syn")
    g, rows = naive.read(str(folder))
    ours = gaps(load_dataset(folder), opts=Options(zone="园区01经开区")).to_dict()
    theirs = naive.gaps(g, rows, "园区01经开区")
    theirs["gaps"][0]["external_demand"] += 1.0
    assert naive.agree("gaps", theirs, ours) == [f"gap {theirs['gaps'][0]['product']}: differs"]
