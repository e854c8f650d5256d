"""The Neo4j Browser guide (chaingraph neo4j guide): its blocks are the query files, they run, Browser plays it."""

from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph.cli import main
from chaingraph.load import load_dataset
from chaingraph.memory import MemoryBackend
from chaingraph.neo4j.guide import GRASS, guide_html, query_block, serve_guide
from chaingraph.neo4j.load import load
from chaingraph.results.options import Options
from tests.conftest import DATA, ROOT
from tests.test_neo4j import drv  # noqa: F401 (fixture)

ZONES = ["晋城经开区", "高平经开区"]
QUERIES = ["panorama_graph", "gaps", "gap_graph", "closure", "local_chains_graph", "savings_realized",
           "savings_potential", "leaders", "invite", "neighbourhood", "routes"]  # fmt: skip


class _Blocks(HTMLParser):
    """The text of every runnable block and the number of slides."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.slides = 0
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "slide":
            self.slides += 1
        if tag == "pre" and "runnable" in (dict(attrs).get("class") or ""):
            self._in = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.blocks[-1] += data


def blocks(page: str) -> _Blocks:
    parsed = _Blocks()
    parsed.feed(page)
    return parsed


def statements(block: str) -> list[str]:
    """A block's statements, as Browser's multi-statement editor splits them."""
    return [s.strip() for s in block.split(";\n") if s.strip()]


def test_guide_blocks_are_the_query_files() -> None:
    page = guide_html(base="http://localhost:8474", zones=ZONES)
    parsed = blocks(page)
    assert parsed.slides == 10
    cypher = [s for b in parsed.blocks for s in statements(b) if not s.startswith(":")]
    # every analysis block is a queries/ file verbatim, so the guide never drifts from what the CLI runs
    assert cypher == [query_block("zones")] + [query_block(q).split(";\n")[-1] for q in QUERIES]
    commands = [s for b in parsed.blocks for s in statements(b) if s.startswith(":")]
    assert commands[0] == f":style http://localhost:8474/{GRASS}"
    assert ":param zone => '晋城经开区'" in commands and ":param zone => '高平经开区'" in commands
    assert ":param id => 'JC-FSK'" in commands
    for zh in ("设定园区", "产业链全景图", "缺链与招商对象", "节约", "链主", "上下游"):
        assert zh in page
    for en in ("Set the zone", "The chain panorama", "Gaps and whom to invite", "Savings", "Chain leaders",
               "A firm's neighbourhood"):  # fmt: skip
        assert en in page


def test_zone_names_are_quoted_for_cypher() -> None:
    page = guide_html(base="http://localhost:1", zones=["O'Hare \\ 区"])
    assert ":param zone => 'O\\'Hare \\\\ 区'" in blocks(page).blocks


def test_guide_server_serves_the_guide_and_style_with_cors() -> None:
    with serve_guide(port=0, zones=ZONES) as server:
        assert server.url == f"http://localhost:{server.port}/chaingraph.html"
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/chaingraph.html") as resp:
            assert resp.headers["Access-Control-Allow-Origin"] == "*"
            assert "招商产业链导览" in resp.read().decode("utf-8")
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/chaingraph.grass") as resp:
            assert resp.read() == (ROOT / "queries" / "chaingraph.grass").read_bytes()
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/../pyproject.toml")
        assert err.value.code == 404


def test_cli_writes_the_guide_for_another_server(tmp_path: Path) -> None:
    out = tmp_path / "g"
    res = CliRunner().invoke(main, ["neo4j", "guide", "--write", str(out), "--base-url", "https://guides.example.cn/cg",
                                    "--uri", "bolt://127.0.0.1:1", "--password", "x"])  # fmt: skip
    assert res.exit_code == 0, res.output
    page = (out / "chaingraph.html").read_text(encoding="utf-8")
    assert ":style https://guides.example.cn/cg/chaingraph.grass" in page
    assert ":param zone =&gt; '晋城经开区'" in page  # no database reachable: the sample's zone as the example
    assert (out / "chaingraph.grass").read_bytes() == (ROOT / "queries" / "chaingraph.grass").read_bytes()


@pytest.mark.neo4j
def test_guide_queries_run(drv: Any) -> None:  # noqa: F811
    """Every block of the guide, in order, as a user clicks through it: each statement runs and answers."""
    load(load_dataset(DATA), drv, replace=True)
    params: dict[str, Any] = {}
    answered: dict[str, int] = {}
    for block in blocks(guide_html(base="http://localhost:8474", zones=ZONES)).blocks:
        for stmt in statements(block):
            if stmt.startswith(":param "):
                name, expr = stmt[len(":param ") :].split(" => ", 1)
                if name == "zone" and "zone" in params and expr.startswith("'"):
                    continue  # the user clicks one zone: the first
                params[name] = drv.execute_query(f"RETURN {expr} AS v").records[0]["v"]
                continue
            if stmt.startswith(":"):
                continue  # :style, tried in Browser below
            rows = drv.execute_query(stmt, params).records
            answered[stmt] = len(rows)
    assert params["zone"] == {"name": "晋城经开区", "product": "功率模块"}  # the last zone block clicked
    by_file = {q: answered[query_block(q).split(";\n")[-1]] for q in QUERIES}
    assert all(n > 0 for n in by_file.values()), by_file
    assert answered[query_block("zones")] == len(MemoryBackend(load_dataset(DATA)).zones(scope="zone"))
    # the guide's gap rows are the CLI's: the same file with the same zone
    mem = MemoryBackend(load_dataset(DATA)).gaps(opts=Options(zone="晋城经开区", include_planned=True))
    assert by_file["gaps"] == len(mem.gaps)


@pytest.mark.neo4j
@pytest.mark.browser
def test_guide_plays_in_neo4j_browser(drv: Any) -> None:  # noqa: F811
    """:play the served guide, apply the style and set the zone from its blocks, draw the panorama."""
    from tests.browser import chromium
    from tests.test_neo4j_browser import ARTIFACTS, connect, node_fills, type_and_run

    load(load_dataset(DATA), drv, replace=True)
    with serve_guide(port=0, zones=ZONES) as server, chromium() as browser:
        page, errors = connect(browser, width=1440, height=900)
        type_and_run(page, f":play {server.url}")
        guide = page.locator('[data-testid="frame"]', has=page.locator('[data-testid="nextSlide"]'))
        guide.locator("text=招商产业链导览").wait_for(timeout=30_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "neo4j-browser-guide.png"))

        def click_and_run(text: str) -> None:
            guide.locator("pre.runnable", has_text=text).first.click()
            editor = page.locator('[data-testid="activeEditor"]').first
            assert text in editor.inner_text().replace("\xa0", " ")
            editor.click()
            page.keyboard.press("Control+Enter")

        click_and_run(":style")
        page.locator('[data-testid="frame"]').first.locator("text=node.Invitee").wait_for(timeout=30_000)
        guide.locator('[data-testid="nextSlide"]').click()
        click_and_run(":param zone => '晋城经开区'")
        page.wait_for_selector("text=Successfully set your parameters", timeout=30_000)
        guide.locator('[data-testid="nextSlide"]').click()
        click_and_run("MATCH (p:Product)-[ic:IN_CHAIN]->(c:Chain)")
        frame = page.locator('[data-testid="frame"]').first
        frame.locator("g.node").first.wait_for(timeout=60_000)
        page.wait_for_timeout(3_000)
        page.screenshot(path=str(ARTIFACTS / "neo4j-browser-guide-panorama.png"))
        fills = node_fills(page)
        assert {"#4CAF50", "#E53935", "#37474F", "#57C7E3"} <= fills, fills  # strong, missing, chain, local maker
        assert not errors, errors
