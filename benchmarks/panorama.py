"""How long the chain panorama takes, how big its page is and how fast it opens in headless Chromium.

For each size, synthetic data (with chains.csv, and without it: the derived
form) is written with ``chaingraph synth``; then, for one zone, timed as the
user runs them: ``chaingraph gaps -f json`` (what the panorama builds on),
``chaingraph panorama -f json`` and ``chaingraph panorama -o page.html``; the
page is opened in Debian's Chromium with the network blocked and timed to
ready, then a click on the first stage to its details shown.

    python benchmarks/panorama.py --links 100000,1000000

Without chains.csv at 1M links ``panorama -f json`` ran out of memory here (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ZONE = "园区01经开区"
CLI = [sys.executable, "-m", "chaingraph.cli"]


def timed(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return round(time.perf_counter() - t0, 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--links", default="100000,1000000")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "panorama_results.json"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.browser import ARGS, CHROMIUM

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in (int(x) for x in args.links.split(",")):
            for chains in (True, False):
                folder = Path(tmp) / f"{n}-{chains}"
                subprocess.run([*CLI, "synth", str(folder), "--links", str(n), "--zones", "5",
                                *([] if chains else ["--no-chains"])], check=True, capture_output=True)  # fmt: skip
                html = Path(tmp) / f"{n}-{chains}.html"
                row: dict[str, object] = {"links": n, "chains_csv": chains}
                row["gaps_json_s"] = timed([*CLI, "gaps", str(folder), "-z", ZONE, "-f", "json", "-o", "/dev/null"])
                row["panorama_json_s"] = timed([*CLI, "panorama", str(folder), "-z", ZONE, "-f", "json", "-o",
                                                "/dev/null"])  # fmt: skip
                row["panorama_html_s"] = timed([*CLI, "panorama", str(folder), "-z", ZONE, "-o", str(html)])
                row["page_mb"] = round(html.stat().st_size / 1e6, 2)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                t0 = time.perf_counter()
                page.goto(html.as_uri(), timeout=300_000)
                page.wait_for_function("window.chaingraphPanorama && window.chaingraphPanorama.ready", timeout=300_000)
                row["page_ready_s"] = round(time.perf_counter() - t0, 2)
                row["chains"] = page.locator(".cg-chain").count()
                row["stages"] = page.evaluate("window.chaingraphPanorama.stages")
                t1 = time.perf_counter()
                page.locator(".cg-stage").first.click()
                page.locator(".cg-detail:not([hidden])").wait_for()
                row["click_to_details_s"] = round(time.perf_counter() - t1, 3)
                page.close()
                print(json.dumps(row, ensure_ascii=False), flush=True)
                rows.append(row)
        browser.close()
    Path(args.out).write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
