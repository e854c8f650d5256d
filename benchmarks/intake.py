"""Benchmark the intake at 2M / 10M / 100M links (issue 20): floor, DuckDB peer, chaingraph cold and warm, naive.

Every figure is a fresh process from start to output written (wall seconds, peak RSS of the child),
the median of ``--repeat`` runs where affordable, all in one run:

- floor: pyarrow reading the same files (CSV, or Parquet), nothing less can read them;
- DuckDB peer: ``benchmarks/duckdb_peer.py``, sixty lines of SQL over the raw files, no validation; its gap
  set and external demand are checked against chaingraph's;
- chaingraph cold: ``chaingraph gaps`` with an empty cache (validates and writes the validated copy);
- chaingraph warm: the same command again (the copy is found by the files' content hash);
- ``analyze --all-zones`` warm and ``validate`` warm;
- naive: ``benchmarks/naive.py gaps`` (networkx, Python loops), up to ``--naive-max``;
- the fingerprint alone (SHA-256 of every input file, in process) against ``os.stat`` of the files.

    python benchmarks/intake.py --data /work/bench-data --sizes 2M,10M,100M [--repeat 3] [--formats csv,parquet]

Data: ``chaingraph synth DATA/csv_2M --links 2000000 --zones 20 --seed 7`` (and ``--format parquet`` into
``DATA/parquet_2M``).  Raw runs go to ``benchmarks/intake_results.json``; the table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import duckdb_peer  # noqa: E402
import naive  # noqa: E402
from run import CLI, PY, ROOT, ZONE, measure, median_run, size_of, svg  # noqa: E402  (the constants every benchmark shares)

#: Measurements left out (--skip), e.g. gaps_cold,validate_warm,all_zones_warm,naive_gaps.
SKIP: set[str] = set()


def _env_cmd(cache: Path, cmd: list[str]) -> list[str]:
    return ["env", f"CHAINGRAPH_CACHE={cache}", *cmd]


def _repeat(cmd: list[str], n: int, *, stdout: Path | None = None, timeout: float = 3600) -> dict[str, Any]:
    return median_run([measure(cmd, stdout=stdout, timeout=timeout) for _ in range(n)])


def fingerprint_cost(folder: Path, repeat: int) -> dict[str, float]:
    code = (
        "import time, os, sys; from chaingraph.validated_copy import fingerprint; p = sys.argv[1]\n"
        "t = time.perf_counter(); [os.stat(os.path.join(p, f)) for f in os.listdir(p)]; s = time.perf_counter() - t\n"
        "os.environ['CHAINGRAPH_REHASH'] = '1'\n"
        "t = time.perf_counter(); fingerprint(p); h = time.perf_counter() - t\n"
        "del os.environ['CHAINGRAPH_REHASH']; fingerprint(p)\n"
        "t = time.perf_counter(); fingerprint(p); m = time.perf_counter() - t\n"
        "print(s, h, m)"
    )
    runs = [subprocess.run([PY, "-c", code, str(folder)], capture_output=True, text=True, check=True, cwd=ROOT)
            for _ in range(repeat)]  # fmt: skip
    stat = sorted(float(r.stdout.split()[0]) for r in runs)[len(runs) // 2]
    sha = sorted(float(r.stdout.split()[1]) for r in runs)[len(runs) // 2]
    memo = sorted(float(r.stdout.split()[2]) for r in runs)[len(runs) // 2]
    return {"stat_s": round(stat, 4), "sha256_s": round(sha, 3), "memo_s": round(memo, 4)}


def run_size(data: Path, n: int, fmt: str, *, repeat: int, naive_max: int, cold_repeat: int,
             memory_limit: str, cold_max: int, caches_of: Path | None) -> dict[str, Any]:  # fmt: skip
    folder = data / f"{fmt}_{_label(n)}"
    row: dict[str, Any] = {"links": n, "format": fmt, "folder": str(folder),
                           "mb": round(sum(f.stat().st_size for f in folder.iterdir()) / 1e6, 1)}  # fmt: skip
    reps = repeat if n <= 10_000_000 else 1
    out = Path(tempfile.mkdtemp(prefix="cg-bench-out-"))
    if fmt == "csv":
        floor = f"import pyarrow.csv as c; c.read_csv('{folder}/enterprises.csv'); c.read_csv('{folder}/links.csv')"
    else:
        floor = (f"import pyarrow.parquet as q; q.read_table('{folder}/enterprises.parquet'); "
                 f"q.read_table('{folder}/links.parquet')")  # fmt: skip
    row["floor"] = _repeat([PY, "-c", floor], reps)
    spill = Path(tempfile.mkdtemp(prefix="cg-bench-spill-", dir=str(data)))
    peer_cmd = [PY, str(HERE / "duckdb_peer.py"), str(folder), ZONE, "--memory-limit", memory_limit,
                "--temp-directory", str(spill)]  # fmt: skip
    row["duckdb_peer"] = _repeat(peer_cmd, reps, stdout=out / "peer.json")
    copy_code = "import sys; from chaingraph.validated_copy import validated_copy; validated_copy(sys.argv[1])"
    keep = n > cold_max and caches_of is not None
    if keep:  # a copy built (and timed) before
        assert caches_of is not None
        cache = caches_of / folder.name
    else:  # the validated copy alone, cold: what every command does first on new files
        cache = Path(tempfile.mkdtemp(prefix="cg-bench-cache-", dir=str(data)))
        row["copy_cold"] = measure(_env_cmd(cache, [PY, "-c", copy_code, str(folder)]), timeout=7200)
    if "gaps_cold" not in SKIP:
        cold_runs = []
        for _ in range(cold_repeat if n <= 10_000_000 else 1):
            fresh = Path(tempfile.mkdtemp(prefix="cg-bench-cache-", dir=str(data)))
            cmd = [*CLI, "gaps", str(folder), "--zone", ZONE, "-f", "json", "-o", str(out / "gaps.json")]
            cold_runs.append(measure(_env_cmd(fresh, cmd), timeout=7200))
            shutil.rmtree(fresh, ignore_errors=True)
        row["gaps_cold"] = median_run(cold_runs)
    row["cache_mb"] = round(sum(f.stat().st_size for f in cache.rglob("*") if f.is_file()) / 1e6, 1)
    gaps_cmd = [*CLI, "gaps", str(folder), "--zone", ZONE, "-f", "json", "-o", str(out / "gaps.json")]
    row["gaps_warm"] = _repeat(_env_cmd(cache, gaps_cmd), reps)
    ours = json.loads((out / "gaps.json").read_text(encoding="utf-8")) if (out / "gaps.json").is_file() else None
    if ours is not None and (out / "peer.json").is_file():
        peer = json.loads((out / "peer.json").read_text(encoding="utf-8"))["gaps"]
        diffs = duckdb_peer.agree("gaps", peer, ours)
        row["peer_agrees"] = not diffs
        row["peer_differences"] = diffs[:5]
    if "validate_warm" not in SKIP:
        row["validate_warm"] = _repeat(_env_cmd(cache, [*CLI, "validate", str(folder), "-f", "json"]), reps)
    if "all_zones_warm" not in SKIP:
        row["all_zones_warm"] = _repeat(
            _env_cmd(cache, [*CLI, "analyze", str(folder), "--all-zones", "-f", "json", "-o", "/dev/null"]),
            reps,
            timeout=7200,
        )
    if n <= naive_max and fmt == "csv" and "naive_gaps" not in SKIP:
        row["naive_gaps"] = _repeat([PY, str(HERE / "naive.py"), "gaps", str(folder), ZONE], reps,
                                    stdout=out / "naive.json")  # fmt: skip
        if ours is not None:
            theirs = json.loads((out / "naive.json").read_text(encoding="utf-8"))
            row["naive_agrees"] = not naive.agree("gaps", theirs, ours)
    row["fingerprint"] = fingerprint_cost(folder, reps)
    if not keep:
        shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(spill, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def _cell(m: dict[str, Any] | None) -> str:
    if not m:
        return "—"
    if "error" in m:
        return f"failed ({m['error'][:40]})"
    return f"{float(m['seconds']):.2f} ({float(m['rss_mb']) / 1024:.2f} GB)"


def table(rows: list[dict[str, Any]]) -> str:
    head = ("| links | input | MB | floor (pyarrow read) | DuckDB peer | validated copy, cold | gaps cold | gaps warm "
            "| `validate` warm | `--all-zones` warm | naive gaps | copy MB | SHA-256 of the inputs (memo) | peer agrees |")  # fmt: skip
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        fp = r.get("fingerprint", {})
        lines.append(
            f"| {r['links']:,} | {r['format']} | {r['mb']:,} | {_cell(r.get('floor'))} | {_cell(r.get('duckdb_peer'))} "
            f"| {_cell(r.get('copy_cold'))} | {_cell(r.get('gaps_cold'))} | {_cell(r.get('gaps_warm'))} | {_cell(r.get('validate_warm'))} "
            f"| {_cell(r.get('all_zones_warm'))} | {_cell(r.get('naive_gaps'))} | {r.get('cache_mb', '—')} "
            f"| {fp.get('sha256_s', '—')} s (memo {fp.get('memo_s', '—')} s) | {r.get('peer_agrees', '—')} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="/work/bench-data")
    ap.add_argument("--sizes", default="2M,10M")
    ap.add_argument("--formats", default="csv,parquet")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cold-repeat", type=int, default=3)
    ap.add_argument("--naive-max", default="2M")
    ap.add_argument("--memory-limit", default="12GB", help="DuckDB's memory_limit for the peer")
    ap.add_argument("--json", default=str(HERE / "intake_results.json"))
    ap.add_argument("--cold-max", default="10M", help="above this size, warm runs use the copies in --caches")
    ap.add_argument("--caches", default=None, help="folder of CHAINGRAPH_CACHE folders named as the data folders")
    ap.add_argument("--skip", default="", help="measurements to leave out, e.g. gaps_cold,all_zones_warm")
    args = ap.parse_args()
    SKIP.update(x for x in args.skip.split(",") if x)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows = [run_size(Path(args.data), size_of(s), fmt, repeat=args.repeat, naive_max=size_of(args.naive_max),
                     cold_repeat=args.cold_repeat, memory_limit=args.memory_limit, cold_max=size_of(args.cold_max),
                     caches_of=Path(args.caches) if args.caches else None)
            for s in args.sizes.split(",") for fmt in args.formats.split(",")]  # fmt: skip
    old = json.loads(Path(args.json).read_text(encoding="utf-8")) if Path(args.json).is_file() else []
    Path(args.json).write_text(json.dumps([*old, {"started": started, "load": os.getloadavg(), "rows": rows}],
                                          indent=2, ensure_ascii=False), encoding="utf-8")  # fmt: skip
    print(table(rows))
    csv_rows = [r for r in rows if r["format"] == "csv"]
    keys = ["floor", "duckdb_peer", "copy_cold", "gaps_cold", "gaps_warm", "all_zones_warm", "naive_gaps"]
    picture = svg([{k: v for k, v in r.items() if v is not None} for r in csv_rows], keys)
    if picture:
        (ROOT / "docs" / "img" / "intake.svg").write_text(picture, encoding="utf-8")


if __name__ == "__main__":
    main()
