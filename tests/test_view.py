"""The graph view (graph.html): records built in Python, then the page in headless Chromium, network blocked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chaingraph.analysis import Options, gaps
from chaingraph.load import load_dataset
from chaingraph.render.view import GraphView, build_view, product_depths, write_html
from chaingraph.synth import SynthSpec, write_synth
from tests.browser import chromium
from tests.browser import open_offline as browser_open
from tests.conftest import DATA, MakeData

JC = Options(zone="晋城经开区")


def jc_view() -> GraphView:
    ds = load_dataset(DATA)
    return build_view(ds, opts=JC, gaps=gaps(ds, opts=JC))


def open_offline(browser: Any, path: Path, *, phone: bool = False) -> tuple[Any, list[str], list[str]]:
    """The graph opened offline (tests.browser.open_offline, warnings counted too), once it is drawn."""
    size = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True} if phone else {}
    return browser_open(browser, path, ready="window.chaingraph && window.chaingraph.ready", warnings=True, **size)


def node_at(page: Any, index: int) -> tuple[float, float]:
    """Where node ``index`` is on the screen."""
    pos = page.evaluate(
        f"(() => {{ const n = window.chaingraph.network; return n.canvasToDOM(n.getPosition({index})); }})()"
    )
    box = page.locator("#graph").bounding_box()
    return box["x"] + pos["x"], box["y"] + pos["y"]


def index_of(view: GraphView, kind: str, name: str) -> int:
    return next(i for i, n in enumerate(view.nodes) if n["kind"] == kind and n["name"] == name)


# ---------- the records ----------


def test_products_are_ordered_upstream_to_downstream() -> None:
    ds = load_dataset(DATA)
    d = product_depths(ds, ds.links[ds.links["status"] == "active"])
    assert d["铁矿石"] < d["钢坯"] < d["冷轧薄板"] < d["充电桩箱体"] < d["充电桩"]
    assert d["功率模块"] == d["充电桩"] - 1  # an input with no inputs of its own sits just left of its user


def test_view_records_chain_order_parks_and_gaps() -> None:
    v = jc_view()
    by_name = {n["name"]: n for n in v.nodes if n["kind"] != "gap"}
    # 晋钢 (冷轧薄板, 上游) → 富士康 (充电桩箱体, 中游) → 英特丽 (充电桩, 下游)
    assert by_name["晋钢"]["col"] < by_name["富士康(晋城)"]["col"] < by_name["英特丽"]["col"]
    assert v.columns[by_name["晋钢"]["col"]].startswith("上游")
    assert v.columns[by_name["英特丽"]["col"]].startswith("下游")
    assert by_name["晋钢"]["park"] == "金匠工业园" and by_name["晋钢"]["leader"] is True
    firms = [n for n in v.nodes if n["kind"] in ("local", "outside")]
    assert len(firms) == 65 and sum(e["kind"] in ("active", "planned") for e in v.edges) == 111
    gap = v.nodes[index_of(v, "gap", "功率模块")]["gap"]
    assert [(s["name"], s["city"], s["share"]) for s in gap["suppliers"]] == [
        ("深圳英源电气", "深圳市", 0.841463),
        ("香港恒鑫科技", "香港", 0.158537),
    ]
    assert [b["name"] for b in gap["buyers"]] == ["英特丽"]
    # the invitees are reachable from the gap as edges too
    gi = index_of(v, "gap", "功率模块")
    invite = {v.nodes[e["from"]]["name"] for e in v.edges if e["kind"] == "invite" and e["to"] == gi}
    assert invite == {"深圳英源电气"}  # 香港恒鑫科技 is a trader: listed, not invited
    # a trader is not an invitation target (issue 18): 廊坊矿石贸易 supplies 铁矿石
    lf = by_name["廊坊矿石贸易(示例)"]
    assert lf["firm_kind"] == "trader" and lf["invite"] == []
    ore = v.nodes[index_of(v, "gap", "铁矿石")]["gap"]["suppliers"]
    assert [(s["name"], s["firm_kind"]) for s in ore] == [("廊坊矿石贸易(示例)", "trader")]


def test_intermediaries_are_nodes_with_route_legs() -> None:
    v = jc_view()
    tc = next(i for i, n in enumerate(v.nodes) if n["id"] == "SZ-TC")
    assert v.nodes[tc]["hub"] is True and v.nodes[tc]["firm_kind"] == "logistics"
    legs = [e for e in v.edges if e["kind"] == "route" and e["from"] == tc]
    assert {v.nodes[e["to"]]["name"] for e in legs} >= {"英特丽"}
    routed = sum(r[1] for e in legs for r in e["rows"])
    ds = load_dataset(DATA)
    act = ds.links[ds.links["status"].isin(["active", "planned"]) & ds.links["via"].str.contains("SZ-TC")]
    assert routed == pytest.approx(float(act["value"].sum()))


def test_ids_are_numbers_so_data_ids_never_collide(make_data: MakeData) -> None:
    # old page ids: edge "a>b" + ">c" and "a" + ">b>c" were both "a>b>c"; firm "gap:p9" was gap p9's id
    ents = [("a", "甲", "Z", ""), ("b>c", "乙", "Z", ""), ("a>b", "丙", "Z", ""), ("c", "丁", "Z", ""),
            ("gap:p9", "戊", "Z", ""), ("X", "外地", "W", "p9")]  # fmt: skip
    links = [("a", "b>c", "钢", 100), ("a>b", "c", "钢", 200), ("X", "gap:p9", "p9", 300)]
    ds = load_dataset(make_data(ents, links))
    v = build_view(ds, opts=Options(zone="Z"), gaps=gaps(ds, opts=Options(zone="Z")))
    assert [n["id"] for n in v.nodes] == ["X", "a", "a>b", "b>c", "c", "gap:p9", "p9"]
    assert len({(e["from"], e["to"], e["kind"]) for e in v.edges}) == len(v.edges)
    assert all(isinstance(e["from"], int) and isinstance(e["to"], int) for e in v.edges)


def test_focus_neighbourhood() -> None:
    ds = load_dataset(DATA)
    v = build_view(ds, opts=JC, focus="JC-FSK", hops=1)
    ids = {n["id"] for n in v.nodes}
    assert {"JC-FSK", "JC-JG", "JC-YTL"} <= ids and "JC-ZKCY" not in ids
    assert next(n for n in v.nodes if n["id"] == "JC-FSK")["focus"] is True


def test_aggregation_labels_clusters_with_zone_and_figures(tmp_path: Path) -> None:
    big = load_dataset(write_synth(SynthSpec(links=6000, zones=3, seed=4), tmp_path / "big"))
    agg = build_view(big, opts=Options(zone="园区01经开区"), max_nodes=200)
    assert agg.aggregated and agg.clusters
    assert all(isinstance(n["cluster"], int) for n in agg.nodes)
    assert sum(c["firms"] for c in agg.clusters) == len(agg.nodes)
    local = [c for c in agg.clusters if c["local"]]
    assert local and all(c["label"].startswith("园区01经开区") for c in local)
    assert "点击任一汇总圆圈" in agg.note and "--focus" not in agg.note


# ---------- the page ----------


@pytest.mark.browser
def test_sample_draws_readable_offline(tmp_path: Path) -> None:
    v = jc_view()
    html = write_html(v, tmp_path / "graph.html")
    with chromium() as browser:
        page, requests, errors = open_offline(browser, html)
        assert page.locator("#graph canvas").count() == 1
        assert page.evaluate("window.chaingraph.network.body.data.nodes.length") == len(v.nodes)
        assert page.locator("#count").inner_text() == "显示 65 家企业 · 111 条供应关系 · 19 个缺链产品"
        assert page.evaluate("window.chaingraph.labelPx") >= 12  # every name readable at the default zoom
        # upstream left of downstream on screen
        v_idx = {n["name"]: i for i, n in enumerate(v.nodes) if n["kind"] != "gap"}
        xs = [node_at(page, v_idx[n])[0] for n in ("晋钢", "富士康(晋城)", "英特丽")]
        assert xs == sorted(xs)
        legend = page.locator("#legend").inner_text()
        for item in ("在供", "拟供", "缺链", "招商对象", "途经", "链主"):
            assert item in legend
        assert requests == [] and errors == []


@pytest.mark.browser
def test_click_gap_names_its_invitees(tmp_path: Path) -> None:
    v = jc_view()
    html = write_html(v, tmp_path / "graph.html")
    with chromium() as browser:
        page, requests, errors = open_offline(browser, html)
        page.mouse.click(*node_at(page, index_of(v, "gap", "功率模块")))
        panel = page.locator("#panel")
        panel.wait_for(state="visible")
        text = panel.inner_text()
        assert "缺链 · 功率模块" in text and "建议招商" in text
        assert "深圳英源电气" in text and "深圳市" in text and "84.1%" in text
        assert "香港恒鑫科技" in text and "英特丽" in text and "JC-YTL" not in text
        # the trader behind 铁矿石 is named as such, not as a target
        page.mouse.click(*node_at(page, index_of(v, "gap", "铁矿石")))
        assert "贸易商, 不是生产企业" in panel.inner_text()
        assert requests == [] and errors == []


@pytest.mark.browser
def test_search_by_part_of_a_name_opens_the_firm(tmp_path: Path) -> None:
    html = write_html(jc_view(), tmp_path / "graph.html")
    with chromium() as browser:
        page, requests, errors = open_offline(browser, html)
        page.fill("#search", "富士")
        first = page.locator("#results li").first
        assert first.inner_text().startswith("富士康(晋城)")
        page.press("#search", "Enter")
        text = page.locator("#panel").inner_text()
        assert text.startswith("×\n富士康(晋城)") or "富士康(晋城)" in text.splitlines()[:3]
        assert "链主企业" in text and "晋钢" in text and "冷轧薄板" in text and "万元" in text
        # ranked by value: the larger of two firms matching "深圳" comes first
        page.fill("#search", "深圳")
        names = [x.split("\n")[0] for x in page.locator("#results li").all_inner_texts()]
        assert len(names) >= 5
        values = page.evaluate("window.chaingraph.searchValues()")
        assert values == sorted(values, reverse=True)
        page.fill("#search", "不存在的企业")
        assert "没有找到" in page.locator("#results").inner_text()
        assert requests == [] and errors == []


def expected_after_chain(v: GraphView, chain: str) -> tuple[int, int, int]:
    keep: set[int] = set()
    supply = 0
    for e in v.edges:
        if e["kind"] != "invite" and chain in e["chains"]:
            keep |= {e["from"], e["to"]}
            supply += e["kind"] in ("active", "planned")
    for e in v.edges:
        if e["kind"] == "invite" and e["to"] in keep and chain in e["chains"]:
            keep.add(e["from"])
    firms = sum(v.nodes[i]["kind"] != "gap" for i in keep)
    return firms, supply, len(keep) - firms


@pytest.mark.browser
def test_filter_relays_out_refits_and_counts(tmp_path: Path) -> None:
    v = jc_view()
    html = write_html(v, tmp_path / "graph.html")
    with chromium() as browser:
        page, requests, errors = open_offline(browser, html)
        before = page.evaluate("window.chaingraph.network.getScale()")
        page.select_option("#chain", "充电桩")
        firms, supply, gap_n = expected_after_chain(v, "充电桩")
        assert page.locator("#count").inner_text() == f"显示 {firms} 家企业 · {supply} 条供应关系 · {gap_n} 个缺链产品"
        assert firms < 65
        assert page.evaluate("window.chaingraph.network.body.data.nodes.length") == firms + gap_n
        assert page.evaluate("window.chaingraph.network.getScale()") > before  # fewer nodes, re-fitted closer
        page.select_option("#park", "金匠工业园")
        shown = page.evaluate("window.chaingraph.shown")
        assert shown["firms"] < firms
        page.click("#reset")
        assert page.locator("#count").inner_text() == "显示 65 家企业 · 111 条供应关系 · 19 个缺链产品"
        page.select_option("#status", "planned")
        planned = sum(e["kind"] == "planned" for e in v.edges)
        assert f"{planned} 条供应关系" in page.locator("#count").inner_text()
        assert requests == [] and errors == []


@pytest.mark.browser
def test_phone_bottom_sheet_and_tap(tmp_path: Path) -> None:
    v = jc_view()
    html = write_html(v, tmp_path / "graph.html")
    with chromium() as browser:
        page, requests, errors = open_offline(browser, html, phone=True)
        assert page.locator("header").bounding_box()["height"] <= 110
        assert page.locator("#filters").is_hidden() and page.locator("#legend").is_hidden()
        x, y = node_at(page, index_of(v, "gap", "功率模块"))
        page.touchscreen.tap(x, y)
        sheet = page.locator("#panel")
        sheet.wait_for(state="visible")
        box = sheet.bounding_box()
        assert box["width"] == 390 and abs(box["y"] + box["height"] - 844) < 1 and box["height"] <= 844 * 0.56
        assert "深圳英源电气" in sheet.inner_text()
        page.click("#btn-filters")
        assert page.locator("#filters").is_visible()
        assert requests == [] and errors == []


HOSTILE = [
    "<script>window.__pwned = 1</script>",
    "</script><script>window.__pwned = 2</script>",
    '"><img src=x onerror="window.__pwned=3">',
    "' onmouseover='window.__pwned=4' x='",
    "<svg onload=window.__pwned=5>",
    "/*DATA*/ </style><b>粗体</b>",
]


@pytest.mark.browser
def test_hostile_ids_and_names_are_text(make_data: MakeData, tmp_path: Path) -> None:
    zone = HOSTILE[0]
    ents = [("a", HOSTILE[1], zone, HOSTILE[2]), ("b>c", HOSTILE[3], zone, ""), ("a>b", HOSTILE[4], zone, ""),
            ("c", "丁", zone, ""), ("gap:p9", HOSTILE[5], zone, ""), ("X<i>", "外地<i>x</i>", "外地", "p9")]  # fmt: skip
    links = [("a", "b>c", "钢<b>x</b>", 100), ("a>b", "c", HOSTILE[2], 200), ("X<i>", "gap:p9", "p9", 300)]
    ds = load_dataset(make_data(ents, links, [("链<script>x()</script>", "p9", "")]))
    opts = Options(zone=zone)
    v = build_view(ds, opts=opts, gaps=gaps(ds, opts=opts))
    html = write_html(v, tmp_path / "graph.html")
    with chromium() as browser:
        page, requests, errors = open_offline(browser, html)
        assert page.evaluate("window.chaingraph.network.body.data.nodes.length") == len(v.nodes) == 7
        for i in range(len(v.nodes)):  # hover and click every node: tooltips and the panel render names
            x, y = node_at(page, i)
            page.mouse.move(x, y)
            page.wait_for_timeout(200)
            page.mouse.click(x, y)
            panel = page.locator("#panel").inner_text()
            assert v.nodes[i]["name"] in panel
        page.fill("#search", "<")
        assert page.locator("#results li").count() >= 3
        assert page.evaluate("window.__pwned") is None
        assert page.locator("img, svg[onload], b:has-text('粗体'), i").count() == 0
        assert HOSTILE[0] in page.locator("h1").inner_text()
        assert requests == [] and errors == []


@pytest.mark.browser
def test_aggregated_view_drills_down_in_the_page(tmp_path: Path) -> None:
    big = load_dataset(write_synth(SynthSpec(links=6000, zones=3, seed=4), tmp_path / "big"))
    opts = Options(zone="园区01经开区")
    v = build_view(big, opts=opts, gaps=gaps(big, opts=opts), max_nodes=200)
    html = write_html(v, tmp_path / "graph.html")
    with chromium() as browser:
        page, requests, errors = open_offline(browser, html)
        assert page.evaluate("window.chaingraph.network.body.data.nodes.length") == len(v.clusters)
        labels = page.evaluate("window.chaingraph.network.body.data.nodes.get().map(n => n.label)")
        assert any(lb.startswith("园区01经开区 · ") and "家企业" in lb for lb in labels)
        assert any(("供本区" in lb and "亿元" in lb) or "万元" in lb for lb in labels)
        page.mouse.click(*node_at(page, 0))  # the zone's largest park
        count = page.locator("#count").inner_text()
        assert count.startswith(v.clusters[0]["label"] + ": 显示 ")
        drawn = page.evaluate("window.chaingraph.shown")
        assert drawn["firms"] >= v.clusters[0]["firms"]
        page.click("#back")
        assert page.evaluate("window.chaingraph.network.body.data.nodes.length") == len(v.clusters)
        # search reaches a firm inside a cluster
        name = next(n["name"] for n in v.nodes if n["kind"] == "outside")
        page.fill("#search", name)
        page.press("#search", "Enter")
        assert name in page.locator("#panel").inner_text()
        assert requests == [] and errors == []
