"""How fast the Cypher analysis files answer one zone on a large graph in the local Neo4j (issue 22).

For each size: generate the benchmark data (chaingraph.synth, 20 zones, seed 7, as run.py), load
it with the transactional ``chaingraph neo4j load --replace`` (the benchmark loads its own data
each time: the server is shared), then for zone 园区01经开区:

- each analysis file as Neo4j Browser runs it (the query alone, through the driver): the first
  run after the load (cold: the plan is compiled, the pages are read from disk) and the median
  of three more (warm);
- each analysis command end to end (``chaingraph gaps neo4j://127.0.0.1:7687 --zone …``, a fresh
  process), beside the same command on the folder (the in-memory engine), and whether both give
  the same JSON.

    flock /tmp/neo4j.lock python benchmarks/neo4j_speed.py --sizes 1M,2M

Needs a running server (``chaingraph neo4j up``); writes benchmarks/neo4j_results.json and prints
the tables for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import CLI, ROOT, ZONE, dataset, measure, size_of  # noqa: E402

URI = "neo4j://127.0.0.1:7687"
#: the files each command runs, in the order its Neo4j backend runs them
FILES = {
    "closure": ["lsr", "has_chain_map", "closure", "local_chains", "names"],
    "savings": ["savings_realized", "savings_potential"],
    "gaps": ["gaps"],
    "leaders": ["leaders", "invite"],
    "routes": ["routes"],
    "graphs": ["panorama_graph", "gap_graph", "local_chains_graph"],
}
COMMANDS = ["closure", "savings", "gaps", "leaders", "routes"]


def time_files(repeat: int) -> dict[str, dict[str, Any]]:
    from chaingraph.neo4j.connect import driver, settings
    from chaingraph.neo4j.queries import query

    conn = settings(URI)
    d = driver(conn)
    out: dict[str, dict[str, Any]] = {}
    try:
        for name in [f for files in FILES.values() for f in files]:
            params: dict[str, Any] = {"zone": {"name": ZONE, "scope": "zone", "statuses": ["active"], "rate": 0.05}}
            runs = []
            rows = 0
            for _ in range(1 + repeat):
                start = time.perf_counter()
                rows = len(d.execute_query(query(name), params, database_=conn.database).records)
                runs.append(round(time.perf_counter() - start, 3))
            out[name] = {"cold": runs[0], "warm": statistics.median(runs[1:]), "runs": runs, "rows": rows}
            print(f"  {name}: cold {runs[0]:.2f} s, warm {out[name]['warm']:.2f} s, {rows} rows", flush=True)
    finally:
        d.close()
    return out


def same_json(cmd: str, folder: Path) -> tuple[dict[str, Any], dict[str, Any], bool]:
    tmp = HERE / ".data" / "out"
    tmp.mkdir(parents=True, exist_ok=True)
    a, b = tmp / f"{cmd}-mem.json", tmp / f"{cmd}-neo.json"
    mem = measure([*CLI, cmd, str(folder), "--zone", ZONE, "-f", "json", "-o", str(a)])
    neo = measure([*CLI, cmd, URI, "--database", "neo4j", "--zone", ZONE, "-f", "json", "-o", str(b)])
    same = "error" not in mem and "error" not in neo and json.loads(a.read_text()) == json.loads(b.read_text())
    return mem, neo, same


def run(sizes: list[int], *, repeat: int) -> list[dict[str, Any]]:
    results = []
    for n in sizes:
        folder = dataset(n)
        print(f"{n:,} links: loading {folder}", flush=True)
        load = measure([*CLI, "neo4j", "load", str(folder), "--uri", URI, "--replace"], timeout=7200)
        print(f"  load {load}", flush=True)
        row: dict[str, Any] = {"links": n, "load": load, "files": time_files(repeat), "commands": {}}
        for cmd in COMMANDS:
            mem, neo, same = same_json(cmd, folder)
            row["commands"][cmd] = {"memory": mem, "neo4j": neo, "same_figures": same}
            print(f"  {cmd}: memory {mem.get('seconds')} s, neo4j {neo.get('seconds')} s, same {same}", flush=True)
        results.append(row)
    return results


def tables(results: list[dict[str, Any]]) -> str:
    lines = ["| links | file | cold s | warm s | rows |", "|---|---|---|---|---|"]
    for row in results:
        for cmd, files in FILES.items():
            for f in files:
                t = row["files"][f]
                lines.append(
                    f"| {row['links']:,} | {cmd}: `{f}.cypher` | {t['cold']:.2f} | {t['warm']:.2f} | {t['rows']} |"
                )
    lines += ["", "| links | command | in memory s | Neo4j s | same figures |", "|---|---|---|---|---|"]
    for row in results:
        for cmd, c in row["commands"].items():
            lines.append(f"| {row['links']:,} | {cmd} | {c['memory'].get('seconds')} | {c['neo4j'].get('seconds')} | "
                         f"{c['same_figures']} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1M", help="comma-separated link counts, e.g. 1M,2M")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs per file")
    args = ap.parse_args()
    results = run([size_of(s) for s in args.sizes.split(",")], repeat=args.repeat)
    out = HERE / "neo4j_results.json"
    old = json.loads(out.read_text()) if out.is_file() else []
    keep = [r for r in old if r["links"] not in {x["links"] for x in results}]
    out.write_text(json.dumps(sorted(keep + results, key=lambda r: r["links"]), indent=1) + "\n", encoding="utf-8")
    print(tables(results))
    subprocess.run(["git", "status", "--short", str(out)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
