"""The benchmark's naive peer computes the same figures as chaingraph (or its speed-up means nothing)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph.analysis import Options, closure, gaps, savings
from chaingraph.cli import main
from chaingraph.load import load_dataset
from chaingraph.synth import SynthSpec, write_synth

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` imported as module ``name``."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _naive() -> ModuleType:
    return _script("naive")


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


def _duckdb_peer() -> ModuleType:
    return _script("duckdb_peer")


def _cli_json(*args: str) -> dict[str, Any]:
    r = CliRunner().invoke(main, [*args, "-f", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize(("seed", "chains", "fmt"), [(5, True, "csv"), (6, False, "csv"), (8, True, "parquet")])
def test_the_duckdb_peers_compute_chaingraphs_figures(tmp_path: Path, seed: int, chains: bool, fmt: str) -> None:
    """Each peer of the table (closure, savings, gaps, analyze, all-zones) gives the figures of its command."""
    peer_mod = _duckdb_peer()
    folder = write_synth(SynthSpec(links=4000, zones=3, seed=seed, chains=chains), tmp_path / "syn", fmt=fmt)
    src = str(folder)
    peer = peer_mod.Peer(src)
    seen: list[str] = []
    for zone in ("园区01经开区", "园区02经开区"):
        theirs = {"closure": peer.closure(zone), "savings": peer.savings(zone), "analyze": peer.analyze(zone),
                  "gaps": {"zone": zone, "gaps": peer_mod.gaps(src, zone)}}  # fmt: skip
        for kind, doc in theirs.items():
            ours = _cli_json(kind, src, "--zone", zone)
            assert peer_mod.agree(kind, json.loads(json.dumps(doc, ensure_ascii=False)), ours) == [], (kind, zone)
        seen += [f"realized {bool(theirs['savings']['realized'])}", *(f"potential {r['reference_basis']}" for r in
                 theirs["savings"]["potential"]), f"coverage {bool(theirs['closure']['chains'])}",
                 f"by_chain {bool(theirs['closure']['by_chain'])}", *(f"gap {g['kind']}" for g in theirs["gaps"]["gaps"])]  # fmt: skip
    # every kind of figure was there to compare
    assert {"realized True", "potential local_market", "potential no_price", "coverage True", "by_chain True",
            "gap missing", "gap weak"} <= set(seen)  # fmt: skip
    zones = peer.all_zones()
    assert peer_mod.agree("all-zones", zones, _cli_json("analyze", src, "--all-zones")) == []
    assert len(zones["zones"]) > 3 and any(z["empty"] for z in zones["zones"]) is chains


def test_the_duckdb_peer_command_writes_what_agree_reads(tmp_path: Path) -> None:
    folder = write_synth(SynthSpec(links=1500, zones=2, seed=3), tmp_path / "syn")
    peer_py = str(ROOT / "benchmarks" / "duckdb_peer.py")
    for kind in ("closure", "savings", "gaps", "analyze", "all-zones"):
        zone = [] if kind == "all-zones" else ["园区01经开区"]
        run = subprocess.run([sys.executable, peer_py, str(folder), *zone, "--kind", kind], capture_output=True,
                             text=True, check=True)  # fmt: skip
        ours = _cli_json("analyze", str(folder), "--all-zones") if kind == "all-zones" else _cli_json(
            kind, str(folder), "--zone", "园区01经开区")  # fmt: skip
        assert _duckdb_peer().agree(kind, json.loads(run.stdout), ours) == [], kind


def test_the_duckdb_peers_agree_notices_a_difference(tmp_path: Path) -> None:
    peer_mod = _duckdb_peer()
    folder = write_synth(SynthSpec(links=1500, zones=2, seed=1), tmp_path / "syn")
    zone = "园区01经开区"
    peer = peer_mod.Peer(str(folder))
    doc = json.loads(json.dumps(peer.savings(zone), ensure_ascii=False))
    ours = _cli_json("savings", str(folder), "--zone", zone)
    assert peer_mod.agree("savings", doc, ours) == []
    row = doc["potential"][0]
    row["annual_saving"] += 1.5  # more than a 元
    doc["total_potential"] += 0.6  # less than a 元: plain sums may differ so much
    assert peer_mod.agree("savings", doc, ours) == [
        f"potential {(row['buyer_id'], row['product'], row['supplier_id'])} annual_saving: peer {row['annual_saving']} "
        f"chaingraph {row['annual_saving'] - 1.5}"
    ]
    doc = json.loads(json.dumps(peer.closure(zone), ensure_ascii=False))
    doc["chains"].pop()
    doc["by_buyer"][0]["local_sourcing_ratio"] += 2e-6
    diffs = peer_mod.agree("closure", doc, _cli_json("closure", str(folder), "--zone", zone))
    assert len(diffs) == 2 and diffs[0].startswith(f"by_buyer ('{doc['by_buyer'][0]['buyer_id']}',) local_sourcing")
    assert diffs[1].startswith("coverage: ")
    zones = json.loads(json.dumps(peer.all_zones(), ensure_ascii=False))
    zones["zones"][1]["weak"] += 1
    assert peer_mod.agree("all-zones", zones, _cli_json("analyze", str(folder), "--all-zones")) == [
        f"zone ('{zones['zones'][1]['zone']}',) weak: peer {zones['zones'][1]['weak']} "
        f"chaingraph {zones['zones'][1]['weak'] - 1}"
    ]


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
    assert (
        "| same figures as chaingraph's (DuckDB peers: each its command's; naive, Spark: gaps) | peer agrees (gaps), "
        "naive **differs** | — |" in text
    )
    assert text[-1] == "| load average (2 cores) during the column | 4–6 | — |"


def test_the_table_sets_each_warm_command_against_its_own_peer() -> None:
    table = _table()
    floor = {"seconds": 2.0, "rss_mb": 512.0, "load": 1.0}
    row = {"links": 2_000_000, "mb": 146.2, "floor": floor, "load": [1.0],
           "duckdb_peer": {"seconds": 4.0, "rss_mb": 256.0, "load": 1.0},
           "peer_savings": {"seconds": 3.25, "rss_mb": 300.0, "load": 1.0},
           "peer_analyze": {"error": "stopped after 900 s"},
           "gaps": {"seconds": 2.2, "rss_mb": 512.0, "load": 1.0},
           "savings": {"seconds": 2.6, "rss_mb": 512.0, "load": 1.0},
           "analyze": {"seconds": 5.0, "rss_mb": 512.0, "load": 1.0},
           "peer_all_zones": {"seconds": 10.0, "rss_mb": 900.0, "load": 1.0},
           "all_zones_first": {"seconds": 6.0, "rss_mb": 600.0, "load": 1.0},
           "all_zones": {"seconds": 0.5, "rss_mb": 150.0, "load": 1.0},
           "peer_agrees": True, "peer_savings_agrees": True, "peer_closure_agrees": False}  # fmt: skip
    text = table.table([row], missing={}).splitlines()
    assert "| DuckDB peer: savings (`--kind savings`) | 3.2 s, 0.29 GB (1.6×) |" in text
    assert "| DuckDB peer: analyze (`--kind analyze`) | **failed**: stopped after 900 s |" in text
    assert "| DuckDB peer: closure (`--kind closure`) | not measured |" in text
    assert "| chaingraph `gaps`, warm | 2.2 s, 0.50 GB (1.1× floor, 0.6× its peer) |" in text
    assert "| chaingraph `savings`, warm | 2.6 s, 0.50 GB (1.3× floor, 0.8× its peer) |" in text
    assert "| chaingraph `analyze`, warm | 5.0 s, 0.50 GB (2.5×) |" in text  # its peer failed: no ratio
    # the first --all-zones on a copy computes the summary, the next ones read it back: each its own line
    assert ("| chaingraph `analyze --all-zones`, first run on the copy (computes the summary, keeps it) | "
            "6.0 s, 0.59 GB (3.0× floor, 0.6× its peer) |") in text  # fmt: skip
    assert ("| chaingraph `analyze --all-zones`, warm (the kept summary read back) | 0.5 s, 0.15 GB (0.2× floor, "
            "0.1× its peer) |") in text  # fmt: skip
    assert text[-2].endswith("| peer agrees (gaps, savings), peer **differs** (closure) |")


def test_the_table_compares_each_peer_with_its_command(tmp_path: Path) -> None:
    """``_compare_peer`` reads both JSON files and records agreement, or says why it did not compare."""
    table = _table()
    folder = write_synth(SynthSpec(links=1500, zones=2, seed=2), tmp_path / "syn")
    zone = "园区01经开区"
    (tmp_path / "peer_savings.json").write_text(
        json.dumps(_duckdb_peer().Peer(str(folder)).savings(zone), ensure_ascii=False), encoding="utf-8"
    )
    r = CliRunner().invoke(main, ["savings", str(folder), "--zone", zone, "-f", "json"])
    (tmp_path / "savings.json").write_text(r.stdout, encoding="utf-8")
    done = {"seconds": 1.0, "rss_mb": 1.0}
    row: dict[str, Any] = {"peer_savings": done, "savings": done}
    table._compare_peer(row, "peer_savings", tmp_path / "peer_savings.json", tmp_path / "savings.json", max_mb=400)
    assert row["peer_savings_agrees"] is True and row["peer_savings_differences"] == []
    row = {"peer_savings": done, "savings": done}
    table._compare_peer(row, "peer_savings", tmp_path / "peer_savings.json", tmp_path / "savings.json", max_mb=0.001)
    assert "peer_savings_agrees" not in row and row["peer_savings_differences"][0].startswith("not compared: ")
    row = {"peer_savings": {"error": "exit 1"}, "savings": done}
    table._compare_peer(row, "peer_savings", tmp_path / "peer_savings.json", tmp_path / "savings.json", max_mb=400)
    assert row == {"peer_savings": {"error": "exit 1"}, "savings": done}
