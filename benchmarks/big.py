"""Issue 20 point 2: 100M links on this machine, from CSV and from Parquet.

For each data folder, in fresh processes (wall seconds, peak RSS of the child):

- ``copy cold``: ``validated_copy(SOURCE)`` into an empty cache folder (every file hashed, validated in pieces
  with every rule, written as Parquet);
- ``gaps first``: ``chaingraph gaps SOURCE --zone ZONE -f json`` on that cache (the copy found by its key), the first
  command on it: it builds the tables kept beside the copy (the links with their ends' zones, from the copy's
  integer link ends: ``chaingraph/derived.py``);
- ``gaps warm``: the same command again (what every later command on the same files pays);
- ``all-zones warm``: ``chaingraph analyze SOURCE --all-zones -f json`` on it (the first one computes the summary);
- ``all-zones again``: the same, the summary read back.

``--reuse`` keeps a copy already in the cache folder (no ``copy cold``); each figure records the load average
(1 minute) when it started: **the machine is shared**.

DuckDB's memory limit and spill folder are the defaults (half the memory; ``duckdb-tmp`` in the cache folder)
unless ``CHAINGRAPH_DUCKDB_MEMORY`` / ``CHAINGRAPH_DUCKDB_TEMP`` are set.  Run it alone (a 100M copy takes
tens of minutes and some GB of disk per format)::

    flock /work/wt/bench.lock python benchmarks/big.py --data /work/bench-data --folders csv_100M,parquet_100M \\
        --cache /work/big-cache [--keep | --reuse]

Raw runs are added to ``benchmarks/big_results.json`` (earlier runs are kept, each with its start time).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import measure  # noqa: E402

PY = sys.executable
ZONE = "园区01经开区"
COPY = (
    "import sys, time\n"
    "from chaingraph.validated_copy import validated_copy\n"
    "t = time.perf_counter(); c = validated_copy(sys.argv[1]); print(round(time.perf_counter() - t, 2), c.reused)"
)


def _measure(cmd: list[str], **kw: Any) -> dict[str, Any]:
    load = os.getloadavg()[0]
    return {**measure(cmd, **kw), "load": round(load, 1), "load_after": round(os.getloadavg()[0], 1)}


def run_folder(data: Path, cache: Path, out: Path, *, reuse: bool = False, timeout: float = 3600) -> dict[str, Any]:
    """The measurements for one data folder, its cache in ``cache`` (kept there with ``reuse``)."""
    env = ["env", f"CHAINGRAPH_CACHE={cache}"]
    if not reuse:
        shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"folder": str(data), "mb": round(sum(f.stat().st_size for f in data.iterdir()) / 1e6, 1)}
    result["copy_cold"] = _measure([*env, PY, "-c", COPY, str(data)], timeout=7200)
    result["copy_mb"] = round(sum(f.stat().st_size for f in cache.rglob("*.parquet")) / 1e6, 1)
    print(data.name, "copy", result["copy_cold"], flush=True)
    if "error" in result["copy_cold"]:
        return result
    cli = [*env, PY, "-m", "chaingraph.cli"]
    gaps = [*cli, "gaps", str(data), "--zone", ZONE, "-f", "json"]
    for key in ("gaps_first", "gaps_warm"):
        result[key] = _measure(gaps, stdout=out / f"{key}.json", timeout=timeout)
        print(data.name, key, result[key], flush=True)
    result["kept_mb"] = round(sum(f.stat().st_size for f in cache.rglob("derived-*/**/*") if f.is_file()) / 1e6, 1)
    for key in ("all_zones_warm", "all_zones_again"):
        result[key] = _measure([*cli, "analyze", str(data), "--all-zones", "-f", "json"],
                               stdout=out / f"{key}.json", timeout=timeout)  # fmt: skip
        print(data.name, key, result[key], flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="/work/bench-data")
    ap.add_argument("--folders", default="csv_100M,parquet_100M")
    ap.add_argument("--cache", default="/work/big-cache", help="a cache folder per data folder is made in it")
    ap.add_argument("--keep", action="store_true", help="keep the copies (else removed after each folder)")
    ap.add_argument("--reuse", action="store_true", help="keep a copy already in the cache (implies --keep)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before a command is stopped")
    ap.add_argument("--json", default=str(HERE / "big_results.json"))
    args = ap.parse_args()
    kept = Path(args.json)  # earlier runs stay: each run is added to the file, not written over it
    runs: list[dict[str, Any]] = json.loads(kept.read_text(encoding="utf-8")) if kept.is_file() else []
    for name in args.folders.split(","):
        out = Path(args.cache) / f"{name}-out"
        out.mkdir(parents=True, exist_ok=True)
        started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        r = {"started": started, **run_folder(Path(args.data) / name, Path(args.cache) / name, out, reuse=args.reuse,
                                              timeout=args.timeout)}  # fmt: skip
        print(json.dumps(r, ensure_ascii=False), flush=True)
        runs.append(r)
        if not (args.keep or args.reuse):
            shutil.rmtree(Path(args.cache) / name, ignore_errors=True)
        kept.write_text(json.dumps(runs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")  # after each folder


if __name__ == "__main__":
    main()
