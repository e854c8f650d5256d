"""The offline graph, the report folder and the workbook, checked in headless Chromium and openpyxl."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph.analysis import Options
from chaingraph.cli import main
from tests.browser import chromium
from tests.browser import open_offline as browser_open
from tests.conftest import DATA, MakeData

JC = Options(zone="晋城经开区")


def open_offline(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    return browser_open(browser, path, viewport={"width": 1400, "height": 900})


HOSTILE = [
    "<script>window.__pwned = 1</script>",
    "</script><script>window.__pwned = 2</script>",
    '"><img src=x onerror="window.__pwned=3">',
    "' onmouseover='window.__pwned=4' x='",
    "<svg onload=window.__pwned=5>",
    "/*DATA*/ </style><b>粗体</b>",
]


@pytest.mark.browser
def test_hostile_names_never_run(make_data: MakeData, tmp_path: Path) -> None:
    zone = HOSTILE[0]
    ents = [("A", HOSTILE[1], zone, HOSTILE[2]), ("B", HOSTILE[3], zone, HOSTILE[4]),
            ("C", HOSTILE[5], "外地<i>", "钢")]  # fmt: skip
    links = [("A", "B", HOSTILE[2], 1000, 10, 100, 5), ("C", "B", "钢<b>x</b>", 3000, 10, 300, 5),
             ("C", "B", HOSTILE[4], 50, None, None, None, "former")]  # fmt: skip
    folder = make_data(ents, links, [("链<script>x()</script>", HOSTILE[4], HOSTILE[2])])
    out = tmp_path / "rep"
    r = CliRunner().invoke(main, ["report", str(folder), "--zone", zone, "-o", str(out)])
    assert r.exit_code == 0, r.output
    with chromium() as browser:
        for name in ("graph.html", "report.html"):
            page, requests, errors = open_offline(browser, out / name)
            if name == "graph.html":
                page.wait_for_function("window.chaingraph && window.chaingraph.ready", timeout=60_000)
                for node in ("A", "B", "C"):  # hover every firm so its tooltip renders
                    pos = page.evaluate(f"(() => {{ const n = window.chaingraph.network;"
                                        f" return n.canvasToDOM(n.getPosition(window.chaingraph.index('{node}'))); }})()")  # fmt: skip
                    box = page.locator("#graph").bounding_box()
                    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
                    page.wait_for_timeout(300)
            assert page.evaluate("window.__pwned") is None, name
            assert page.locator("img, svg[onload], b:has-text('粗体')").count() == 0 or name == "report.html"
            assert requests == [] and errors == [], (name, requests, errors)
            if name == "graph.html":  # the firm's name, found by search, shows as text
                page.fill("#search", HOSTILE[1][:9])
                assert HOSTILE[1] in page.locator("#results").inner_text()
        page, _, _ = open_offline(browser, out / "report.html")
        text = page.locator("body").inner_text()
        assert HOSTILE[0] in text
        from chaingraph.render.panorama import JS  # the panorama's own script is the only code on the page

        scripts = page.locator("body script:not(.cg-pano-data)")
        assert scripts.count() == 1 and scripts.first.evaluate("s => s.textContent") == JS


def test_view_cli_writes_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "zh_CN.GBK")  # pyvis' own writer fails under a GBK locale; ours writes UTF-8
    out = tmp_path / "g.html"
    r = CliRunner().invoke(main, ["view", str(DATA), "-z", "晋城经开区", "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "晋钢" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing loads from a network
