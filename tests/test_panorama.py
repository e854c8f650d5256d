"""The chain panorama (产业链全景图): hand-checked figures, the derived form, large maps, hostile names, the page."""

from __future__ import annotations

import csv
import itertools
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph.analysis import Options, gaps
from chaingraph.analysis.panorama import panorama
from chaingraph.cli import main
from chaingraph.load import load_dataset
from chaingraph.render.panorama import panorama_fragment, sheet, write_panorama
from chaingraph.results.panorama import Panorama, PanoramaChain
from tests.browser import chromium
from tests.browser import open_offline as browser_open
from tests.conftest import DATA, MakeData, poppler

JC = Options(zone="晋城经开区")
ZONES = ["晋城经开区", "高平经开区", "临汾经开区", "上党经开区", "临猗现代农业产业示范区"]


def chain(p: Panorama, name: str | None) -> PanoramaChain:
    return next(c for c in p.chains if c.chain == name)


def open_offline(browser: Any, path: Path, **context: Any) -> tuple[Any, list[str], list[str]]:
    """The page opened offline (tests.browser.open_offline), once the panorama says it is ready."""
    return browser_open(browser, path, ready="window.chaingraphPanorama && window.chaingraphPanorama.ready", **context)


# ---------------------------------------------------------------- the sample's 充电桩 chain, checked by hand


def test_charging_pile_chain_by_hand() -> None:
    """Every stage of 充电桩 in 晋城经开区, figures computed by hand from data/links.csv (active links)."""
    c = chain(panorama(load_dataset(DATA), opts=JC), "充电桩")
    assert c.end_products == ("充电桩",) and not c.derived
    got = [(s.product, s.segment, s.segment_derived, s.status, s.reason, [(m.id, m.sales, m.leader) for m in s.makers],
            s.local_demand, s.outside_value, s.outside_share, [(x.id, x.city, x.share, x.value) for x in s.invite],
            s.inputs) for s in c.stages]  # fmt: skip
    assert got == [
        # LF-KS → 晋钢 3.6e9; no maker in the zone
        ("铁矿石", "上游", False, "missing", "missing", [], 3.6e9, 3.6e9, 1.0, [("LF-KS", "廊坊市", 1.0, 3.6e9)], ()),
        # 晋钢 lists 钢坯 and supplies it to 富士康 on a link of value 0: one maker, no demand priced
        ("钢坯", "上游", False, "weak", "one_maker", [("JC-JG", 0.0, True)], 0.0, 0.0, None, [], ("铁矿石",)),
        # HK-HX 130M to 中科创源; EX-043 5.2+4.2+12.7+0.5+14.2 = 36.8M; SZ-MCU 60000 × 38 = 2.28M
        ("MCU芯片", "上游", False, "missing", "missing", [], 169_080_000.0, 169_080_000.0, 1.0,
         [("HK-HX", "香港", 0.768867, 130_000_000.0), ("EX-043", "深圳市", 0.217648, 36_800_000.0),
          ("SZ-MCU", "深圳市", 0.013485, 2_280_000.0)], ()),
        # EX-042 12.8+18.2+8.7+6.6 = 46.3M; SZ-PCB 60000 × 210 + 300000 × 35 = 23.1M
        ("PCB板", "上游", False, "missing", "missing", [], 69_400_000.0, 69_400_000.0, 1.0,
         [("EX-042", "深圳市", 0.667147, 46_300_000.0), ("SZ-PCB", "深圳市", 0.332853, 23_100_000.0)], ()),
        # 晋钢 → 富士康 24000 × 4650 = 111.6M local; EX-040 15.4+14.3+6.6 = 36.3M outside: 24.5% < 50%, one maker
        ("冷轧薄板", "上游", False, "weak", "one_maker", [("JC-JG", 111_600_000.0, True)], 147_900_000.0, 36_300_000.0,
         0.245436, [("EX-040", "深圳市", 1.0, 36_300_000.0)], ("钢坯",)),
        ("充电枪线缆", "中游", False, "missing", "missing", [], 19_600_000.0, 19_600_000.0, 1.0,
         [("DG-LX", "东莞市", 1.0, 19_600_000.0)], ()),
        # 富士康 → 英特丽 20000 × 2820; the former 深圳 link does not count
        ("充电桩箱体", "中游", False, "weak", "one_maker", [("JC-FSK", 56_400_000.0, True)], 56_400_000.0, 0.0, 0.0, [],
         ("冷轧薄板",)),
        # SZ-YY 20000 × 6900 = 138M, HK-HX 4000 × 6500 = 26M
        ("功率模块", "中游", False, "missing", "missing", [], 164_000_000.0, 164_000_000.0, 1.0,
         [("SZ-YY", "深圳市", 0.841463, 138_000_000.0), ("HK-HX", "香港", 0.158537, 26_000_000.0)], ()),
        # X13 8M + 40.9M, X06 9.9M + 26.6M, 英特丽 lists it: three makers, 富士康 buys its 8M locally
        ("控制板", "中游", False, "strong", "strong",
         [("JC-X13", 48_900_000.0, False), ("JC-X06", 36_500_000.0, False), ("JC-YTL", 0.0, True)],
         8_000_000.0, 0.0, 0.0, [], ("MCU芯片", "PCB板")),
        # 英特丽 9000 × 16800 + 8000 × 16500 to buyers outside; nobody in the zone buys it
        ("充电桩", "下游", False, "weak", "one_maker", [("JC-YTL", 283_200_000.0, True)], 0.0, 0.0, None, [],
         ("充电枪线缆", "充电桩箱体", "功率模块", "控制板")),
    ]  # fmt: skip
    cold = next(s for s in c.stages if s.product == "冷轧薄板")
    assert [(b.id, b.value, b.local_value) for b in cold.buyers] == [
        ("JC-FSK", 111_600_000.0, 111_600_000.0), ("JC-X02", 15_400_000.0, 0.0), ("JC-X06", 14_300_000.0, 0.0),
        ("JC-X11", 6_600_000.0, 0.0),
    ]  # fmt: skip
    assert cold.outputs == ("充电桩箱体",) and cold.dependents == ("充电桩", "充电桩箱体")
    assert c.counts == {"strong": 1, "weak": 4, "missing": 5, "empty": 0}


