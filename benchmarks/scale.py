"""Benchmark the two corners that were super-linear (issue 23): ``leaders`` against ``analyze``, and
the local-chain fallback on one long chain fed by many sources.

Each measurement is a fresh process (wall seconds, peak RSS from the kernel's rusage), as in
benchmarks/run.py:

- ``leaders`` and ``analyze`` for zone 园区01经开区 on the 100k-link synthetic set of run.py (the
  median of ``--repeat`` runs each); the target is leaders within 3x of analyze;
- ``closure`` of a zone whose local firms form one chain of N firms fed by 501 sources (more than
  the 500 maximal paths that are listed, so the fallback "longest path per end buyer" runs); the
  target is under 1 GB at N = 20,000.

With ``--before REV`` the same commands also run on chaingraph as it was at git revision REV (its
package exported with ``git archive`` into a temporary folder and put first on sys.path), side
by side in the same run; sizes above ``--before-max`` are not run on it (the old fallback needs
about N^2 x 4 bytes).

    python benchmarks/scale.py [--before REV] [--chain 20k,50k] [--json benchmarks/scale_results.json]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402  (measure, dataset, size_of, ZONE)

CHAIN_ZONE = "链区"
SOURCES = 501


def chain_data(n: int) -> Path:
    """A zone of ``n`` firms in one supply chain c0 → c1 → … fed by 501 source firms (all local)."""
    folder = HERE / ".data" / f"chain_{n}"
    if (folder / "links.csv").is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    chain = [f"C{k:06d}" for k in range(n)]
    sources = [f"S{k:04d}" for k in range(SOURCES)]
    with (folder / "enterprises.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "zone", "products"])
        w.writerows((i, f"企业{i}", CHAIN_ZONE, "零件") for i in sources + chain)
    with (folder / "links.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["supplier_id", "buyer_id", "product", "annual_value", "status"])
        w.writerows((s, chain[0], "零件", 1000, "active") for s in sources)
        w.writerows((a, b, "零件", 1000, "active") for a, b in itertools.pairwise(chain))
    return folder


def export(rev: str) -> Path:
    """chaingraph's package at git revision ``rev``, in a temporary folder."""
    dest = Path(tempfile.mkdtemp(prefix="chaingraph-before-"))
    archive = subprocess.run(["git", "archive", rev, "chaingraph"], cwd=run.ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def timed(args: list[str], *, repeat: int, code: Path | None) -> dict[str, object]:
    """The median of ``repeat`` runs of ``chaingraph ARGS``: today's, or the package exported to ``code``.

    The old package goes first on sys.path from inside the child (``python -m`` would put the working
    directory, today's checkout, first).
    """
    if code is None:
        return run.median_of([*run.CLI, *args], repeat=repeat)
    boot = f"import sys; sys.path.insert(0, {str(code)!r}); from chaingraph.cli import main; main()"
    return run.median_of([run.PY, "-c", boot, *args], repeat=repeat)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--links", default="100k", help="size of the synthetic set for leaders vs analyze")
    ap.add_argument("--chain", default="20k,50k", help="chain lengths (firms) for the local-chain fallback")
    ap.add_argument("--before", default=None, help="also run chaingraph at this git revision, side by side")
    ap.add_argument("--before-max", default="20k", help="longest chain to run the old code at")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", default=str(HERE / "scale_results.json"))
    args = ap.parse_args()
    old = export(args.before) if args.before else None
    versions: list[tuple[str, Path | None]] = [("now", None)] + ([(f"before ({args.before})", old)] if old else [])
    results: dict[str, object] = {"before": args.before, "leaders": [], "local_chains": []}

    folder = run.dataset(run.size_of(args.links))
    for label, path in versions:
        row: dict[str, object] = {"links": run.size_of(args.links), "code": label}
        for kind in ("analyze", "leaders"):
            row[kind] = timed([kind, str(folder), "--zone", run.ZONE, "-f", "json"], repeat=args.repeat, code=path)
        results["leaders"].append(row)  # type: ignore[attr-defined]
        print(row, flush=True)
    for n in (run.size_of(s) for s in args.chain.split(",")):
        data = chain_data(n)
        for label, path in versions:
            if path is not None and n > run.size_of(args.before_max):
                continue
            row = {"firms": n, "sources": SOURCES, "code": label,
                   "closure": timed(["closure", str(data), "--zone", CHAIN_ZONE, "-f", "json"], repeat=1,
                                    code=path)}  # fmt: skip
            results["local_chains"].append(row)  # type: ignore[attr-defined]
            print(row, flush=True)
    if old is not None:
        shutil.rmtree(old)
    Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
