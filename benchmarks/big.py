"""Issue 20 point 2: 100M links on this machine, from CSV and from Parquet.

For each data folder, in fresh processes (wall seconds, peak RSS of the child):

- ``copy cold``: ``validated_copy(SOURCE)`` into an empty cache folder (every file hashed, validated in pieces
  with every rule, written as Parquet);
- ``gaps warm``: ``chaingraph gaps SOURCE --zone ZONE -f json`` on that cache (the copy found by its key);
- ``all-zones warm``: ``chaingraph analyze SOURCE --all-zones -f json`` on it.

DuckDB's memory limit and spill folder are the defaults (half the memory; ``duckdb-tmp`` in the cache folder)
unless ``CHAINGRAPH_DUCKDB_MEMORY`` / ``CHAINGRAPH_DUCKDB_TEMP`` are set.  Run it alone (a 100M copy takes
tens of minutes and some GB of disk per format)::

    flock /work/wt/bench.lock python benchmarks/big.py --data /work/bench-data --folders csv_100M,parquet_100M \\
        --cache /work/big-cache [--keep]

Raw runs go to ``benchmarks/big_results.json``.
"""

from __future__ import annotations

import argparse
import json
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


def run_folder(data: Path, cache: Path, out: Path) -> dict[str, Any]:
    """The three measurements for one data folder, its cache in ``cache``."""
    env = ["env", f"CHAINGRAPH_CACHE={cache}"]
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    result: dict[str, Any] = {"folder": str(data), "mb": round(sum(f.stat().st_size for f in data.iterdir()) / 1e6, 1)}
    result["copy_cold"] = measure([*env, PY, "-c", COPY, str(data)], timeout=7200)
    result["copy_mb"] = round(sum(f.stat().st_size for f in cache.rglob("*.parquet")) / 1e6, 1)
    print(data.name, "copy", result["copy_cold"], flush=True)
    if "error" in result["copy_cold"]:
        return result
    cli = [*env, PY, "-m", "chaingraph.cli"]
    result["gaps_warm"] = measure([*cli, "gaps", str(data), "--zone", ZONE, "-f", "json"], stdout=out / "gaps.json",
                                  timeout=3600)  # fmt: skip
    print(data.name, "gaps", result["gaps_warm"], flush=True)
    result["all_zones_warm"] = measure([*cli, "analyze", str(data), "--all-zones", "-f", "json"],
                                       stdout=out / "all_zones.json", timeout=3600)  # fmt: skip
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="/work/bench-data")
    ap.add_argument("--folders", default="csv_100M,parquet_100M")
    ap.add_argument("--cache", default="/work/big-cache", help="a cache folder per data folder is made in it")
    ap.add_argument("--keep", action="store_true", help="keep the copies (else removed after each folder)")
    ap.add_argument("--json", default=str(HERE / "big_results.json"))
    args = ap.parse_args()
    runs = []
    for name in args.folders.split(","):
        out = Path(args.cache) / f"{name}-out"
        out.mkdir(parents=True, exist_ok=True)
        started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        r = {"started": started, **run_folder(Path(args.data) / name, Path(args.cache) / name, out)}
        print(json.dumps(r, ensure_ascii=False), flush=True)
        runs.append(r)
        if not args.keep:
            shutil.rmtree(Path(args.cache) / name, ignore_errors=True)
    Path(args.json).write_text(json.dumps(runs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
