"""The gap matrix in the report (a self-contained SVG scatter and its table) and in the workbook (招商矩阵)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph.analysis.matrix import gap_matrix
from chaingraph.cli import main
from chaingraph.load import load_dataset
from chaingraph.render.matrix_chart import matrix_svg
from chaingraph.results.options import Options
from tests.browser import chromium, open_offline
from tests.conftest import DATA, L_HEAD, write_csv

ZONE = "晋城经开区"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mreport") / "r"
    r = CliRunner().invoke(main, ["report", str(DATA), "--zone", ZONE, "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


def test_report_has_the_matrix_section(folder: Path) -> None:
    html = (folder / "report.html").read_text(encoding="utf-8")
    m = gap_matrix(load_dataset(DATA), opts=Options(zone=ZONE))
    section = html[html.index('<section id="matrix">') : html.index("</section>", html.index('<section id="matrix">'))]
    assert section.count("<circle") == len(m.rows) == 18
    for label in ("近期可招", "重点攻坚", "储备", "暂缓"):
        assert label in section
    assert "18 个缺口：近期可招 9 个，重点攻坚 0 个，储备 3 个，暂缓 6 个。" in section
    # the table: MCU芯片's density, its first drivers, value kept local 16,908.00 万元, output 25,362.00 万元
    assert re.search(r"MCU芯片.*?0\.404.*?LED封装（0\.50）.*?16,908\.00.*?25,362\.00", section)
    assert "资源型原材料（铁矿石）列为供应安全" in section
    assert "http" not in section.replace("http://www.w3.org/2000/svg", "")  # nothing to fetch


def test_gap_tables_show_the_quadrant(folder: Path) -> None:
    html = (folder / "report.html").read_text(encoding="utf-8")
    top = html[html.index('<section id="top">') : html.index('<section id="panorama">')]
    assert top.count('class="q q-near_term"') == 5  # the first five of the ranked list are all 近期可招
    gaps = html[html.index('<section id="gaps">') : html.index('<section id="matrix">')]
    assert gaps.count('class="q q-') == 18


def test_names_are_escaped_in_the_chart(tmp_path: Path) -> None:
    """A product named like markup stays text in the SVG (the dot's title) and the table."""
    d = tmp_path / "h"
    d.mkdir()
    write_csv(d / "enterprises.csv", ["id", "name", "zone", "products"],
              [("Z1", "甲", "Z", "x"), ("A1", "乙", "A", "<b>g</b>&x;x"), ("B1", "丙", "B", "<b>g</b>&x")])  # fmt: skip
    write_csv(d / "links.csv", L_HEAD, [("A1", "Z1", "<b>g</b>&x", 100, "", "", "", "")])
    m = gap_matrix(load_dataset(d), opts=Options(zone="Z"))
    svg = matrix_svg(m, title='区 "<z>"')
    assert "<b>" not in svg and "&lt;b&gt;g&lt;/b&gt;&amp;x" in svg and "&lt;z&gt;" in svg
    out = tmp_path / "r"
    r = CliRunner().invoke(main, ["report", str(d), "--zone", "Z", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "<b>g</b>" not in (out / "report.html").read_text(encoding="utf-8")


def test_workbook_matrix_sheet_equals_the_matrix(folder: Path) -> None:
    from openpyxl import load_workbook

    m = gap_matrix(load_dataset(DATA), opts=Options(zone=ZONE))
    wb = load_workbook(folder / "workbook.xlsx")
    ws = wb["招商矩阵"]
    head = [c.value for c in ws[2]]
    assert head[:5] == ["编号", "产品", "类型", "象限", "关联密度"]
    body = list(ws.iter_rows(min_row=3, values_only=True))
    col = {h: k for k, h in enumerate(head)}
    assert [(r[1], r[3], r[4], r[col["补链可留本地（元，精确值）"]], r[col["带动就业（人）"]]) for r in body] == [
        (x.product, {"near_term": "近期可招", "key_push": "重点攻坚", "reserve": "储备", "defer": "暂缓"}[x.quadrant],
         x.density, x.value_kept, x.jobs) for x in m.rows
    ]  # fmt: skip
    assert ws.cell(row=3, column=5).number_format == "0.000"
    assert ws.column_dimensions[ws.cell(row=2, column=col["补链可留本地（元，精确值）"] + 1).column_letter].hidden
    ranked = wb["招商清单"]
    rhead = [c.value for c in ranked[2]]
    data = json.loads((folder / "analysis.json").read_text(encoding="utf-8"))
    quadrant = {g["product"]: g["quadrant"] for g in data["gaps"]["gaps"]}
    labels = {"near_term": "近期可招", "key_push": "重点攻坚", "reserve": "储备", "defer": "暂缓"}
    k = rhead.index("象限")
    assert all(r[k] == labels[quadrant[r[1]]] for r in ranked.iter_rows(min_row=3, values_only=True))


@pytest.mark.browser
def test_matrix_chart_reads_at_desktop_and_phone_size(folder: Path) -> None:
    with chromium() as browser:
        for width, height in ((1440, 900), (390, 844)):
            page, requests, errors = open_offline(browser, folder / "report.html",
                                                  viewport={"width": width, "height": height})  # fmt: skip
            assert requests == [] and errors == [], (width, requests, errors)
            svg: Any = page.locator("#matrix svg.matrix-svg")
            box = svg.bounding_box()
            assert box["width"] <= width - 20 and box["width"] >= min(width - 40, 340), (width, box)
            # the smallest text of the chart (tick labels) is at least 9.5 px high on a phone
            smallest = page.evaluate(
                "Math.min(...[...document.querySelectorAll('#matrix svg text')].map(t => t.getBoundingClientRect().height))"
            )
            assert smallest >= 9.5, (width, smallest)
            assert page.locator("#matrix svg circle").count() == 18
            assert page.locator("#matrix svg circle title").first.text_content().startswith("1. MCU芯片")
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width
            page.close()


def test_conclusion_names_the_gaps_to_land_first(folder: Path) -> None:
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert (
        "按招商矩阵，可行又有吸引力、可近期招引的有MCU芯片、图像传感器、LED外延片 等 9 个（补链后每年可留在本地 10.6亿元，按新厂承接区内现有外购的 100% 估算）。"
        in html
    )
