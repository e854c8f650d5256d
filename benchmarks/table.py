"""The one table of docs/benchmarks.md (issue 20 point 3): 2M / 10M / 100M links, every peer, the same run.

For each size, one after the other in one run, each figure a fresh process from start to output written
(wall seconds; peak memory of the whole process tree, so Spark's JVM counts):

- floor: pyarrow reads enterprises.csv and links.csv (nothing less can read them); above
  ``--stream-floor-above`` (10M) piece by piece (``open_csv``), as the whole 100M files would not fit in memory;
- DuckDB peer: ``benchmarks/duckdb_peer.py``, sixty lines of SQL over the raw CSV, no validation, the zone's
  missing/weak gaps and external demand (checked against chaingraph's);
- DuckDB peer of each other command (``duckdb_peer.py --kind closure|savings|analyze|all-zones``): plain SQL over
  the raw CSV giving that command's figures (LSR with local and total value, by buyer, product and chain, stage
  coverage; every realized and potential saving row and the totals; the three in one connection; every zone's
  headline figures), each checked against chaingraph's output of the same command;
- chaingraph ``gaps`` cold: an empty cache, so it validates every row and writes the validated copy first;
- chaingraph warm (the copy found by the files' content hash): ``closure``, ``savings``, ``gaps``, ``analyze``
  and ``analyze --all-zones``, the default engine (DuckDB, embedded); each cell also says its time against its
  own DuckDB peer's (``PEER_OF``);
- naive networkx: ``benchmarks/naive.py gaps`` (the csv module, one MultiDiGraph, Python loops), up to
  ``--naive-max``; checked to agree with chaingraph's gaps;
- Spark local: ``chaingraph gaps --engine spark --master local[2]`` on the same CSV folder (its session start
  included), up to ``--spark-max``; checked to give chaingraph's gaps.

    flock /work/wt/bench.lock python benchmarks/table.py --data /work/bench-data --sizes 2M,10M,100M \\
        [--repeat 3] [--doc docs/benchmarks.md]

Data: ``/work/bench-data/csv_<N>`` (``chaingraph synth --zones 20 --seed 7``; never regenerated here).  A
command that fails, runs out of time (``--timeout``, or its own ``--cap``) or passes ``--rss-cap`` is stopped
and its cell says so.  At 100M links (a column of about 30–40 minutes on a quiet machine)::

    flock /work/wt/bench.lock python benchmarks/table.py --data /work/bench-data --sizes 2M,10M,100M \\
        --repeat 3 --repeat-max 2M --spark-max 2M --timeout 900 --cap 100M:floor=120 \\
        --cap 100M:duckdb_peer=300 --cap 100M:peer_closure=300 --cap 100M:peer_savings=600 \\
        --cap 100M:peer_analyze=900 --cap 100M:peer_all_zones=900 --cap 100M:gaps_cold=1200 --cap 100M:closure=120 --cap 100M:savings=240 \\
        --cap 100M:gaps=120 --cap 100M:analyze=240 --cap 100M:all_zones=600 --doc docs/benchmarks.md

Raw runs go to ``benchmarks/table_results.json``; ``--doc`` rewrites the table between the markers in that
file, and the plot goes to ``docs/img/benchmarks.svg``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import signal
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
from run import CLI, PY, ROOT, ZONE, median_run, size_of, timed, timed_rss_mb  # noqa: E402  (what every benchmark shares)

BEGIN, END = "<!-- benchmarks/table.py: begin -->", "<!-- benchmarks/table.py: end -->"

#: The table's rows: (key, label), in order.
ROWS = [
    ("floor", "floor: pyarrow reads the two CSV files"),
    ("duckdb_peer", "DuckDB peer (`duckdb_peer.py`: gaps, no validation)"),
    ("peer_closure", "DuckDB peer: closure (`--kind closure`)"),
    ("peer_savings", "DuckDB peer: savings (`--kind savings`)"),
    ("peer_analyze", "DuckDB peer: analyze (`--kind analyze`)"),
    ("peer_all_zones", "DuckDB peer: all-zones (`--kind all-zones`)"),
    ("gaps_cold", "chaingraph `gaps`, cold (validates, writes the copy)"),
    ("closure", "chaingraph `closure`, warm"),
    ("savings", "chaingraph `savings`, warm"),
    ("gaps", "chaingraph `gaps`, warm"),
    ("analyze", "chaingraph `analyze`, warm"),
    ("all_zones_first", "chaingraph `analyze --all-zones`, first run on the copy (computes the summary, keeps it)"),
    ("all_zones", "chaingraph `analyze --all-zones`, warm (the kept summary read back)"),
    ("naive_gaps", "naive networkx `gaps` (`naive.py`)"),
    ("spark_gaps", "Spark local `gaps` (`--engine spark --master local[2]`)"),
]

#: Each chaingraph warm measurement's DuckDB peer (a ROWS key), and the peer's ``--kind``.
PEER_OF = {"closure": "peer_closure", "savings": "peer_savings", "gaps": "duckdb_peer", "analyze": "peer_analyze",
           "all_zones": "peer_all_zones", "all_zones_first": "peer_all_zones"}  # fmt: skip
KIND_OF_PEER = {"peer_closure": "closure", "peer_savings": "savings", "duckdb_peer": "gaps",
                "peer_analyze": "analyze", "peer_all_zones": "all-zones"}  # fmt: skip
#: The agreement keys of a row, in the order the table lists them: (name shown, row key of the check).
PEER_CHECKS = [("gaps", "peer_agrees"), ("closure", "peer_closure_agrees"), ("savings", "peer_savings_agrees"),
               ("analyze", "peer_analyze_agrees"), ("all-zones", "peer_all_zones_agrees")]  # fmt: skip

#: Process groups of the commands being measured (stopped with the script: SIGTERM, Ctrl-C).
RUNNING: set[int] = set()


def _stop(signum: int, frame: Any) -> None:
    for pgid in list(RUNNING):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, 9)
    raise SystemExit(f"stopped by signal {signum}")


def _tree(pid: int) -> list[int]:
    """``pid`` and every descendant (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm", "rb") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total / 2**20


def measure(cmd: list[str], *, env: dict[str, str] | None = None, stdout: Path | None = None,
            timeout: float = 3600, rss_cap_mb: float = math.inf) -> dict[str, Any]:  # fmt: skip
    """Wall seconds and peak memory (MB) of one process and its children; stopped past ``timeout`` or the cap.

    Memory is the larger of the command's peak RSS (GNU time's, :func:`run.timed`; without it, the kernel's
    peak RSS of the child, which never reads below this process's own size) and the process tree's RSS
    sampled every 0.1 s (what counts the JVM that pyspark starts).
    """
    sink = stdout.open("wb") if stdout else subprocess.DEVNULL
    load = os.getloadavg()[0]
    rss_file = Path(tempfile.mkstemp(prefix="rss-")[1])
    start = time.perf_counter()
    proc = subprocess.Popen(timed(cmd, rss_file), stdout=sink, stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, **(env or {})},
                            start_new_session=True)  # fmt: skip
    RUNNING.add(proc.pid)
    peak, stopped, last = 0.0, "", 0.0
    err_chunks: list[bytes] = []
    import threading

    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read() if proc.stderr else b""))
    reader.start()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        now = time.perf_counter()
        if now - last >= 0.1:
            last = now
            peak = max(peak, _rss_mb(_tree(proc.pid)))
        if not stopped and now - start > timeout:
            stopped = f"stopped after {timeout:.0f} s"
        elif not stopped and peak > rss_cap_mb:
            stopped = f"stopped at {peak / 1024:.1f} GB after {now - start:.0f} s"
        if stopped:
            os.killpg(proc.pid, 9)
        time.sleep(0.02)
    wall = time.perf_counter() - start
    RUNNING.discard(proc.pid)
    reader.join()
    if stdout:
        sink.close()  # type: ignore[union-attr]
    with contextlib.suppress(ProcessLookupError):  # what the process left behind (a JVM not waited for) goes too
        os.killpg(proc.pid, 9)
    own = timed_rss_mb(rss_file)
    rss_file.unlink(missing_ok=True)
    kernel = own if own is not None else usage.ru_maxrss / 1024
    out: dict[str, Any] = {"seconds": round(wall, 2), "rss_mb": round(max(peak, kernel), 1), "load": round(load, 1)}
    err = b"".join(err_chunks).decode("utf-8", "replace").strip()
    if stopped:
        out["error"] = stopped
    elif os.waitstatus_to_exitcode(status) != 0:
        out["error"] = err.splitlines()[-1] if err else f"exit {os.waitstatus_to_exitcode(status)}"
    return out


