"""How fast the offline graph becomes interactive in headless Chromium.

For each size a synthetic zone view is written with ``chaingraph view`` (with
``--max-nodes`` raised so nothing is aggregated), opened in Debian's Chromium
with every network request blocked, and timed:

- first draw: page load to the first frame drawn with the layout in place
  (``window.chaingraph.ready``), measured from Python around ``page.goto``;
- search: typing part of a firm's name to the ranked result list shown, and
  picking the first result to the graph focused on it with its panel open;
- zoom: each of three zoom steps (×1.6) to the redrawn frame, the slowest;
- pan: one pan to the redrawn frame;
- filter: choosing a chain to the graph laid out again, re-fitted and drawn.

Each figure is the median of ``--repeat`` page loads.  Then one aggregated
view (default ``--max-nodes``) of the largest size: first draw of the clusters
and the drill-down into the zone's largest park.

    python benchmarks/view.py --nodes 500,1500,5000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ZOOM = """() => new Promise(done => { const n = window.chaingraph.network; const t = performance.now();
    n.once('afterDrawing', () => done(performance.now() - t)); n.moveTo({scale: n.getScale() * 1.6}); })"""
PAN = """() => new Promise(done => { const n = window.chaingraph.network; const t = performance.now();
    const p = n.getViewPosition();
    n.once('afterDrawing', () => done(performance.now() - t)); n.moveTo({position: {x: p.x + 300, y: p.y + 200}}); })"""
SEARCH = """(q) => { const t = performance.now(); const k = window.chaingraph.search(q);
    document.getElementById('results').getBoundingClientRect(); return [performance.now() - t, k]; }"""
PICK = """() => new Promise(done => { const n = window.chaingraph.network; const t = performance.now();
    n.once('afterDrawing', () => done(performance.now() - t));
    document.getElementById('search').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); })"""
FILTER = """(chain) => new Promise(done => { const t = performance.now(); const f0 = window.chaingraph.frames; const sel = document.getElementById('chain');
    sel.value = chain; sel.dispatchEvent(new Event('change'));
    afterFrame(f0, () => done([performance.now() - t, window.chaingraph.shown.nodes])); })"""


AFTER_FRAME = """() => { window.afterFrame = (f0, then) => { const check = () => window.chaingraph.frames > f0 ? then()
    : requestAnimationFrame(check); check(); }; }"""


def open_page(browser: Any, html: Path) -> tuple[Any, float, list[str]]:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    bad: list[str] = []
    page.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else (bad.append(r.request.url), r.abort())
    )
    page.on("console", lambda m: bad.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: bad.append(str(e)))
    t0 = time.perf_counter()
    page.goto(html.as_uri())
    page.wait_for_function("window.chaingraph && window.chaingraph.ready", timeout=180_000, polling=10)
    page.evaluate(AFTER_FRAME)
    return page, time.perf_counter() - t0, bad


def measure(browser: Any, html: Path, query: str, repeat: int) -> dict[str, Any]:
    runs: dict[str, list[float]] = {}
    nodes = edges = results = 0
    problems: list[str] = []
    for _ in range(repeat):
        page, first, bad = open_page(browser, html)
        nodes, edges = page.evaluate("[window.chaingraph.nodes, window.chaingraph.edges]")
        search_ms, results = page.evaluate(SEARCH, query)
        pick_ms = page.evaluate(PICK)
        page.evaluate("() => { document.getElementById('reset').click(); }")
        zooms = [page.evaluate(ZOOM) for _ in range(3)]
        pan_ms = page.evaluate(PAN)
        chain = page.evaluate("document.querySelectorAll('#chain option')[1].value")
        filter_ms, shown = page.evaluate(FILTER, chain)
        for k, v in (("first_draw_s", first), ("search_ms", search_ms), ("pick_ms", pick_ms), ("zoom_ms", max(zooms)),
                     ("pan_ms", pan_ms), ("filter_ms", filter_ms)):  # fmt: skip
            runs.setdefault(k, []).append(v)
        problems += bad
        page.close()
    row: dict[str, Any] = {"nodes": nodes, "edges": edges, "search_results": results, "filtered_nodes": shown}
    for k, v in runs.items():
        row[k] = round(statistics.median(v), 3 if k.endswith("_s") else 1)
    row["mb"] = round(html.stat().st_size / 1e6, 1)
    row["console_or_network"] = problems
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", default="500,1500,5000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from chaingraph.synth import SynthSpec, write_synth
    from tests.browser import ARGS, CHROMIUM

    out: dict[str, Any] = {"views": [], "aggregated": None}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        folder = Path(tmp)
        for target in (int(n) for n in args.nodes.split(",")):
            # zone 园区01经开区 of two: its firms and their partners number about links / 6.3
            folder = write_synth(SynthSpec(links=int(target * 6.3), zones=2, seed=3), Path(tmp) / str(target))
            html = Path(tmp) / f"g{target}.html"
            subprocess.run([sys.executable, "-m", "chaingraph.cli", "view", str(folder), "-z", "园区01经开区",
                            "--max-nodes", "100000", "-o", str(html)], check=True, capture_output=True)  # fmt: skip
            row = measure(browser, html, "企业12", args.repeat)
            row["load_average"] = round(os.getloadavg()[0], 1)  # a shared machine: how busy it was
            print(json.dumps(row, ensure_ascii=False), flush=True)
            out["views"].append(row)
        html = Path(tmp) / "agg.html"
        subprocess.run([sys.executable, "-m", "chaingraph.cli", "view", str(folder), "-z", "园区01经开区", "-o", str(html)],
                       check=True, capture_output=True)  # fmt: skip
        page, first, bad = open_page(browser, html)
        clusters = page.evaluate("window.chaingraph.network.body.data.nodes.length")
        drill = page.evaluate("""() => new Promise(done => { const n = window.chaingraph.network; const t = performance.now();
            const f0 = window.chaingraph.frames; window.chaingraph.drill(0); afterFrame(f0, () => done([performance.now() - t, window.chaingraph.shown.nodes])); })""")
        agg = {"firms": page.evaluate("window.chaingraph.nodes"), "clusters": clusters, "first_draw_s": round(first, 3),
               "drill_ms": round(drill[0], 1), "drill_nodes": drill[1], "console_or_network": bad}  # fmt: skip
        print(json.dumps(agg, ensure_ascii=False), flush=True)
        out["aggregated"] = agg
        browser.close()
    (ROOT / "benchmarks" / "view_results.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n",
                                                           encoding="utf-8")  # fmt: skip


if __name__ == "__main__":
    main()
