"""Neo4j Browser in headless Chromium: connect, run queries/*.cypher as a user would, see the rows or the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chaingraph.load import load_dataset
from chaingraph.neo4j.load import load
from tests.browser import chromium
from tests.conftest import DATA, ROOT
from tests.test_neo4j import drv  # noqa: F401 (fixture)

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]
ARTIFACTS = ROOT / "artifacts"


BROWSER = "http://127.0.0.1:7474/browser/"


def connect(browser: Any, *, width: int = 1400, height: int = 1000) -> tuple[Any, list[str]]:
    """A Browser page connected to the local server, and the list its page errors go to."""
    from chaingraph.neo4j.connect import settings

    conn = settings()
    ctx = browser.new_context(viewport={"width": width, "height": height},
                              permissions=["clipboard-read", "clipboard-write"])  # fmt: skip
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(BROWSER)
    page.wait_for_selector('[data-testid="password"]', timeout=30_000)
    page.fill('[data-testid="username"]', conn.user)
    page.fill('[data-testid="password"]', conn.password)
    page.click('[data-testid="connect"]')
    page.wait_for_selector("text=You are connected as user", timeout=30_000)
    return page, errors


def type_and_run(page: Any, query: str) -> None:
    """Paste ``query`` into the editor and run it, as a user would."""
    page.evaluate("t => navigator.clipboard.writeText(t)", query)
    page.locator('[data-testid="activeEditor"]').first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+V")
    page.keyboard.press("Control+Enter")


def test_gaps_query_in_neo4j_browser(drv: Any) -> None:  # noqa: F811
    load(load_dataset(DATA), drv, replace=True)
    text = (ROOT / "queries" / "gaps.cypher").read_text(encoding="utf-8")
    with chromium() as browser:
        page, errors = connect(browser)

        def run(query: str) -> None:
            type_and_run(page, query)

        run(":param zone => '晋城经开区'")
        page.wait_for_selector("text=Successfully set your parameters", timeout=30_000)
        run(text)
        frame = page.locator('[data-testid="frame"]').first
        frame.locator("text=铁矿石").first.wait_for(timeout=60_000)
        assert frame.locator("text=功率模块").count() > 0
        assert frame.locator("text=深圳英源电气").count() > 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "neo4j-browser-gaps.png"))
        assert Path(ARTIFACTS / "neo4j-browser-gaps.png").stat().st_size > 10_000
        assert not errors, errors


def node_fills(page: Any) -> set[str]:
    """The fill colours of the nodes drawn in the newest frame's graph view."""
    fills = (
        page.locator('[data-testid="frame"]')
        .first.locator("g.node circle.b-outline")
        .evaluate_all("els => els.map(e => (e.getAttribute('fill') || '').toUpperCase())")
    )
    return set(fills)


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_gap_graph_in_neo4j_browser(drv: Any, width: int, height: int) -> None:  # noqa: F811
    """gap_graph.cypher drawn as a graph, styled by chaingraph.grass: gaps red, invitees orange, local firms blue."""
    load(load_dataset(DATA), drv, replace=True)
    grass = (ROOT / "queries" / "chaingraph.grass").read_text(encoding="utf-8")
    text = (ROOT / "queries" / "gap_graph.cypher").read_text(encoding="utf-8")
    with chromium() as browser:
        page, errors = connect(browser, width=width, height=height)
        type_and_run(page, ":style " + grass)
        style = page.locator('[data-testid="frame"]').first
        style.locator("text=node.Invitee").first.wait_for(timeout=30_000)
        assert style.locator("text=InvalidGrassError").count() == 0
        type_and_run(page, ":param zone => ({name: '晋城经开区', top: 3})")
        page.wait_for_selector("text=Successfully set your parameters", timeout=30_000)
        type_and_run(page, text)
        frame = page.locator('[data-testid="frame"]').first
        frame.locator("g.node").first.wait_for(timeout=60_000)
        page.wait_for_timeout(3_000)  # let the force layout settle before the picture
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"neo4j-browser-gap-graph-{width}.png"
        page.screenshot(path=str(shot))
        fills = node_fills(page)
        assert {"#E53935", "#FF8C1A", "#57C7E3"} <= fills, fills  # Gap, Invitee, Local
        captions = "".join(frame.locator("g.node text").all_text_contents())
        assert "LED外延片" in captions and "铁矿石" in captions and "晋钢" in captions, captions
        assert shot.stat().st_size > 10_000
        assert not errors, errors