@pytest.mark.parametrize("zone", ZONES)
def test_stages_agree_with_the_gap_list(zone: str) -> None:
    """One rule: every gap of the zone's chain map is a stage with the same figures, status and invitees."""
    ds = load_dataset(DATA)
    opts = Options(zone=zone)
    p = panorama(ds, opts=opts)
    rows = {g.product: g for g in gaps(ds, opts=opts).gaps}
    expect = {"missing": "missing", "empty": "empty", "weak": "weak"}
    seen: set[str] = set()
    for c in p.chains:
        for s in c.stages:
            g = rows.get(s.product)
            if g is None:
                assert s.status in ("strong", "weak") and s.gap_kind is None and len(s.makers) >= 1
                continue
            seen.add(s.product)
            assert (s.status, s.gap_kind) == (expect[g.kind], g.kind)
            assert (s.local_demand, s.outside_value, s.outside_share) == (g.local_purchase, g.external_demand,
                                                                          g.outside_share)  # fmt: skip
            assert [m.id for m in s.makers] == list(g.local_makers)
            assert [(x.id, x.name, x.zone, x.value, x.share) for x in s.suppliers] == [
                (x["id"], x["name"], x["zone"], x["value"], x["share"]) for x in g.suppliers
            ]
            assert s.invite == (s.suppliers if s.status in ("weak", "missing") else ())
            assert s.dependents == g.dependents
    assert seen == {g.product for g in rows.values() if g.chains}  # every chain-map gap is on the panorama


