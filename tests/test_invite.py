"""The invitation list invites makers (docs/analysis.md, "The ranked invitation list").

Zone Z's buyer B (it makes 整机 from everything below) buys from outside:

    T  (trader)    --芯片 9,000--> B      T buys 芯片 from maker M (6,000) and from trader T3 (3,000), who buys from M3
    L  (logistics) --膜 2,000--> B        M2's 膜 reaches X routed via L (via = L)
    T2 (trader)    --胶 50,000--> B       the data shows nobody behind T2: maker unknown
    R  (trader)    --矿 80,000--> B       矿 is marked 上游原材料 in chains.csv: supply security
    D  (maker)     --钉 100--> B          a maker selling directly
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chaingraph.analysis import Options
from chaingraph.analysis.invite import raw_materials
from chaingraph.analysis.rank import rank_gaps
from chaingraph.cli import main
from chaingraph.load import load_dataset
from chaingraph.render.explain import rule_text
from tests.conftest import write_csv

ENT = [
    ("B", "整机厂", "Z", "整机", "manufacturer"),
    ("T", "芯片贸易", "外地", "芯片", "trader"),
    ("T3", "二级贸易", "外地", "芯片", "贸易商"),
    ("M", "芯片厂", "外地", "芯片", "manufacturer"),
    ("M3", "芯片三厂", "外地", "芯片", ""),
    ("L", "保税物流", "外地", "", "logistics"),
    ("M2", "膜厂", "外地", "膜", "manufacturer"),
    ("X", "外地买家", "外地", "", "manufacturer"),
    ("T2", "胶水贸易", "外地", "胶", "trader"),
    ("R", "矿石贸易", "外地", "矿", "trader"),
    ("D", "钉厂", "外地", "钉", "manufacturer"),
]
LINKS = [
    ("T", "B", "芯片", 9000, ""),
    ("M", "T", "芯片", 6000, ""),
    ("T3", "T", "芯片", 3000, ""),
    ("M3", "T3", "芯片", 1000, ""),
    ("L", "B", "膜", 2000, ""),
    ("M2", "X", "膜", 500, "L"),
    ("T2", "B", "胶", 50000, ""),
    ("R", "B", "矿", 80000, ""),
    ("D", "B", "钉", 100, ""),
    ("B", "X", "整机", 1000, ""),
]
CHAINS = [
    ("整机链", "矿", "", "上游原材料"),
    ("整机链", "芯片", "", "上游"),
    ("整机链", "螺母", "", "上游"),
    ("整机链", "整机", "芯片", "下游"),
    ("整机链", "整机", "矿", "下游"),
    ("整机链", "整机", "螺母", "下游"),
]
Z = Options(zone="Z")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_csv(tmp_path / "enterprises.csv", ["id", "name", "zone", "products", "kind"], ENT)
    write_csv(tmp_path / "links.csv", ["supplier_id", "buyer_id", "product", "annual_value", "via"], LINKS)
    write_csv(tmp_path / "chains.csv", ["chain", "product", "input", "segment"], CHAINS)
    return tmp_path


def test_trader_only_gap_is_traced_to_its_makers(folder: Path) -> None:
    r = rank_gaps(load_dataset(folder), opts=Z)
    chip = next(g for g in r.ranked if g.product == "芯片")
    assert chip.rule == "makers_known"
    assert [(t["id"], t["share"], t["value"], t["via"], t["basis"]) for t in chip.targets] == [
        ("M", 0.666667, 6000.0, ["T"], "supplier_of_intermediary"),  # 9,000 × 6,000 / 9,000
        ("M3", 0.333333, 3000.0, ["T", "T3"], "supplier_of_intermediary"),  # through the second trader
    ]
    assert [s["id"] for s in chip.suppliers] == ["T"]  # the gap row still lists the current supplier


def test_routes_show_the_maker_behind_a_logistics_firm(folder: Path) -> None:
    film = next(g for g in rank_gaps(load_dataset(folder), opts=Z).ranked if g.product == "膜")
    assert [(t["id"], t["share"], t["via"], t["basis"]) for t in film.targets] == [("M2", 1.0, ["L"], "routed_through")]


def test_unknown_maker_is_said_and_ranked_after_known_makers(folder: Path) -> None:
    r = rank_gaps(load_dataset(folder), opts=Z)
    order = [(g.product, g.rule) for g in r.ranked]
    assert order == [("芯片", "makers_known"), ("膜", "makers_known"), ("钉", "makers_known"),
                     ("胶", "maker_unknown"), ("螺母", "no_supplier")]  # fmt: skip
    glue = next(g for g in r.ranked if g.product == "胶")
    assert glue.score > next(g for g in r.ranked if g.product == "芯片").score  # larger, but no maker to invite
    assert [(t["id"], t["name"], t["share"], t["via"]) for t in glue.targets] == [
        (None, "厂家未知 maker unknown", 1.0, ["T2"])
    ]
    assert "胶水贸易" in rule_text(glue) and "先查明厂家" in rule_text(glue)
    invited = {t["id"] for g in r.ranked for t in g.targets}
    assert not invited & {"T", "T2", "T3", "L", "R"}  # traders and logistics firms are never targets


def test_raw_material_is_a_supply_security_item(folder: Path) -> None:
    ds = load_dataset(folder)
    assert raw_materials(ds) == {"矿"}
    r = rank_gaps(ds, opts=Z)
    assert "矿" not in [g.product for g in r.ranked]
    (item,) = r.supply_security
    assert (item.product, item.kind, item.external_demand, item.rule, item.buyers) == (
        "矿", "missing", 80000.0, "raw_material", ("B",),
    )  # fmt: skip
    assert item.suppliers[0]["kind"] == "trader" and "资源型原材料" in rule_text(item)


def test_rank_cli_json_and_table(folder: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["gaps", str(folder), "-z", "Z", "--rank", "-f", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert [x["product"] for x in data["supply_security"]] == ["矿"]
    assert data["ranked"][0]["targets"][0]["id"] == "M"
    table = runner.invoke(main, ["gaps", str(folder), "-z", "Z", "--rank"], env={"COLUMNS": "200"})
    assert "厂家未知" in table.stdout and "供应安全" in table.stdout and "芯片厂" in table.stdout


def test_sample_top_target_is_no_longer_a_mine_from_a_trader() -> None:
    r = rank_gaps(load_dataset(Path(__file__).resolve().parent.parent / "data"), opts=Options(zone="晋城经开区"))
    assert r.ranked[0].product != "铁矿石"
    assert [x.product for x in r.supply_security] == ["铁矿石"]
    assert all(t["id"] != "LF-KS" for g in r.ranked for t in g.targets)


def test_leaders_report_hubs_by_value_routed(folder: Path) -> None:
    from chaingraph.analysis.leaders import leaders

    lead = leaders(load_dataset(folder), opts=Z)
    purchases = 9000 + 2000 + 50000 + 80000 + 100  # everything B buys
    assert [(h.id, h.kind, h.value, h.into_value, h.share_of_purchases, h.links) for h in lead.hubs] == [
        ("R", "trader", 80000.0, 80000.0, round(80000 / purchases, 6), 1),
        ("T2", "trader", 50000.0, 50000.0, round(50000 / purchases, 6), 1),
        ("T", "trader", 9000.0, 9000.0, round(9000 / purchases, 6), 1),
        ("L", "logistics", 2000.0, 2000.0, round(2000 / purchases, 6), 1),
    ]
    assert all(x.id not in {"R", "T2", "T", "L"} for x in lead.leaders)  # hubs apart from the chain leaders
    assert lead.to_dict()["hubs"][0]["products"] == ["矿"]


def test_truncated_tables_say_what_is_not_shown() -> None:
    data = str(Path(__file__).resolve().parent.parent / "data")
    out = CliRunner().invoke(main, ["routes", data, "-z", "晋城经开区"], env={"COLUMNS": "200"})
    assert "… 另有 2 条路径 (--format json 查看全部)" in out.stdout  # 深圳通诚 carries 6 routes, 4 shown
    lead = CliRunner().invoke(main, ["leaders", data, "-z", "晋城经开区"], env={"COLUMNS": "200"})
    assert "枢纽 Hubs" in lead.stdout and "深圳通诚国际货运" in lead.stdout
    assert "另有" in lead.stdout and "用 --format json 或 --format csv -o 文件 查看全部" in lead.stdout
