"""Excel input against CSV input: the same synthetic data loaded from a folder of CSV files and from one workbook.

    python benchmarks/xlsx.py --links 200000 [--repeat 5] [--out docs/benchmarks.md]

The workbook is written the way Excel writes one (a shared-strings table, numbers as numbers,
empty cells left out), by hand, so no writer library is needed.  Two measurements per source,
each the median of ``--repeat`` runs, CSV and workbook alternating so that a busy machine
slows both alike:

- ``load``: ``chaingraph.load.load_dataset`` in this process (read + validate);
- ``validate``: ``chaingraph validate SOURCE -f json`` as a fresh process (start-up included),
  what a user waits for.

With ``--out`` the results replace the "Excel input" section of that markdown file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from chaingraph.load import load_dataset  # noqa: E402
from chaingraph.synth import SynthSpec, write_synth  # noqa: E402

SHEETS = {"enterprises": "企业", "links": "供应关系", "chains": "产业链"}


def _col(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def write_xlsx(folder: Path, out: Path) -> Path:
    """The CSV tables of ``folder`` as one workbook (sheets 企业 / 供应关系 / 产业链), as Excel would store them."""
    import pandas as pd

    strings: dict[str, int] = {}
    sheets: list[tuple[str, bytes]] = []
    for kind, name in SHEETS.items():
        path = folder / f"{kind}.csv"
        if not path.exists():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        numeric = {c: pd.to_numeric(frame[c], errors="coerce") for c in frame.columns}
        parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
                 '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']  # fmt: skip
        cols = list(frame.columns)
        letters = [_col(j) for j in range(len(cols))]
        rows = [cols, *frame.itertuples(index=False, name=None)]
        for i, row in enumerate(rows):
            cells = []
            for j, v in enumerate(row):
                if v == "":
                    continue
                ref = f"{letters[j]}{i + 1}"
                num = numeric[cols[j]].iat[i - 1] if i else float("nan")
                if i and num == num and cols[j] not in ("id", "supplier_id", "buyer_id"):
                    cells.append(f'<c r="{ref}"><v>{v}</v></c>')
                else:
                    k = strings.setdefault(v, len(strings))
                    cells.append(f'<c r="{ref}" t="s"><v>{k}</v></c>')
            parts.append(f'<row r="{i + 1}">{"".join(cells)}</row>')
        parts.append("</sheetData></worksheet>")
        sheets.append((name, "".join(parts).encode()))
    sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{k + 1}.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for k in range(len(sheets)))
            + "</Types>"))  # fmt: skip
        z.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))  # fmt: skip
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{n}" sheetId="{k + 1}" r:id="rId{k + 1}"/>' for k, (n, _) in enumerate(sheets))
            + "</sheets></workbook>"))  # fmt: skip
        z.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{k + 1}" Type="{ns}/officeDocument/2006/relationships/worksheet" '
                      f'Target="worksheets/sheet{k + 1}.xml"/>' for k in range(len(sheets)))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{ns}/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'))  # fmt: skip
        z.writestr("xl/sharedStrings.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'))  # fmt: skip
        for k, (_, body) in enumerate(sheets):
            z.writestr(f"xl/worksheets/sheet{k + 1}.xml", body)
    return out


def _load(source: Path) -> float:
    start = time.perf_counter()
    load_dataset(source)
    return time.perf_counter() - start


def _parse(book: Path) -> float:
    """fastexcel alone parsing every sheet into Arrow (the floor of any loader built on it)."""
    import fastexcel

    start = time.perf_counter()
    reader = fastexcel.read_excel(str(book))
    for name in reader.sheet_names:
        reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0, eager=True)
    return time.perf_counter() - start


def _floor(folder: Path) -> float:
    """pyarrow alone reading the CSV files (the CSV loader's floor)."""
    import pyarrow.csv as pcsv

    start = time.perf_counter()
    for path in folder.glob("*.csv"):
        pcsv.read_csv(path)
    return time.perf_counter() - start


def _validate(source: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "chaingraph.cli", "validate", str(source), "-f", "json"],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--links", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--data", type=Path, default=HERE / ".data")
    ap.add_argument("--out", type=Path, default=None, help="Markdown file whose 'Excel input' section to replace.")
    args = ap.parse_args()
    folder = args.data / f"xlsx-{args.links}"
    if not (folder / "links.csv").exists():
        write_synth(SynthSpec(links=args.links, zones=20, seed=0), folder)
    book = args.data / f"xlsx-{args.links}.xlsx"
    if not book.exists():
        write_xlsx(folder, book)
    assert load_dataset(book).links["value"].equals(load_dataset(folder).links["value"])  # same figures
    times: dict[str, dict[str, list[float]]] = {
        "csv": {"parse": [], "load": [], "validate": []},
        "xlsx": {"parse": [], "load": [], "validate": []},
    }
    for _ in range(args.repeat):
        for kind, source in (("csv", folder), ("xlsx", book)):
            times[kind]["parse"].append(_floor(source) if kind == "csv" else _parse(source))
            times[kind]["load"].append(_load(source))
            times[kind]["validate"].append(_validate(source))
    med = {k: {m: statistics.median(v) for m, v in d.items()} for k, d in times.items()}
    result = {
        "links": args.links,
        "repeat": args.repeat,
        "csv_mb": round(sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6, 1),
        "xlsx_mb": round(book.stat().st_size / 1e6, 1),
        "median_seconds": med,
        "ratio": {m: round(med["xlsx"][m] / med["csv"][m], 2) for m in ("parse", "load", "validate")},
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(result, indent=2))
    if args.out:
        _write_section(args.out, result)


def _write_section(path: Path, r: dict) -> None:  # type: ignore[type-arg]
    med = r["median_seconds"]
    lines = [
        "## Excel input",
        "",
        f"`python benchmarks/xlsx.py --links {r['links']} --repeat {r['repeat']}`: the same synthetic data as a "
        f"folder of CSV files ({r['csv_mb']} MB) and as one workbook written as Excel writes one ({r['xlsx_mb']} MB: "
        "shared strings, numbers as numbers). Medians of the runs, CSV and workbook alternating.",
        "",
        "| measurement | CSV folder | workbook | workbook ÷ CSV |",
        "|---|---:|---:|---:|",
        f"| parse alone (pyarrow CSV reader; fastexcel into Arrow) | {med['csv']['parse']:.2f} s "
        f"| {med['xlsx']['parse']:.2f} s | {r['ratio']['parse']:.2f}× |",
        f"| `load_dataset` (read + validate, in process) | {med['csv']['load']:.2f} s | {med['xlsx']['load']:.2f} s "
        f"| {r['ratio']['load']:.2f}× |",
        f"| `chaingraph validate -f json` (fresh process) | {med['csv']['validate']:.2f} s "
        f"| {med['xlsx']['validate']:.2f} s | {r['ratio']['validate']:.2f}× |",
        "",
        f"Machine load average during the run: {r['load_average']} on 2 cores (shared). Parsing the XML is "
        "most of a workbook's load: the loader adds the same validation as for CSV, the header search, and a "
        "scan of each sheet's XML for hidden rows, merged cells and error values (in a thread beside the "
        "parser). The issue's target, a workbook within 3× of the CSV folder, holds for the command a user "
        "runs; for the loader alone it is bounded by the parse-alone ratio above.",
        "",
    ]
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start = text.find("## Excel input")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + "\n".join(lines) + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