def test_segments_derived_where_chains_csv_has_none(tmp_path: Path) -> None:
    """Without a segment column every stage's segment is derived from depth; on 充电桩 it equals the map's."""
    folder = tmp_path / "d"
    folder.mkdir()
    for name in ("enterprises.csv", "links.csv"):
        (folder / name).write_bytes((DATA / name).read_bytes())
    with (
        (DATA / "chains.csv").open(encoding="utf-8") as src,
        (folder / "chains.csv").open("w", encoding="utf-8") as out,
    ):
        w = csv.writer(out, lineterminator="\n")
        for row in csv.reader(src):
            w.writerow(row[:3])
    given = {s.product: s.segment for s in chain(panorama(load_dataset(DATA), opts=JC), "充电桩").stages}
    derived = chain(panorama(load_dataset(folder), opts=JC), "充电桩")
    assert all(s.segment_derived for s in derived.stages)
    assert {s.product: s.segment for s in derived.stages} == given
    # in the sample itself, 图像传感器 is an input of 触摸屏 with no row of its own there: derived, flagged
    sensor = next(s for s in chain(panorama(load_dataset(DATA), opts=JC), "触摸屏").stages if s.product == "图像传感器")
    assert (sensor.segment, sensor.segment_derived, sensor.segment_given) == ("中游", True, "")


# ---------------------------------------------------------------- without chains.csv


def derived_data(make_data: MakeData) -> Path:
    """钢 → 板 → 机 through the firms of Z = 园区 (A makes 板, B and C make 机); 矿 only outside, and at 0 元 to B."""
    ents = [("A", "板厂", "园区", "板"), ("B", "机厂", "园区", "机"), ("C", "机二厂", "园区", "机"),
            ("O", "外地钢厂", "外地", "钢"), ("M", "外地矿山", "外地", "矿"), ("X", "外地客户", "外地", "")]  # fmt: skip
    links = [("M", "O", "矿", 500), ("O", "A", "钢", 100), ("A", "B", "板", 50), ("B", "X", "机", 200),
             ("C", "X", "机", 30), ("M", "B", "矿", 0)]  # fmt: skip
    return make_data(ents, links)


def test_derived_panorama_without_chains_csv(make_data: MakeData) -> None:
    p = panorama(load_dataset(derived_data(make_data)), opts=Options(zone="园区"))
    assert p.basis == "derived" and p.to_dict()["note"]
    assert [(c.chain, c.derived, c.end_products) for c in p.chains] == [(None, True, ("机",))]
    got = [(s.product, s.segment, s.segment_derived, s.level, s.status, s.reason, [m.id for m in s.makers],
            s.local_demand, [x.id for x in s.invite], s.inputs) for s in p.chains[0].stages]  # fmt: skip
    assert got == [
        ("钢", "上游", True, 2, "missing", "missing", [], 100.0, ["O"], ()),  # what O buys (矿) is not Z's flow
        ("板", "中游", True, 1, "weak", "one_maker", ["A"], 50.0, [], ("钢",)),
        ("矿", "中游", True, 1, "empty", "empty", [], 0.0, [], ()),  # B's sample of 矿 at 0 元: no maker, no demand
        ("机", "下游", True, 0, "strong", "strong", ["B", "C"], 0.0, [], ("板", "矿")),
    ]


