"""The report's 供应韧性 and 对标 sections and their sheets, as a reader gets them: Chromium at 1440 and 390 px, openpyxl.

Figures are the hand-checked ones of tests/test_resilience.py and tests/test_peers.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph.cli import main
from tests.browser import chromium, open_offline
from tests.conftest import DATA, MakeData, write_csv
from tests.test_peers import CHAINS, LINKS
from tests.test_peers import ENT as PEER_ENT
from tests.test_resilience import ENT
from tests.test_resilience import LINKS as RES_LINKS

HOSTILE = "<b>芯片二厂</b>&amp;"  # a peer maker's name that must be shown as text


def _report(folder: Path, zone: str, out: Path) -> Path:
    r = CliRunner().invoke(main, ["report", str(folder), "--zone", zone, "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def peers_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("peers")
    ent = [(i, HOSTILE if i == "W" else n, z, p, k) for i, n, z, p, k in PEER_ENT]
    write_csv(folder / "enterprises.csv", ["id", "name", "zone", "products", "kind"], ent)
    write_csv(folder / "links.csv", ["supplier_id", "buyer_id", "product", "annual_value"], LINKS)
    write_csv(folder / "chains.csv", ["chain", "product", "input"], CHAINS)
    return _report(folder, "Z", tmp_path_factory.mktemp("out") / "r")


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _report(DATA, "晋城经开区", tmp_path_factory.mktemp("sample") / "r")


def _text(page: Any, sel: str) -> str:
    return str(page.locator(sel).inner_text())


@pytest.mark.browser
def test_sections_read_at_desktop_and_phone_size(peers_report: Path, sample_report: Path) -> None:
    with chromium() as browser:
        for width, height in ((1440, 900), (390, 844)):
            page, requests, errors = open_offline(browser, peers_report / "report.html",
                                                  viewport={"width": width, "height": height})  # fmt: skip
            assert requests == [] and errors == [], (width, requests, errors)
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width
            bench = _text(page, "#benchmark")
            assert "对标：Z与 2 个园区逐项比较" in bench
            rows = page.locator("#benchmark table.t").first.locator("tbody tr")
            assert [rows.nth(k).locator("td").nth(1).inner_text() for k in range(rows.count())] == ["P2", "P1", "Z"]
            assert page.locator("#benchmark tr.mine td").nth(1).inner_text() == "Z"
            assert f"P2：{HOSTILE}" in bench  # escaped, shown as typed
            assert page.locator("#benchmark b:has-text('芯片二厂')").count() == 0
            assert "P1：★芯片一厂" in bench and "芯片贸易" not in bench  # makers, not the trader
            assert "66.7%" in bench  # the chain's coverage in Z and in each peer
            res = _text(page, "#resilience")
            assert "供应韧性：没有只靠一家供应商的产品" not in res
            assert "单点承担的采购占比" in res
            for el in ("#benchmark", "#resilience"):
                box = page.locator(el).bounding_box()
                assert box["width"] <= width
            page.close()
            page, requests, errors = open_offline(browser, sample_report / "report.html",
                                                  viewport={"width": width, "height": height})  # fmt: skip
            assert requests == [] and errors == []
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width
            assert _text(page, "#resilience h2") == "供应韧性：12 种产品只有一家供应商，承担 73.5% 的采购额"
            assert "供应方面，12 种产品只靠一家供应商（铁矿石、LED外延片、光学胶 等），占区内采购额的 73.5%" in _text(
                page, "#conclusion"
            )
            assert page.locator("#resilience tbody tr").count() == 32
            first = page.locator("#resilience tbody tr").first.inner_text()
            assert "铁矿石" in first and "10,000 点" in first and "单一供应商" in first
            assert "对标园区中没有本园区缺口产品的生产企业" in _text(page, "#benchmark")
            page.close()


def test_resilience_figures_in_report_and_sheet(make_data: MakeData, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = _report(make_data(ENT, RES_LINKS), "Z", tmp_path / "r")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "供应韧性：1 种产品只有一家供应商，承担 28.6% 的采购额" in html
    ws = load_workbook(out / "workbook.xlsx")["供应韧性"]
    head = [c.value for c in ws[2]]
    assert head[:5] == [
        "产品",
        "采购额（万元）",
        "采购额（元，精确值）",
        "区内采购额（万元）",
        "区内采购额（元，精确值）",
    ]
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["芯片"][1:3] == (0.1, 1000) and rows["芯片"][11:14] == (10000, "是", "是")
    assert rows["钢"][11:14] == (5200, "否", "是") and rows["线缆"][11:14] == (2500, "否", "否")
    assert rows["钢"][14] == "本地钢厂 60.0%、外一 40.0%"
    assert ws.column_dimensions["C"].hidden and ws["B3"].number_format == "#,##0.00"


def test_benchmark_sheets(peers_report: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(peers_report / "workbook.xlsx")
    zs = [r for r in wb["对标园区"].iter_rows(min_row=3, values_only=True)]
    assert [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in zs] == [
        (1, "P2", None, 0.5, 0.05, 500), (2, "P1", None, 0.333333, 0.01, 100), (3, "Z", "是", 0.285714, 0.04, 400),
    ]  # fmt: skip
    assert [c.value for c in wb["对标园区"][2]][-1] == "覆盖率：链 · 桩" and zs[2][-1] == 0.666667
    makers = [r for r in wb["对标厂家"].iter_rows(min_row=3, values_only=True)]
    assert [(r[0], r[4], r[5], r[6], r[8], r[10]) for r in makers] == [
        ("芯片", "P2", HOSTILE, "W", 500, 0),
        ("芯片", "P1", "芯片一厂", "X", 400, 300),
    ]