def _same_gaps(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Differences between two ``gaps -f json`` outputs (product, kind, demand, dependents), empty when equal."""

    def key(doc: dict[str, Any]) -> dict[str, tuple[str, float, int]]:
        return {str(r["product"]): (str(r["kind"]), round(float(r["external_demand"]), 2), len(r.get("dependents") or []))
                for r in doc["gaps"]}  # fmt: skip

    x, y = key(a), key(b)
    return [f"{p}: {x.get(p)} vs {y.get(p)}" for p in sorted(set(x) | set(y)) if x.get(p) != y.get(p)]


def run_size(data: Path, n: int, args: argparse.Namespace) -> dict[str, Any]:
    label = _label(n)
    folder = data / f"csv_{label}"
    row: dict[str, Any] = {"links": n, "folder": str(folder), "started": time.strftime("%H:%M", time.gmtime()),
                           "mb": round(sum(f.stat().st_size for f in folder.iterdir()) / 1e6, 1)}  # fmt: skip
    reps = args.repeat if n <= size_of(args.repeat_max) else 1
    cap, limit = args.rss_cap_gb * 1024, args.timeout
    caps = _caps(args.cap, n)
    out = Path(tempfile.mkdtemp(prefix="cg-table-out-"))
    scratch = Path(tempfile.mkdtemp(prefix="cg-table-", dir=str(data)))
    skip = set(args.skip.split(",")) - {""}

    def rep(key: str, cmd: list[str], *, env: dict[str, str] | None = None, stdout: Path | None = None,
            times: int = reps, first: str | None = None) -> None:  # fmt: skip
        """Run ``cmd`` ``times`` times, the median kept as ``row[key]``; with ``first``, once more before them, that
        run kept as ``row[first]`` (a command whose first run computes what the next ones read back)."""
        if key in skip:
            return
        runs = [measure(cmd, env=env, stdout=stdout, timeout=caps.get(key, limit), rss_cap_mb=cap)
                for _ in range(times + (first is not None))]  # fmt: skip
        if first is not None:
            row[first] = runs.pop(0)
            print(f"  {label} {first}: {row[first]}", file=sys.stderr, flush=True)
        row[key] = median_run(runs)
        print(f"  {label} {key}: {row[key]}", file=sys.stderr, flush=True)

    try:
        floor = f"import pyarrow.csv as c; c.read_csv('{folder}/enterprises.csv'); c.read_csv('{folder}/links.csv')"
        if n > size_of(args.stream_floor_above):  # 100M links whole would take about 22 GB: read them piece by piece
            floor = (f"import pyarrow.csv as c\nfor f in ('{folder}/enterprises.csv', '{folder}/links.csv'):\n"
                     "    for _ in c.open_csv(f): pass")  # fmt: skip
        rep("floor", [PY, "-c", floor])
        rep("duckdb_peer", [PY, str(HERE / "duckdb_peer.py"), str(folder), ZONE, "--memory-limit", args.peer_memory,
                            "--temp-directory", str(scratch / "spill")], stdout=out / "peer.json")  # fmt: skip
        for key in ("peer_closure", "peer_savings", "peer_analyze", "peer_all_zones"):
            kind = KIND_OF_PEER[key]
            rep(key, [PY, str(HERE / "duckdb_peer.py"), str(folder), *([] if kind == "all-zones" else [ZONE]),
                      "--kind", kind, "--memory-limit", args.peer_memory, "--temp-directory", str(scratch / "spill")],
                stdout=out / f"{key}.json")  # fmt: skip
        cache = scratch / "cache"
        env = {"CHAINGRAPH_CACHE": str(cache)}
        gaps_cmd = [*CLI, "gaps", str(folder), "--zone", ZONE, "-f", "json"]
        rep("gaps_cold", gaps_cmd, env=env, stdout=out / "gaps_cold.json", times=1)
        cold_ok = "error" not in row.get("gaps_cold", {})
        if cold_ok:
            row["copy_mb"] = round(sum(f.stat().st_size for f in cache.rglob("*") if f.is_file()) / 1e6, 1)
            for kind in ("closure", "savings", "gaps", "analyze"):
                rep(kind, [*CLI, kind, str(folder), "--zone", ZONE, "-f", "json"], env=env, stdout=out / f"{kind}.json")
            rep("all_zones", [*CLI, "analyze", str(folder), "--all-zones", "-f", "json"], env=env,
                stdout=out / "all_zones.json", first="all_zones_first")  # fmt: skip
        else:
            for kind in ("closure", "savings", "gaps", "analyze", "all_zones_first", "all_zones"):
                row[kind] = {"error": "no validated copy (the cold run above did not finish)"}
        ours_file = out / ("gaps.json" if (out / "gaps.json").is_file() else "gaps_cold.json")
        ours = json.loads(ours_file.read_text(encoding="utf-8")) if cold_ok and ours_file.is_file() else None
        if ours is not None and (out / "peer.json").is_file() and (out / "peer.json").stat().st_size:
            diffs = duckdb_peer.agree("gaps", json.loads((out / "peer.json").read_text(encoding="utf-8")), ours)
            row["peer_agrees"], row["peer_differences"] = not diffs, diffs[:5]
        for ours_key, key in PEER_OF.items():
            if key != "duckdb_peer":
                _compare_peer(row, key, out / f"{key}.json", out / f"{ours_key}.json", max_mb=args.compare_max_mb)
        if n <= size_of(args.naive_max):
            rep("naive_gaps", [PY, str(HERE / "naive.py"), "gaps", str(folder), ZONE], stdout=out / "naive.json")
            if ours is not None and "error" not in row.get("naive_gaps", {"error": 1}):
                theirs = json.loads((out / "naive.json").read_text(encoding="utf-8"))
                diffs = naive.agree("gaps", theirs, ours)
                row["naive_agrees"], row["naive_differences"] = not diffs, diffs[:5]
        else:
            row["naive_gaps"] = {
                "skipped": f"not run above {args.naive_max} links (it took 5 minutes and 9.5 GB at 10M)"
            }
        if n <= size_of(args.spark_max):
            rep("spark_gaps", [*CLI, "gaps", str(folder), "--zone", ZONE, "-f", "json", "--engine", "spark",
                               "--master", args.spark_master, "--spark-memory", args.spark_memory],
                stdout=out / "spark.json", times=1)  # fmt: skip
            if ours is not None and "error" not in row.get("spark_gaps", {"error": 1}):
                diffs = _same_gaps(json.loads((out / "spark.json").read_text(encoding="utf-8")), ours)
                row["spark_agrees"], row["spark_differences"] = not diffs, diffs[:5]
        else:
            row["spark_gaps"] = {"skipped": f"not run above {args.spark_max} links"}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    row["load"] = [r["load"] for r in row.values() if isinstance(r, dict) and "load" in r]
    print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
    return row


def _compare_peer(row: dict[str, Any], key: str, peer_file: Path, ours_file: Path, *, max_mb: float) -> None:
    """``row[key + "_agrees"]``: whether the peer's JSON gives chaingraph's figures of the same command.

    Both runs must have finished; a JSON file over ``max_mb`` (the potential rows of one zone at 100M links) is
    not read into this process, and the row says so instead.
    """
    ok = all(isinstance(row.get(k), dict) and "seconds" in row[k] and "error" not in row[k] for k in
             (key, next(o for o, p in PEER_OF.items() if p == key)))  # fmt: skip
    if not ok or not peer_file.is_file() or not ours_file.is_file():
        return
    mb = max(peer_file.stat().st_size, ours_file.stat().st_size) / 1e6
    if mb > max_mb:
        row[f"{key}_differences"] = [f"not compared: {mb:,.0f} MB of JSON (over --compare-max-mb {max_mb:g})"]
        return
    diffs = duckdb_peer.agree(KIND_OF_PEER[key], json.loads(peer_file.read_text(encoding="utf-8")),
                              json.loads(ours_file.read_text(encoding="utf-8")))  # fmt: skip
    row[f"{key}_agrees"], row[f"{key}_differences"] = not diffs, diffs[:5]


def _caps(specs: list[str], n: int) -> dict[str, float]:
    """The per-measurement time caps of ``--cap [SIZE:]KEY=SECONDS`` that apply to a size of ``n`` links.

    >>> _caps(["100M:savings=240", "all_zones=900", "2M:gaps=5"], 100_000_000)
    {'savings': 240.0, 'all_zones': 900.0}
    """
    out: dict[str, float] = {}
    for spec in specs:
        where, _, rest = spec.rpartition(":")
        key, _, seconds = rest.partition("=")
        if not where or size_of(where) == n:
            out[key.strip()] = float(seconds)
    return out


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def _ok(m: dict[str, Any] | None) -> bool:
    return bool(m) and "seconds" in m and "error" not in m  # type: ignore[operator]


def _cell(m: dict[str, Any] | None, floor: dict[str, Any] | None, peer: dict[str, Any] | None = None) -> str:
    """One measurement: seconds, memory, and its multiple of the floor (and of its own peer's time, when given).

    >>> _cell({"seconds": 2.6, "rss_mb": 512.0}, {"seconds": 2.0, "rss_mb": 100.0}, {"seconds": 3.25, "rss_mb": 1.0})
    '2.6 s, 0.50 GB (1.3× floor, 0.8× its peer)'
    """
    if not m:
        return "not measured"
    if "skipped" in m:
        return "not run"
    if "error" in m:
        return f"**failed**: {m['error'][:90]}"
    text = f"{float(m['seconds']):.1f} s, {float(m['rss_mb']) / 1024:.2f} GB"
    times = []
    if _ok(floor) and m is not floor:
        times.append(f"{float(m['seconds']) / float(floor['seconds']):.1f}×")  # type: ignore[index]
    if _ok(peer):
        times.append(f"{float(m['seconds']) / float(peer['seconds']):.1f}× its peer")  # type: ignore[index]
        if len(times) == 2:
            times[0] += " floor"
    return text + (f" ({', '.join(times)})" if times else "")


def table(rows: list[dict[str, Any]], *, missing: dict[str, str]) -> str:
    """The markdown table: one line per measurement, one column per size (``missing``: size → why not run)."""
    sizes = [_label(r["links"]) for r in rows] + [s for s in missing if s not in {_label(r["links"]) for r in rows}]
    by = {_label(r["links"]): r for r in rows}
    head = "| seconds, peak memory (× floor) | " + " | ".join(
        f"{s} links ({by[s]['mb']:,.0f} MB CSV)" if s in by else f"{s} links" for s in sizes) + " |"  # fmt: skip
    lines = [head, "|---|" + "---|" * len(sizes)]
    for key, name in ROWS:
        cells = []
        for s in sizes:
            if s not in by:
                cells.append(f"not measured: {missing[s]}" if key == ROWS[0][0] else "—")
                continue
            peer = by[s].get(PEER_OF[key]) if key in PEER_OF else None
            cells.append(_cell(by[s].get(key), by[s].get("floor"), peer))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    checks = []
    for s in sizes:
        r = by.get(s)
        if r is None:
            checks.append("—")
            continue
        same = [name for name, k in PEER_CHECKS if r.get(k) is True]
        differ = [name for name, k in PEER_CHECKS if r.get(k) is False]
        said = [f"peer agrees ({', '.join(same)})"] if same else []
        said += [f"peer **differs** ({', '.join(differ)})"] if differ else []
        said += [f"{who} {'agrees' if r[k] else '**differs**'}" for who, k in
                 (("naive", "naive_agrees"), ("Spark", "spark_agrees")) if k in r]  # fmt: skip
        checks.append(", ".join(said) or "—")
    lines.append("| same figures as chaingraph's (DuckDB peers: each its command's; naive, Spark: gaps) | "
                 + " | ".join(checks) + " |")  # fmt: skip
    loads = [f"{min(r['load']):.0f}–{max(r['load']):.0f}" if r.get("load") else "—" for s in sizes for r in [by.get(s)]
             if r is not None] + ["—" for s in sizes if s not in by]  # fmt: skip
    lines.append("| load average (2 cores) during the column | " + " | ".join(loads) + " |")
    return "\n".join(lines)


def svg(rows: list[dict[str, Any]]) -> str:
    """Seconds against links, log-log, one line per measurement (points where measured)."""
    keys = [("floor", "floor (pyarrow)", "#444"), ("duckdb_peer", "DuckDB peer: gaps", "#1f77b4"),
            ("peer_analyze", "DuckDB peer: analyze", "#17becf"), ("analyze", "analyze warm", "#e377c2"),
            ("gaps_cold", "gaps cold", "#ff7f0e"), ("gaps", "gaps warm", "#d62728"),
            ("all_zones_first", "--all-zones first run", "#9467bd"), ("all_zones", "--all-zones warm", "#bcbd22"),
            ("naive_gaps", "naive networkx", "#8c564b"),
            ("spark_gaps", "Spark local", "#2ca02c")]  # fmt: skip
    pts = [(int(r["links"]), k, float(r[k]["seconds"])) for r in rows for k, _, _ in keys
           if isinstance(r.get(k), dict) and "seconds" in r[k] and "error" not in r[k]]  # fmt: skip
    if not pts:
        return ""
    w, h, pad = 680, 380, 56
    xs = [math.log10(p[0]) for p in pts]
    ys = [math.log10(max(p[2], 0.1)) for p in pts]
    x0, x1 = min(xs) - 0.1, max(xs) + 0.1
    y0, y1 = math.floor(min(ys)), math.ceil(max(ys))

    def sx(v: float) -> float:
        return pad + (w - 2 * pad - 120) * (math.log10(v) - x0) / max(x1 - x0, 1e-9)

    def sy(v: float) -> float:
        return h - pad - (h - 2 * pad) * (math.log10(max(v, 0.1)) - y0) / max(y1 - y0, 1e-9)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" '
             'font-size="11">', f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<text x="{pad}" y="22">seconds (log scale) against links, process start to output written</text>']  # fmt: skip
    for e in range(y0, y1 + 1):
        y = sy(10**e)
        parts.append(f'<line x1="{pad}" x2="{w - pad - 120}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{pad - 8}" y="{y + 4:.1f}" text-anchor="end">{10**e:g}</text>')
    for n in sorted({p[0] for p in pts}):
        parts.append(f'<text x="{sx(n):.1f}" y="{h - pad + 18}" text-anchor="middle">{_label(n)}</text>')
    parts.append(f'<text x="{(w - 120) / 2:.0f}" y="{h - 12}" text-anchor="middle">links (log scale)</text>')
    for i, (k, name, color) in enumerate(keys):
        line = sorted((sx(n), sy(s)) for n, kk, s in pts if kk == k)
        if not line:
            continue
        if len(line) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{coords}"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>' for x, y in line]
        parts.append(f'<text x="{w - pad - 110}" y="{48 + 16 * i}" fill="{color}">{name}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="/work/bench-data")
    ap.add_argument("--sizes", default="2M,10M,100M")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (the median is kept)")
    ap.add_argument("--repeat-max", default="2M", help="sizes above this are run once")
    ap.add_argument("--naive-max", default="2M")
    ap.add_argument("--spark-max", default="10M")
    ap.add_argument("--spark-master", default="local[2]")
    ap.add_argument("--spark-memory", default="4g")
    ap.add_argument(
        "--stream-floor-above",
        default="10M",
        help="above this size the floor reads the CSV in pieces (pyarrow.csv.open_csv), not whole",
    )
    ap.add_argument("--peer-memory", default="12GB", help="DuckDB's memory_limit for the peer")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a command is stopped")
    ap.add_argument("--cap", action="append", default=[], metavar="[SIZE:]KEY=SECONDS",
                    help="the time cap of one measurement (a ROWS key), at SIZE only when given, e.g. 100M:savings=240")  # fmt: skip
    ap.add_argument("--rss-cap-gb", type=float, default=16.0, help="a command past this memory is stopped")
    ap.add_argument("--skip", default="", help="measurements left out (ROWS keys), e.g. naive_gaps,spark_gaps,"
                    "peer_closure,peer_savings,peer_analyze,peer_all_zones")  # fmt: skip
    ap.add_argument("--compare-max-mb", type=float, default=400.0,
                    help="a peer's or chaingraph's JSON larger than this is not read to compare the figures")  # fmt: skip
    ap.add_argument("--not-measured", action="append", default=[], metavar="SIZE=REASON",
                    help="a size shown as not measured, with the reason (e.g. 100M='the copy does not build')")  # fmt: skip
    ap.add_argument("--commit", default=None, help="the commit measured (default: git rev-parse of this checkout)")
    ap.add_argument("--json", default=str(HERE / "table_results.json"))
    ap.add_argument("--doc", default=None, help="rewrite the table between the markers in this file")
    ap.add_argument("--svg", default=str(ROOT / "docs" / "img" / "benchmarks.svg"))
    args = ap.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    missing = dict(m.split("=", 1) for m in args.not_measured)
    signal.signal(signal.SIGTERM, _stop)
    rows = []
    for s in args.sizes.split(","):
        if s in missing:
            continue
        if not (Path(args.data) / f"csv_{s}").is_dir():
            missing.setdefault(s, f"no data in {args.data}/csv_{s}")
            continue
        rows.append(run_size(Path(args.data), size_of(s), args))
    done = time.strftime("%H:%M UTC", time.gmtime())
    old = json.loads(Path(args.json).read_text(encoding="utf-8")) if Path(args.json).is_file() else []
    record = {"started": started, "finished": done, "commit": args.commit or _commit(), "args": vars(args), "rows": rows,
              "not_measured": missing}  # fmt: skip
    Path(args.json).write_text(json.dumps([*old, record], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = table(rows, missing=missing)
    caption = (f"Run of {started} to {done} (`{' '.join(['python benchmarks/table.py', *sys.argv[1:]])}`, "
               f"chaingraph {record['commit']}); raw runs in `benchmarks/table_results.json`.")  # fmt: skip
    print(caption + "\n\n" + text)
    picture = svg(rows)
    if picture and args.svg:
        Path(args.svg).write_text(picture, encoding="utf-8")
    if args.doc:
        doc = Path(args.doc)
        body = doc.read_text(encoding="utf-8")
        if BEGIN not in body or END not in body:
            sys.exit(f"{doc} has no {BEGIN} … {END} block to rewrite")
        head, rest = body.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        doc.write_text(f"{head}{BEGIN}\n{caption}\n\n{text}\n{END}{tail}", encoding="utf-8")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
                              check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "?"


if __name__ == "__main__":
    main()