def test_derived_page_says_so(make_data: MakeData, tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    r = CliRunner().invoke(main, ["panorama", str(derived_data(make_data)), "--zone", "园区", "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "机（推导链条）" in html and "未提供 chains.csv" in html and html.count(">推导</span>") == 4


# ---------------------------------------------------------------- the CLI, JSON, CSV and the sheet


def test_cli_formats(tmp_path: Path) -> None:
    run = CliRunner().invoke
    out = tmp_path / "panorama.html"
    r = run(main, ["panorama", str(DATA), "--zone", "晋城经开区", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"wrote {out} (5 chains, 37 stages)")
    html = out.read_text(encoding="utf-8")
    assert html.count('class="cg-stage ') == 37 and "生成日期" in html and "企业 170 行" in html
    r = run(main, ["panorama", str(DATA), "--zone", "晋城经开区", "-f", "json"])
    assert r.exit_code == 0
    assert json.loads(r.stdout) == json.loads(json.dumps(panorama(load_dataset(DATA), opts=JC).to_dict()))
    r = run(main, ["panorama", str(DATA), "--zone", "晋城经开区", "-f", "csv"])
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert len(rows) == 37 and rows[0]["chain"] == "LED" and rows[0]["stage"] == "蓝宝石衬底"
    pile = [x for x in rows if x["chain"] == "充电桩"]
    assert [x["status"] for x in pile] == ["缺", "弱", "缺", "缺", "弱", "缺", "弱", "缺", "强", "弱"]
    r = run(main, ["panorama", str(DATA), "--zone", "晋城经开区", "-f", "table"])
    assert r.exit_code == 0 and "充电桩产业链" in r.output and "[" not in r.output  # no markup printed as text
    r = run(main, ["panorama", str(DATA), "--zone", "晋城经开区", "-o", str(DATA / "links.csv")])
    assert r.exit_code == 2 and "links.csv" in r.output  # an input file is never overwritten
    r = run(main, ["panorama", str(DATA), "--zone", "晋城"])
    assert r.exit_code == 2 and r.output.startswith("Error: unknown zone '晋城'. The data has: 晋城市、晋城经开区、")


def test_sheet_rows() -> None:
    p = panorama(load_dataset(DATA), opts=JC)
    head, rows = sheet(p)
    assert len(rows) == sum(len(c.stages) for c in p.chains) and len(head) == len(rows[0])
    col = {h: i for i, (h, _) in enumerate(head)}
    power = next(r for r in rows if r[0] == "充电桩" and r[1] == "功率模块")
    assert power[col["状态 status"]] == "缺" and power[col["外购占比 outside share"]] == 1.0
    assert power[col["招商对象(所在地, 份额, 年供应额) invitees"]] == (
        "深圳英源电气(深圳市, 84%, 1.38亿元)、厂家未知（经 香港恒鑫科技）(—, 16%, 2,600万元)"
    )
    assert power[col["外地采购额(元) bought outside"]] == 164_000_000.0
    cold = next(r for r in rows if r[1] == "冷轧薄板")
    assert cold[col["本地企业(★链主) local makers"]] == "晋钢★"


# ---------------------------------------------------------------- large maps


def large_data(make_data: MakeData) -> Path:
    """A chain of 40 stages S01 → … → S40 and 300 makers of S20 in the zone."""
    stages = [f"S{k:02d}" for k in range(1, 41)]
    ents: list[tuple[object, ...]] = [
        ("OUT", "外地供应商", "外地", ";".join(stages)),
        ("BUY", "区内总装厂", "大园区", "S40"),
    ]
    ents += [(f"F{k:03d}", f"配套厂{k:03d}", "大园区", "S20") for k in range(300)]
    links: list[tuple[object, ...]] = [("OUT", "BUY", s, 1000 * (k + 1)) for k, s in enumerate(stages[:-1])]
    links += [(f"F{k:03d}", "BUY", "S20", 10_000 + k) for k in range(300)]
    chains = [("长链", stages[0], "")] + [("长链", b, a) for a, b in itertools.pairwise(stages)]
    return make_data(ents, links, chains)


def test_large_chain_analysis(make_data: MakeData) -> None:
    p = panorama(load_dataset(large_data(make_data)), opts=Options(zone="大园区"))
    c = chain(p, "长链")
    assert [s.product for s in c.stages] == [f"S{k:02d}" for k in range(1, 41)]
    assert [s.level for s in c.stages] == list(range(39, -1, -1))
    s20 = next(s for s in c.stages if s.product == "S20")
    assert len(s20.makers) == 300 and s20.makers[0].id == "F299" and s20.status == "strong"
    assert {s.segment for s in c.stages} == {"上游", "中游", "下游"}


@pytest.mark.browser
def test_large_chain_page_stays_readable(make_data: MakeData, tmp_path: Path) -> None:
    p = panorama(load_dataset(large_data(make_data)), opts=Options(zone="大园区"))
    html = write_panorama(p, tmp_path / "big.html", source="test", generated="2026-12-01")
    with chromium() as browser:
        for size in ({"width": 1440, "height": 900}, {"width": 390, "height": 844}):
            page, requests, errors = open_offline(browser, html, viewport=size)
            assert page.locator(".cg-stage").count() == 40
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]  # nothing sticks out
            box = page.locator('.cg-stage[data-k="19"]')
            text = box.inner_text()
            assert "S20" in text and "配套厂299" in text and "还有 297 家" in text and "配套厂000" not in text
            assert box.bounding_box()["height"] < 260  # the 300 names are not in the box
            box.click()
            panel = page.locator(".cg-detail")
            assert panel.is_visible() and "本地生产企业（300）" in panel.inner_text()
            assert panel.locator("table").first.locator("tbody tr").count() == 300
            assert requests == [] and errors == []
        page.emulate_media(media="print")
        pdf = tmp_path / "big.pdf"
        page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
    pages = pdf_pages(pdf)
    assert 2 <= len(pages) <= 12
    for k in range(2, 40):  # a box's first and last lines are on one page: no stage is split
        first = [i for i, t in enumerate(pages) if f"← S{k - 1:02d}" in t]
        last = [i for i, t in enumerate(pages) if f"→ S{k + 1:02d}" in t]
        assert len(first) == len(last) == 1 and first == last, k


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        [poppler("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


# ---------------------------------------------------------------- the page in Chromium

HOSTILE = [
    "<script>window.__pwned = 1</script>",
    "</script><script>window.__pwned = 2</script>",
    '"><img src=x onerror="window.__pwned=3">',
    "' onmouseover='window.__pwned=4' x='",
    "<svg onload=window.__pwned=5>",
    "&lt;b&gt;实体&amp;",
]


@pytest.mark.browser
def test_hostile_names_stay_inert(make_data: MakeData, tmp_path: Path) -> None:
    zone = "园区" + HOSTILE[3]
    ents = [("A", HOSTILE[0], zone, HOSTILE[2]), ("B", HOSTILE[1], zone, HOSTILE[4]),
            ("C", HOSTILE[4], "外地" + HOSTILE[2], HOSTILE[5])]  # fmt: skip
    links = [("A", "B", HOSTILE[2], 1000), ("C", "B", HOSTILE[5], 3000), ("C", "A", HOSTILE[5], 500)]
    folder = make_data(
        ents, links, [("链" + HOSTILE[1], HOSTILE[2], HOSTILE[5]), ("链" + HOSTILE[1], HOSTILE[4], HOSTILE[2])]
    )
    out = tmp_path / "p.html"
    r = CliRunner().invoke(main, ["panorama", str(folder), "--zone", zone, "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert html.count("<script") == 2  # the data block and the page's own script, nothing from a name
    with chromium() as browser:
        page, requests, errors = open_offline(browser, out)
        text = page.locator("body").inner_text()
        for name in HOSTILE:
            assert name in text  # shown as text
        page.locator(".cg-stage").filter(has_text=HOSTILE[5]).first.click()
        detail = page.locator(".cg-detail").inner_text()
        assert HOSTILE[4] in detail and "外地" + HOSTILE[2] in detail and HOSTILE[0] in detail
        page.locator(".cg-stage").filter(has_text="<img").first.hover()
        assert page.evaluate("window.__pwned") is None
        assert page.locator("img, svg[onload], .cg-pano b:text-is('实体')").count() == 0
        assert requests == [] and errors == []


@pytest.mark.browser
def test_click_and_tap_open_the_details(tmp_path: Path) -> None:
    out = write_panorama(
        panorama(load_dataset(DATA), opts=JC), tmp_path / "p.html", source="data", generated="2026-12-01"
    )
    with chromium() as browser:
        page, requests, errors = open_offline(browser, out)
        assert page.locator(".cg-detail").is_hidden()
        page.locator(".cg-stage", has=page.locator(".cg-name", has_text=re.compile("^冷轧薄板$"))).click()
        panel = page.locator(".cg-detail")
        assert panel.is_visible()
        tables = panel.locator("table")
        rows = [[c.strip() for c in r.locator("td").all_inner_texts()] for r in tables.nth(0).locator("tbody tr").all()]
        assert rows == [["晋钢", "★ 链主", "1.12亿元"]]
        buyers = [r.locator("td").all_inner_texts() for r in tables.nth(1).locator("tbody tr").all()]
        assert buyers[0] == ["富士康(晋城)", "1.12亿元", "1.12亿元"] and len(buyers) == 4
        sups = [r.locator("td").all_inner_texts() for r in tables.nth(2).locator("tbody tr").all()]
        assert sups == [["深圳冷轧薄板供应商(示例)", "深圳市", "100.0%", "3,630万元"]]
        assert "招商对象（生产企业，贸易商背后的厂家已追溯）（1）" in panel.inner_text()
        assert "现有外地供应商（含贸易商）（1）" in panel.inner_text() and "依赖它的本地产品" in panel.inner_text()
        assert "充电桩箱体" in panel.locator(".cg-chips").last.inner_text()
        # what feeds what: its input and its output are marked on the map
        assert page.locator(".cg-stage.cg-feed .cg-name").all_inner_texts() == ["钢坯"]
        assert page.locator(".cg-stage.cg-out .cg-name").all_inner_texts() == ["充电桩箱体"]
        panel.locator(".cg-chips button", has_text="钢坯").click()  # follow the chain upstream
        assert panel.locator("h2").inner_text().startswith("钢坯")
        page.keyboard.press("Escape")
        assert panel.is_hidden()
        assert requests == [] and errors == []
        phone, requests, errors = open_offline(browser, out, viewport={"width": 390, "height": 844}, has_touch=True,
                                               is_mobile=True)  # fmt: skip
        phone.locator(".cg-stage", has=phone.locator(".cg-name", has_text=re.compile("^功率模块$"))).tap()
        detail = phone.locator(".cg-detail")
        assert detail.is_visible() and "深圳英源电气" in detail.inner_text() and "1.38亿元" in detail.inner_text()
        assert detail.bounding_box()["width"] <= 390
        assert requests == [] and errors == []


@pytest.mark.browser
def test_print_a4_landscape_one_chain_per_page(tmp_path: Path) -> None:
    out = write_panorama(panorama(load_dataset(DATA), opts=JC), tmp_path / "p.html", source="数据来源 data：企业 170 行",
                         generated="2026-12-01")  # fmt: skip
    with chromium() as browser:
        page, _, _ = open_offline(browser, out)
        pdf = tmp_path / "p.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run([poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.92 x 594.96" in info  # A4 landscape from the page's own @page rule
    pages = pdf_pages(pdf)
    starts = {}
    for name in ("LED", "充电桩", "智能家居", "机器人", "触摸屏"):
        starts[name] = next(i for i, t in enumerate(pages) if re.search(rf"^\s*{name}产业链\s*$", t, re.M))
        head = pages[starts[name]]
        assert "生成日期 2026-12-01" in head and "数据来源 data" in head  # date and source on each chain's page
    assert len(set(starts.values())) == 5  # each chain starts its own page
    assert "环节清单" in "".join(pages)  # the stage list is printed even though it is folded on screen


def test_fragment_for_embedding() -> None:
    f = panorama_fragment(panorama(load_dataset(DATA), opts=JC))
    assert f.html.startswith('<section class="cg-pano"') and f.html.endswith("</section>")
    assert "<html" not in f.html and ".cg-pano" in f.css and "chaingraphPanorama" in f.js


# ---------------------------------------------------------------- inside the report folder (issue 16's report and workbook)


def test_workbook_panorama_sheet_equals_the_analysis(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "rep"
    r = CliRunner().invoke(main, ["report", str(DATA), "--zone", "晋城经开区", "-o", str(out)])
    assert r.exit_code == 0, r.output
    ws = load_workbook(out / "workbook.xlsx")["全景"]
    head = [c.value for c in ws[2]]
    rows = [dict(zip(head, row, strict=True)) for row in ws.iter_rows(min_row=3, values_only=True)]
    p = panorama(load_dataset(DATA), opts=JC)
    stages = [(c.chain, s) for c in p.chains for s in c.stages]
    labels = {"strong": "强", "weak": "弱", "missing": "缺", "empty": "空白"}
    assert len(rows) == len(stages) == 37  # one row per chain × stage
    for row, (name, s) in zip(rows, stages, strict=True):
        assert (row["产业链"], row["环节"], row["位置"], row["状态"]) == (name, s.product, s.segment, labels[s.status])
        assert (row["本地企业数"], row["招商对象数"]) == (len(s.makers), len(s.targets))
        assert row["外购占比"] == s.outside_share
        assert row["区内需求（元，精确值）"] == s.local_demand and row["外地采购额（元，精确值）"] == s.outside_value
        for x in s.targets:
            assert x.name in row["招商对象(所在地, 份额, 年供应额)"]
        if s.supply_security:
            assert row["招商对象(所在地, 份额, 年供应额)"] == "供应安全项（资源型原材料，不作招商对象）"


@pytest.mark.browser
def test_report_panorama_opens_details(tmp_path: Path) -> None:
    out = tmp_path / "rep"
    assert CliRunner().invoke(main, ["report", str(DATA), "-z", "晋城经开区", "-o", str(out)]).exit_code == 0
    with chromium() as browser:
        page, requests, errors = open_offline(browser, out / "report.html")
        assert page.locator("#panorama .cg-stage").count() == 37
        page.locator(".cg-stage", has=page.locator(".cg-name", has_text=re.compile("^功率模块$"))).click()
        panel = page.locator(".cg-detail")
        assert panel.is_visible()
        text = panel.inner_text()
        assert "深圳英源电气" in text and "1.38亿元" in text and "英特丽" in text
        box = page.locator(".cg-stage.cg-sel").bounding_box()
        assert box["x"] + box["width"] <= panel.bounding_box()["x"]  # the panel covers none of the map
        assert requests == [] and errors == []


def test_page_draws_the_largest_derived_chains(make_data: MakeData, tmp_path: Path) -> None:
    """Past 30 derived chains the page draws the 30 largest end products and counts the rest; JSON has all."""
    ents = [(f"F{k:02d}", f"厂{k:02d}", "园区", f"品{k:02d}") for k in range(32)] + [("X", "外地客户", "外地", "")]
    links = [(f"F{k:02d}", "X", f"品{k:02d}", 1000 + k) for k in range(32)]
    folder = make_data(ents, links)
    p = panorama(load_dataset(folder), opts=Options(zone="园区"))
    assert len(p.chains) == 32
    html = write_panorama(p, tmp_path / "p.html", source="t", generated="2026-12-01").read_text(encoding="utf-8")
    assert html.count('<section class="cg-chain"') == 30 and "另有 2 条推导链条" in html
    assert "品31（推导链条）" in html and "品00（推导链条）" not in html and "品01（推导链条）" not in html
    assert html.index("品31（推导链条）") < html.index("品30（推导链条）")  # largest first


def test_invitees_are_makers_and_raw_materials_are_supply_security() -> None:
    """The panorama invites as the ranked list does: traders are traced or marked unknown, a mine is not invited."""
    from chaingraph.analysis.rank import rank_gaps

    p = panorama(load_dataset(DATA), opts=JC)
    stages = {s.product: s for c in p.chains for s in c.stages}
    ore = stages["铁矿石"]
    assert ore.status == "missing" and ore.supply_security and ore.targets == ()
    assert [x.name for x in ore.invite] == ["廊坊矿石贸易(示例)"]  # the current supplier is still listed
    power = stages["功率模块"]
    assert [(x.id, x.name, x.city, x.share) for x in power.targets] == [
        ("SZ-YY", "深圳英源电气", "深圳市", 0.841463),
        ("", "厂家未知（经 香港恒鑫科技）", "", 0.158537),
    ]
    ranked = {g.product: g for g in rank_gaps(load_dataset(DATA), opts=JC).ranked}
    for s in stages.values():  # the same makers, shares and amounts as the ranked invitation list
        if s.targets and s.product in ranked:
            assert [(x.id or None, x.share, x.value) for x in s.targets] == [
                (t["id"], t["share"], t["value"]) for t in ranked[s.product].targets
            ], s.product
    page = panorama_fragment(p).html
    assert "廊坊矿石贸易" in page and "供应安全" in page and "招商对象（生产企业）" in page
