"""Rows brought back to Python per command on the DuckDB engine: one zone's slice against every link.

Before issue 21's point 3, leaders, routes, ``gaps --rank``, whatif, panorama, resilience,
benchmark and report read ``DuckDBBackend.dataset``: every link and enterprise into pandas.
Now they read one zone's slice (chaingraph/relational/zone_slice.py), and the product flow graph stays
on the engine (chaingraph/relational/reach.py).  This script counts the rows each command's queries
return (every ``_query`` call, by SQL file) and the rows it keeps on the engine (every ``_hold``: only
their count comes back), and times it, on the largest zone of SOURCE, against the rows of the whole
data (what ``dataset`` read).

    python benchmarks/zone_rows.py /work/bench-data/parquet_2M [--zone Z] [--whole] [--only leaders,routes]

``--whole`` also times the old path (the whole data read into pandas, then the in-memory
analysis) for comparison.  Writes benchmarks/zone_rows_results.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("--zone")
    ap.add_argument("--whole", action="store_true")
    ap.add_argument("--only", help="comma-separated commands (default: all)")
    ap.add_argument("--out", default=str(HERE / "zone_rows_results.json"))
    a = ap.parse_args()

    from chaingraph import registry
    from chaingraph.duckdb_engine import DuckDBBackend
    from chaingraph.results.options import Options
    from chaingraph.validated_copy import validated_copy

    t0 = time.perf_counter()
    copy = validated_copy(a.source)
    print(f"validated copy: {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    backend = DuckDBBackend(copy)
    counts = backend.row_counts()
    seen: Counter[str] = Counter()
    real = backend._query

    def counting(name: str, params: Any) -> Any:
        out = real(name, params)
        seen[name] += len(out)
        return out

    backend._query = counting  # type: ignore[method-assign]
    held: Counter[str] = Counter()  # rows kept on the engine (the flow graph's walks): only their count comes back
    hold = backend._hold

    def holding(name: str, query: str, params: Any) -> int:
        n = hold(name, query, params)
        held[query] += n
        return n

    backend._hold = holding  # type: ignore[method-assign]
    zone = a.zone or _largest_zone(backend)
    o = Options(zone=zone)
    gaps = backend.gaps(opts=o)
    top = max(gaps.gaps, key=lambda g: g.external_demand)
    with tempfile.TemporaryDirectory() as d:
        scen = Path(d) / "landing.csv"
        scen.write_text(f"id,name,zone,products,capture\nNEW-1,新厂,{zone},{top.product},1\n", encoding="utf-8")
        runs: dict[str, Any] = {
            "leaders": lambda: registry.LEADERS.run(backend, o, registry.LeadersParams()),
            "routes": lambda: registry.ROUTES.run(backend, o, registry.RoutesParams()),
            "resilience": lambda: registry.RESILIENCE.run(backend, o, registry.ResilienceParams()),
            "gaps --rank": lambda: registry.RANK.run(backend, o, registry.RankParams()),
            "panorama": lambda: registry.PANORAMA.run(backend, o, registry.NoParams()),
            "benchmark": lambda: registry.BENCHMARK.run(backend, o, registry.BenchmarkParams()),
            "whatif": lambda: registry.WHATIF.run(backend, o, registry.WhatIfParams(scenario=str(scen))),
        }
        results = []
        wanted = a.only.split(",") if a.only else list(runs)
        for name, run in runs.items():
            if name not in wanted:
                continue
            backend._slice = None  # each command as a fresh process would run it
            backend._flows.clear()
            backend._reach_held = backend._reach_g = None
            backend._presences.clear()
            seen.clear()
            held.clear()
            t = time.perf_counter()
            run()
            secs = time.perf_counter() - t
            rows = sum(seen.values())
            results.append({"command": name, "rows_back": rows, "by_query": dict(seen.most_common()),
                            "held_on_engine": dict(held.most_common()), "seconds": round(secs, 2)})  # fmt: skip
            print(f"{name:12s} {rows:>9,} rows back {secs:6.1f}s  {dict(seen.most_common(4))}", file=sys.stderr)
    whole: dict[str, Any] = {"rows": counts["links"] + counts["enterprises"]}
    if a.whole:
        from chaingraph.analysis.context import ZoneContext

        t = time.perf_counter()
        ds = copy.dataset()
        z = ZoneContext.of(ds, o)
        registry.RANK.compute(z, registry.RankParams())
        whole["rank_seconds_incl_read"] = round(time.perf_counter() - t, 2)
    out = {
        "source": a.source,
        "links": counts["links"],
        "enterprises": counts["enterprises"],
        "zone": zone,
        "before_rows_back": whole,
        "after": results,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }
    Path(a.out).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=2))


def _largest_zone(backend: Any) -> str:
    rows = backend.con.execute(
        "SELECT zone, COUNT(*) AS n FROM enterprises WHERE zone <> '' GROUP BY zone ORDER BY n DESC, zone LIMIT 1"
    ).fetchall()
    return str(rows[0][0])


if __name__ == "__main__":
    main()
