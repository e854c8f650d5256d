"""Benchmark ``chaingraph ingest invoices``: N invoice rows (CSV) into links.csv, on DuckDB and on Spark.

The invoice rows are made by DuckDB (``COPY … TO``) into ``--data`` (default
/work/bench-data/invoices_<N>): ``--files`` CSV files with the invoice
export's Chinese headers, 18-character 纳税人识别号 for 200,000 sellers and
400,000 buyers, 5,000 products, about fifty lines per (seller, buyer, product) (so N/50 links), amounts with two decimals (2% refunds, negative),
dates over 2023-12 to 2025-01 (so some rows fall outside the year).  Each
measurement is a fresh process (wall seconds, peak RSS from the kernel's
rusage, as benchmarks/run.py), ``--year 2024``; Spark runs in local mode
(``local[*]``) or on ``--master``.  The data is deleted afterwards unless
``--keep``.  Run it alone (``flock /work/wt/bench.lock``): it takes the
machine's two cores.

    python benchmarks/invoices.py --rows 100000000 [--spark-rows 10000000] [--master spark://127.0.0.1:7077]
        [--json benchmarks/invoices_results.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402  (measure)

HEADER = ("销方纳税人识别号", "购方纳税人识别号", "货物或应税劳务名称", "金额", "开票日期")


def make(folder: Path, rows: int, files: int) -> float:
    """Write ``rows`` invoice rows into ``files`` CSV files; the seconds it took.

    Rows fall on ``rows / 50`` supply relations (seller, buyer, product), about fifty invoice lines a
    relation over the 13 months, as a province's invoices repeat the same trade partners.
    """
    relations = max(1, rows // 50)
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    per = -(-rows // files)
    for k in range(files):
        n = min(per, rows - k * per)
        if n <= 0:
            break
        h = ", ".join(f'{c} AS "{name}"' for c, name in zip(("s", "b", "p", "a", "d"), HEADER, strict=True))
        con.execute(f"""
COPY (SELECT {h} FROM (
  SELECT '91140500MA' || lpad(CAST(r % 200000 AS VARCHAR), 8, '0') AS s,
         '91140500MB' || lpad(CAST(hash(r, 2) % 400000 AS VARCHAR), 8, '0') AS b,
         '产品' || CAST(hash(r, 3) % 5000 AS VARCHAR) AS p,
         CAST(CASE WHEN hash(i, 4) % 50 = 0 THEN -1 ELSE 1 END * (hash(i, 5) % 10000000) / 100.0 AS DECIMAL(12, 2)) AS a,
         strftime(DATE '2023-12-01' + CAST(hash(i, 6) % 397 AS INT), '%Y-%m-%d') AS d
  FROM (SELECT i, hash(i, 1) % {relations} AS r FROM range({k * per}, {k * per + n}) t(i))))
TO '{folder / f"invoices_{k:02d}.csv"}' (FORMAT csv, HEADER true)""")
    return round(time.perf_counter() - start, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--spark-rows", type=int, default=0, help="Also run Spark on the first rows of this many (0: no).")
    ap.add_argument("--master", default="local[*]")
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    folder = args.data or Path(f"/work/bench-data/invoices_{args.rows}")
    results: dict[str, object] = {"rows": args.rows, "files": args.files}
    try:
        if not any(folder.glob("*.csv")):
            results["make_seconds"] = make(folder, args.rows, args.files)
        results["csv_bytes"] = sum(p.stat().st_size for p in folder.glob("*.csv"))
        out = folder.parent / f"{folder.name}_links"
        cmd = [
            sys.executable,
            "-m",
            "chaingraph.cli",
            "ingest",
            "invoices",
            str(folder),
            "-o",
            str(out),
            "--year",
            "2024",
        ]
        results["duckdb"] = run.measure(cmd, timeout=3600, stdout=out.parent / f"{folder.name}_duckdb.txt")
        results["duckdb_output"] = (out.parent / f"{folder.name}_duckdb.txt").read_text(encoding="utf-8")
        if (out / "links.csv").is_file():
            results["links"] = sum(1 for _ in (out / "links.csv").open("rb")) - 1
        if args.spark_rows:
            small = folder.parent / f"{folder.name}_spark_subset"
            if args.spark_rows < args.rows:
                if not any(small.glob("*.csv")):
                    make(small, args.spark_rows, max(1, args.files * args.spark_rows // args.rows))
                src = small
            else:
                src = folder
            for name, master in (("spark_local", "local[*]"), ("spark_master", args.master)):
                if name == "spark_master" and master == "local[*]":
                    continue
                sout = folder.parent / f"{folder.name}_{name}"
                scmd = [
                    sys.executable,
                    "-m",
                    "chaingraph.cli",
                    "ingest",
                    "invoices",
                    str(src),
                    "-o",
                    str(sout),
                    "--year",
                    "2024",
                    "--engine",
                    "spark",
                    "--master",
                    master,
                    "--spark-memory",
                    "2g",
                ]
                results[name] = {
                    "rows": args.spark_rows,
                    **run.measure(scmd, timeout=3600, stdout=folder.parent / f"{name}.txt"),
                }
                results[f"{name}_output"] = (folder.parent / f"{name}.txt").read_text(encoding="utf-8")
                shutil.rmtree(sout, ignore_errors=True)
            if src != folder:
                shutil.rmtree(small, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    text = json.dumps(results, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
