"""Neo4j Browser in headless Chromium: connect, run queries/gaps.cypher as a user would, see the rows."""

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


def test_gaps_query_in_neo4j_browser(drv: Any) -> None:  # noqa: F811
    from chaingraph.neo4j.connect import settings

    load(load_dataset(DATA), drv, replace=True)
    conn = settings()
    text = (ROOT / "queries" / "gaps.cypher").read_text(encoding="utf-8")
    http = "http://127.0.0.1:7474/browser/"
    with chromium() as browser:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  permissions=["clipboard-read", "clipboard-write"])  # fmt: skip
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(http)
        page.wait_for_selector('[data-testid="password"]', timeout=30_000)
        page.fill('[data-testid="username"]', conn.user)
        page.fill('[data-testid="password"]', conn.password)
        page.click('[data-testid="connect"]')
        page.wait_for_selector("text=You are connected as user", timeout=30_000)

        def run(query: str) -> None:
            page.evaluate("t => navigator.clipboard.writeText(t)", query)
            page.locator('[data-testid="activeEditor"]').first.click()
            page.keyboard.press("Control+A")
            page.keyboard.press("Control+V")
            page.keyboard.press("Control+Enter")

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
