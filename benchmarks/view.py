"""How fast the offline graph becomes interactive in headless Chromium.

For each size, a synthetic zone view is written with ``chaingraph view`` (with
``--max-nodes`` raised so nothing is aggregated), opened in Debian's Chromium,
and timed: page load to vis-network drawn with its layout settled
(``window.chaingraph.ready``), then one zoom and one pan redraw.

    python benchmarks/view.py --nodes 500,1500,5000
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", default="500,1500,5000")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from chaingraph.synth import SynthSpec, write_synth
    from tests.browser import ARGS, CHROMIUM

    out = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for target in (int(n) for n in args.nodes.split(",")):
            # one zone of five holds about 12% of the firms; firms are links / 6
            folder = write_synth(SynthSpec(links=int(target * 6 / 0.25), zones=2, seed=3), Path(tmp) / str(target))
            html = Path(tmp) / f"g{target}.html"
            subprocess.run([sys.executable, "-m", "chaingraph.cli", "view", str(folder), "-z", "园区01经开区",
                            "--max-nodes", "100000", "-o", str(html)], check=True, capture_output=True)  # fmt: skip
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            t0 = time.perf_counter()
            page.goto(html.as_uri())
            page.wait_for_function("window.chaingraph && window.chaingraph.ready", timeout=180_000)
            ready = time.perf_counter() - t0
            nodes = page.evaluate("window.chaingraph.nodes")
            t1 = time.perf_counter()
            page.evaluate("""() => new Promise(done => { const n = window.chaingraph.network;
                n.once('afterDrawing', () => done()); n.moveTo({scale: 1.5}); })""")
            zoom = time.perf_counter() - t1
            t2 = time.perf_counter()
            page.evaluate("""() => new Promise(done => { const n = window.chaingraph.network;
                n.once('afterDrawing', () => done()); n.moveTo({position: {x: 300, y: 200}}); })""")
            pan = time.perf_counter() - t2
            row = {"nodes": nodes, "ready_s": round(ready, 2), "zoom_redraw_s": round(zoom, 3),
                   "pan_redraw_s": round(pan, 3), "physics": nodes <= 500}  # fmt: skip
            print(json.dumps(row), flush=True)
            out.append(row)
            page.close()
        browser.close()
    (ROOT / "benchmarks" / "view_results.json").write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
