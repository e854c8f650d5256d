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


def _table() -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("bench_table", ROOT / "benchmarks" / "table.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_table_counts_a_child_process_memory_and_stops_past_the_cap() -> None:
    """Spark's driver starts a JVM: the table's memory is the process tree's, and a runaway run is stopped."""
    table = _table()
    grandchild = "import time; b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(3)"
    child = (
        f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {grandchild!r}]); import time; time.sleep(4)"
    )
    m = table.measure([sys.executable, "-c", child], timeout=60)
    assert "error" not in m and m["rss_mb"] > 250, m  # the child alone holds ~10 MB
    m = table.measure([sys.executable, "-c", child], timeout=60, rss_cap_mb=200)
    assert m["error"].startswith("stopped at 0."), m
    m = table.measure([sys.executable, "-c", "raise SystemExit('no such zone')"], timeout=60)
    assert m["error"] == "no such zone"


def test_the_table_has_a_line_per_peer_and_says_what_was_not_measured() -> None:
    table = _table()
    floor = {"seconds": 2.0, "rss_mb": 512.0, "load": 4.0}
    row = {"links": 2_000_000, "mb": 146.2, "floor": floor, "gaps": {"seconds": 5.0, "rss_mb": 1024.0, "load": 6.0},
           "naive_gaps": {"error": "stopped after 1800 s"}, "spark_gaps": {"skipped": "not run"},
           "peer_agrees": True, "naive_agrees": False, "load": [4.0, 6.0]}  # fmt: skip
    text = table.table([row], missing={"100M": "the validated copy does not build yet"}).splitlines()
    assert text[0] == "| seconds, peak memory (× floor) | 2M links (146 MB CSV) | 100M links |"
    assert (
        "| floor: pyarrow reads the two CSV files | 2.0 s, 0.50 GB | not measured: the validated copy does not build yet |"
        in text
    )
    assert "| chaingraph `gaps`, warm | 5.0 s, 1.00 GB (2.5×) | — |" in text
    assert "| naive networkx `gaps` (`naive.py`) | **failed**: stopped after 1800 s | — |" in text
    assert "| same gaps as chaingraph's | peer agrees, naive **differs** | — |" in text
    assert text[-1] == "| load average (2 cores) during the column | 4–6 | — |"
