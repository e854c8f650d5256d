"""The report folder as its readers get it: workbook.xlsx read back with openpyxl, report.html in
headless Chromium at desktop and phone size and printed to A4, CSV outputs opened as Excel would,
hostile cells (formulas, control characters) and reproducible bytes."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from chaingraph.analysis import Options
from chaingraph.analysis.rank import rank_gaps
from chaingraph.cli import main
from chaingraph.load import load_dataset
from chaingraph.render.fmt import money3
from chaingraph.spreadsheet import csv_text, needs_quote
from tests.browser import chromium, need_chromium, open_offline
from tests.conftest import DATA, MakeData, poppler

ZONE = "晋城经开区"
SHEETS = [
    "总览",
    "全景",
    "园区对比",
    "招商清单",
    "招商矩阵",
    "招商对象",
    "供应安全",
    "环节覆盖",
    "已实现节约",
    "潜在节约",
    "本地链条",
    "供应韧性",
    "对标园区",
    "对标厂家",
]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "r"
    r = run("report", str(DATA), "--zone", ZONE, "-o", str(out))
    assert r.exit_code == 0, r.output
    return out


def rows(ws: Any) -> list[tuple[Any, ...]]:
    """Data rows of a table sheet (row 1 is its definition, row 2 the header)."""
    return list(ws.iter_rows(min_row=3, values_only=True))


def header(ws: Any) -> list[str]:
    return [c.value for c in ws[2]]


def test_workbook_sheets_formats_and_values_equal_the_json(folder: Path) -> None:
    from openpyxl import load_workbook

    data = json.loads((folder / "analysis.json").read_text(encoding="utf-8"))
    wb = load_workbook(folder / "workbook.xlsx")
    assert wb.sheetnames == SHEETS
    over = wb["总览"]
    assert over["A1"].value == f"{ZONE} 产业链本地配套报告"
    assert over["A5"].value.startswith(f"{ZONE}的产业链本地配套率为 9.7%")  # the conclusion
    figures = {r[0]: r for r in over.iter_rows(min_row=8, max_row=16, values_only=True)}
    assert figures["本地配套率"][1] == data["closure"]["local_sourcing_ratio"]
    assert figures["已实现节约（万元/年）"][1:4:2] == (1524.0, 15_240_000.0)  # 万元 shown, exact 元 beside
    assert figures["园区排名（本地配套率）"][1] == "第 5 / 5"
    assert any(r[0] == "本地配套率" and "采购总额" in str(r[1]) for r in over.iter_rows(values_only=True))  # definition
    for name in SHEETS[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "A3", name
        assert ws.auto_filter.ref == f"A2:{ws.cell(row=2, column=ws.max_column).column_letter}{max(2, ws.max_row)}"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, name
        assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.print_title_rows == "$2:$2", name
    gaps = wb["招商清单"]
    h = header(gaps)
    assert h[:6] == ["优先级", "产品", "类型", "得分", "外部采购额（万元）", "外部采购额（元，精确值）"]
    assert gaps["E3"].number_format == "#,##0.00" and gaps.column_dimensions["F"].hidden
    assert sorted((r[1], r[5]) for r in rows(gaps)) == sorted(  # 铁矿石: a raw material, supply security, not ranked
        (g["product"], g["external_demand"]) for g in data["gaps"]["gaps"] if g["product"] != "铁矿石"
    )
    assert all(r[4] == round(r[5] / 1e4, 6) for r in rows(gaps))
    assert {r[2] for r in rows(gaps)} <= {"缺链", "弱链", "空白环节"}  # Chinese values, not code words
    assert gaps["B3"].alignment.wrap_text
    real = wb["已实现节约"]
    assert [(r[1], r[2], r[7], r[11]) for r in rows(real)] == [
        (x["buyer_id"], x["product"], x["unit_saving"], x["annual_saving"]) for x in data["savings"]["realized"]
    ]
    assert real["I3"].number_format == "0.0%" and real["F3"].number_format == "#,##0.00"
    pot = wb["潜在节约"]
    assert sum(r[13] for r in rows(pot)) == pytest.approx(data["savings"]["total_potential"], abs=0.01)
    assert {r[9] for r in rows(pot)} <= {"区内市场价", "按本地配套节约率估算", "无单价，按采购额×节约率估算"}
    cov = wb["环节覆盖"]
    assert [(r[1], r[4], r[5]) for r in rows(cov)] == [
        (c["end_product"], c["stage_coverage"], "是" if c["closed"] else "否") for c in data["closure"]["chains"]
    ]
    assert len(rows(wb["本地链条"])) == len(data["closure"]["local_chains"])


def test_workbook_has_one_row_per_invitee_from_the_ranked_list(folder: Path) -> None:
    from openpyxl import load_workbook

    ranking = rank_gaps(load_dataset(DATA), opts=Options(zone=ZONE))
    ws = load_workbook(folder / "workbook.xlsx")["招商对象"]
    assert header(ws) == ["优先级", "缺口产品", "类型", "建议邀请企业", "企业ID", "所在城市", "供货份额",
                          "供货额（万元）", "供货额（元，精确值）"]  # fmt: skip
    expected = [(k, g.product, s["id"], s["share"], s["value"])
                for k, g in enumerate(ranking.ranked, 1) for s in g.invitees]  # fmt: skip
    assert [(r[0], r[1], r[4], r[6], r[8]) for r in rows(ws)] == expected
    mcu = [r for r in rows(ws) if r[1] == "MCU芯片"]  # makers, not the trader 香港恒鑫科技: its maker is unknown
    assert [(r[3], r[5]) for r in mcu] == [("深圳MCU芯片供应商(示例)", "深圳市"), ("深圳芯联微电子", "深圳市")]
    assert ws["G3"].number_format == "0.0%" and ws["H3"].number_format == "#,##0.00"


def test_outputs_are_byte_identical_between_runs(folder: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run("report", str(DATA), "--zone", ZONE, "-o", str(again)).exit_code == 0
    for name in ("workbook.xlsx", "report.html", "analysis.json", "graph.html"):
        assert (again / name).read_bytes() == (folder / name).read_bytes(), name
    with zipfile.ZipFile(again / "workbook.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
        assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2000-01-01T00:00:00Z"] * 2


def test_report_first_screen_says_the_conclusion(folder: Path) -> None:
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "低于 50% 的目标 40.3 个百分点，在数据中的 5 个园区里排第 5（中位数 31.1%）" in text
    assert "本地配套每年已节约 1,520万元" in text and "每年还可节约 1,030万元" in text
    assert "16 项改由区内供应可节约" in text  # 20 potential rows, 4 of them 0 元 (local is dearer): not counted
    # 铁矿石 from a trader is a supply-security item (raw material), no longer the top gap to invite for
    assert (
        "最需要补的三个缺口是：MCU芯片（缺链，外部采购 1.69亿元，建议邀请深圳MCU芯片供应商(示例)、深圳芯联微电子）"
        in text
    )
    assert "最需要补的 5 个缺口及招商对象" in text and "招商清单：全部 18 个缺口" in text
    assert "docs/analysis.md" not in html and "前 15" not in text and "前 30" not in text
    assert "潜在节约（16 项）" in text and "另有 4 项外地到厂价不高于区内参考价" in text
    assert "生成日期 " in text and "企业 170 行、供应关系 385 行、产业链图谱 51 行" in text


def test_target_lsr_is_the_users(tmp_path: Path) -> None:
    out = tmp_path / "t"
    assert run("report", str(DATA), "-z", ZONE, "-o", str(out), "--target-lsr", "0.05").exit_code == 0
    assert "达到 5% 的目标" in (out / "report.html").read_text(encoding="utf-8")
    r = run("report", str(DATA), "-z", ZONE, "-o", str(out), "--target-lsr", "50")
    assert r.exit_code == 2 and "50.0 is not in the range 0<=x<=1" in r.output


def test_money_in_prose_has_three_significant_digits() -> None:
    assert [money3(v) for v in (15_240_000, 10_276_400.5, 3.6e9, 99_999_999, 0.5)] == [
        "1,520万元", "1,030万元", "36.0亿元", "1.00亿元", "0.500元"]  # fmt: skip


# --- hostile cells ---------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x.example","点我")', "=cmd|' /C calc'!A0", "+86-356", "-2+3", "@SUM(1)", "\t=1"]


@pytest.fixture
def hostile(make_data: MakeData) -> Path:
    ents = [("Z1", FORMULAS[0], "Z", "=1+1"), ("Z2", FORMULAS[1], "Z", "螺丝"), ("Z3", "晋\x07钢\x1b[31m", "Z", "钢"),
            ("O1", FORMULAS[2], "@外地", FORMULAS[3]), ("O2", FORMULAS[4], "外地", "螺丝")]  # fmt: skip
    links = [("O1", "Z1", FORMULAS[3], 5000, 10, 500, 0), ("Z2", "Z1", "螺丝", 1000, 10, 100, 0),
             ("O2", "Z1", "螺丝", 1000, 10, 120, 0), ("Z3", "Z2", "钢", 800, 10, 80, 0)]  # fmt: skip
    return make_data(ents, links)


def _csv_cells(path: Path) -> list[str]:
    import csv

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), path  # a file: BOM for Excel
    return [c for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for c in row]


def _dangerous(cells: list[str]) -> list[str]:
    return [c for c in cells if needs_quote(c)]


def test_no_formula_reaches_any_csv(hostile: Path, tmp_path: Path) -> None:
    outputs = []
    for cmd in ("closure", "savings", "gaps", "leaders", "routes"):
        out = tmp_path / f"{cmd}.csv"
        r = run(cmd, str(hostile), "-z", "Z", "-f", "csv", "-o", str(out))
        assert r.exit_code == 0, r.output
        outputs.append(out)
    r = run("gaps", str(hostile), "-z", "Z", "--rank", "-f", "csv", "-o", str(tmp_path / "rank.csv"))
    assert r.exit_code == 0, r.output
    outputs.append(tmp_path / "rank.csv")
    assert run("analyze", str(hostile), "-z", "Z", "-f", "csv", "-o", str(tmp_path / "dir")).exit_code == 0
    outputs += [tmp_path / "dir" / f"{k}.csv" for k in ("closure", "savings", "gaps")]
    assert run("analyze", str(hostile), "--all-zones", "-f", "csv", "-o", str(tmp_path / "zones.csv")).exit_code == 0
    outputs.append(tmp_path / "zones.csv")
    seen = []
    for path in outputs:
        cells = _csv_cells(path)
        assert _dangerous(cells) == [], path
        seen += cells
    assert "'" + FORMULAS[3] in seen and "'@外地" in seen and "'=1+1" not in seen  # the product, the zone


def test_rejects_csv_is_formula_safe(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data([("A", "甲", "Z", "钢")], [("A", '=HYPERLINK("x")', "钢", 10)])
    rejects = tmp_path / "rej.csv"
    r = run("validate", str(folder), "--skip-bad", "--rejects", str(rejects))
    assert r.exit_code == 0, r.output
    cells = _csv_cells(rejects)
    assert '\'=HYPERLINK("x")' in cells and _dangerous(cells) == []


def test_csv_to_a_pipe_is_plain_utf8(hostile: Path) -> None:
    r = run("gaps", str(hostile), "-z", "Z", "-f", "csv")
    assert r.exit_code == 0
    assert not r.stdout_bytes.startswith(b"\xef\xbb\xbf") and r.stdout.startswith("product,kind,")
    assert "'-2+3,missing," in r.stdout


def test_numbers_stay_numbers_in_csv() -> None:
    import pandas as pd

    text = csv_text(pd.DataFrame({"name": ["-x", "a"], "value": [-1.5, 2.0], "n": [-3, 4]}))
    assert text == "name,value,n\r\n'-x,-1.5,-3\r\na,2.0,4\r\n"


@given(st.lists(st.text(max_size=12), min_size=1, max_size=5))
def test_any_text_is_inert_and_kept(cells: list[str]) -> None:
    import csv

    text = csv_text((["h"] * len(cells), [cells]))
    back = list(csv.reader(io.StringIO(text, newline="")))[1]
    assert [c for c in back if needs_quote(c)] == []
    assert back == [("'" + c if needs_quote(c) else c) for c in cells]


def test_no_formula_and_no_crash_in_the_workbook(hostile: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "rep"
    r = run("report", str(hostile), "-z", "Z", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "control characters replaced by visible symbols in" in r.output
    with zipfile.ZipFile(out / "workbook.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    wb = load_workbook(out / "workbook.xlsx")
    found = {}
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and needs_quote(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    found[cell.value] = ws.title
                if isinstance(cell.value, str):
                    assert "\x07" not in cell.value and "\x1b" not in cell.value
    assert FORMULAS[0] in found and FORMULAS[3] in found  # exact text kept, as text
    notes = [r[0] for r in wb["总览"].iter_rows(values_only=True) if r[0]]
    assert any(str(t).startswith("1 个单元格含控制字符") or "个单元格含控制字符" in str(t) for t in notes)
    assert any("按文本保存，不会作为公式执行" in str(t) for t in notes)
    names = [r[3] for r in rows(wb["已实现节约"])] + [r[0] for r in rows(wb["潜在节约"])]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "晋␇钢␛[31m" in html and "\x07" not in html and "\x1b" not in html
    assert names  # the sheets have rows to check


# --- the page in Chromium --------------------------------------------------------------------------


def _open(browser: Any, path: Path, width: int, height: int) -> tuple[Any, list[str], list[str]]:
    return open_offline(browser, path, viewport={"width": width, "height": height})


@pytest.mark.browser
def test_report_reads_at_desktop_and_phone_size(folder: Path) -> None:
    with chromium() as browser:
        for width, height in ((1440, 900), (390, 844)):
            page, requests, errors = _open(browser, folder / "report.html", width, height)
            assert requests == [] and errors == [], (width, requests, errors)
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width  # nothing sideways
            lead = page.locator("#conclusion").bounding_box()
            assert lead["y"] < 250 and lead["width"] <= width
            size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#conclusion p')).fontSize)")
            assert size >= 15, width
            smallest = page.evaluate(
                "Math.min(...[...document.querySelectorAll('table.t td, .chart .label, .card .k')]"
                ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
            )
            assert smallest >= 12.5, (width, smallest)
            if width == 1440:  # the five gaps that matter are on the first screen
                assert page.locator("#top h2").bounding_box()["y"] < height
            labels = page.locator(".chart .label")
            for k in range(labels.count()):  # long product names wrap, never cut
                el = labels.nth(k)
                assert el.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), el.inner_text()
            bars = page.locator("#gaps .chart .bar")
            widths = [bars.nth(k).bounding_box()["width"] for k in range(bars.count())]
            assert max(widths) / sorted(widths)[-2] < 3  # the 36亿 outlier is capped, small bars stay readable
            assert "超出刻度" in page.locator("#gaps .chart").inner_text()
            assert page.locator("#gaps .chart .axis span").count() >= 3
            coverage = page.locator("#coverage .chart .bar")
            assert coverage.count() == 6 and page.locator("#coverage .chart .bar.c-part").count() >= 1
            page.close()


def _pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run([poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    return [subprocess.run([poppler("pdftotext"), "-f", str(k), "-l", str(k), "-raw", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for k in range(1, n + 1)]  # fmt: skip


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.browser
def test_report_prints_on_a4_without_split_rows(folder: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    with chromium() as browser:
        page, requests, errors = _open(browser, folder / "report.html", 1440, 900)
        page.emulate_media(media="print")
        cells = page.evaluate(
            "[...document.querySelectorAll('table.t tbody tr')].map(tr => [...tr.cells].map(td => td.innerText))"
        )
        page.pdf(path=str(pdf), prefer_css_page_size=True)
        assert requests == [] and errors == []
    pages = [_flat(p) for p in _pdf_pages(pdf)]
    assert 8 <= len(pages) <= 16  # the first screen, the panorama (a page per chain), the tables
    for k, text in enumerate(pages, 1):
        assert "生成日期" in text and "数据来源" in text and f"第{k}/{len(pages)}页" in text, k
    flat_all = "".join(pages)
    for row in cells:
        first, last = _flat(row[0]), _flat(row[-1])
        on = [k for k, t in enumerate(pages) if first in t and last in t]
        assert on, f"row {row[:2]} is split across pages"
    assert "最需要补的5个缺口及招商对象" in pages[0] and "结论" in pages[0]
    assert "口径说明" in flat_all


@pytest.mark.browser
def test_report_pdf_option(tmp_path: Path) -> None:
    need_chromium()
    out = tmp_path / "p"
    r = run("report", str(DATA), "-z", ZONE, "-o", str(out), "--pdf")
    assert r.exit_code == 0, r.output
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    assert f"{out / 'report.pdf'}" in r.output


@pytest.fixture
def no_chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CHAINGRAPH_CHROMIUM", "/nonexistent/chromium")
    yield


def test_pdf_without_chromium_says_so(no_chromium: None, tmp_path: Path) -> None:
    r = run("report", str(DATA), "-z", ZONE, "-o", str(tmp_path / "x"), "--pdf")
    assert r.exit_code == 2
    assert r.output == (
        "Error: --pdf needs Chromium (or Chrome) and none was found: install it or set CHAINGRAPH_CHROMIUM.\n"
    )
    assert not (tmp_path / "x").exists()


def test_empty_sections_say_so(make_data: MakeData, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = make_data(
        [("Z1", "甲厂", "Z", "螺丝"), ("O1", "乙厂", "外地", "钢")], [("O1", "Z1", "钢", 5000, 10, 500, 0)]
    )
    out = tmp_path / "e"
    r = run("report", str(folder), "-z", "Z", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = re.sub(r"<[^>]+>", "", (out / "report.html").read_text(encoding="utf-8"))
    assert "Z的产业链本地配套率为 0.0%（区内采购 0元，占采购总额 5,000元），低于 50% 的目标 50.0 个百分点。" in text
    assert "数据中只有 Z 一个有区内采购的园区，无法与其他园区比较。" in text
    assert "数据中没有已实现节约" in text and "没有潜在节约" in text
    assert "区内还没有至少两道供应关系、全部由区内企业组成的链条。" in text
    assert "数据没有产业链图谱，环节由供应关系推导" in text
    assert "最需要补的一个缺口是：钢（缺链，外部采购 5,000元，建议邀请乙厂）。" in text
    wb = load_workbook(out / "workbook.xlsx")
    assert wb["已实现节约"]["A3"].value == "（无数据）" and wb["本地链条"]["A3"].value == "（无数据）"
