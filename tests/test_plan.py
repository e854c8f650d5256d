"""Leaders, routes, what-if and the ranked invitation list (docs/analysis.md 7–9), hand-checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chaingraph.analysis import Options
from chaingraph.analysis.leaders import leaders
from chaingraph.analysis.rank import rank_gaps
from chaingraph.analysis.routes import routes
from chaingraph.cli import main
from chaingraph.errors import ChaingraphError
from chaingraph.load import load_dataset
from chaingraph.render.explain import gap_explanation
from chaingraph.results.rank import Weights
from tests.conftest import DATA, MakeData, write_csv
from tests.test_analysis import ENT, LINKS

Z = Options(zone="Z")
# A buys 钢 from outside O1 and 件 from local B, sells 模组 to local C and 整机 outside; C also buys 钢 from O1.
LEAD_ENT = [("A", "甲", "Z", ""), ("B", "乙", "Z", ""), ("C", "丙", "Z", ""), ("O1", "外一", "外地", ""),
            ("O2", "外二", "外地", ""), ("X1", "深圳货代", "深圳", ""), ("X2", "香港贸易", "香港", ""),
            ("X3", "保税中心", "Z市", "")]  # fmt: skip
LEAD_LINKS = [("O1", "A", "钢", 1000), ("B", "A", "件", 500), ("A", "C", "模组", 800), ("A", "O2", "整机", 5000),
              ("O1", "C", "钢", 200)]  # fmt: skip


def test_leaders_anchored_value_and_invite(make_data: MakeData) -> None:
    ds = load_dataset(make_data(LEAD_ENT, LEAD_LINKS))
    lead = leaders(ds, opts=Z, top=1)
    assert [(x.id, x.anchored_value, x.share) for x in lead.leaders] == [
        ("A", 2300.0, 0.605263),
        ("C", 1000.0, 0.263158),
        ("B", 500.0, 0.131579),
    ]
    a = lead.leaders[0]
    assert (a.purchases, a.local_purchases, a.outside_purchases, a.local_sales, a.outside_sales) == (
        1500.0,
        500.0,
        1000.0,
        800.0,
        5000.0,
    )
    assert [s["id"] for s in a.local_suppliers] == ["B"] and [s["id"] for s in a.outside_buyers] == ["O2"]
    assert list(lead.invite) == [{"id": "O1", "name": "外一", "zone": "外地", "value": 1000.0, "products": ["钢"],
                                  "leaders": ["A"]}]  # fmt: skip
    assert leaders(ds, opts=Z, top=2).invite[0]["value"] == 1200.0
    assert "anchored_value" in lead.method


def test_routes_and_reroute(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ["id", "name", "zone"], [e[:3] for e in LEAD_ENT])
    write_csv(tmp_path / "links.csv", ["supplier_id", "buyer_id", "product", "annual_value", "via"],
              [("O1", "A", "钢", 1000, "X1"), ("O1", "C", "钢", 200, "X2;X1"), ("B", "A", "件", 500, "")])  # fmt: skip
    ds = load_dataset(tmp_path)
    r = routes(ds, opts=Z)
    assert [(i.id, i.value, i.links) for i in r.intermediaries] == [("X1", 1200.0, 2), ("X2", 200.0, 1)]
    assert r.intermediaries[1].routes == ("外一 → 香港贸易 → 深圳货代 → 丙",)
    moved = routes(ds, opts=Z, reroute_via="保税中心", replacing="X1")
    assert (moved.rerouted_value, moved.via_value_after, len(moved.rerouted_links)) == (1200.0, 1200.0, 2)
    with pytest.raises(ChaingraphError, match="go together"):
        routes(ds, opts=Z, reroute_via="X3")
    with pytest.raises(ChaingraphError, match="neither an enterprise id nor a name"):
        routes(ds, opts=Z, reroute_via="nobody", replacing="X1")


def test_seed_reroute_lanhua_over_one_yi() -> None:
    r = CliRunner().invoke(main, ["routes", str(DATA), "-z", "晋城经开区", "--reroute-via", "兰花保税物流中心",
                                  "--replacing", "深圳通诚国际货运", "-f", "json"])  # fmt: skip
    data = json.loads(r.stdout)
    assert r.exit_code == 0
    assert data["rerouted_value"] > 1e8
    zhcq = sum(x["value"] for x in data["rerouted_links"] if x["buyer_id"] == "JC-ZHCQ")
    assert zhcq == 110_000_000.0  # 智绘沧穹's own imports: the article's "1 亿元以上"


def test_rank_scores_exact(make_data: MakeData) -> None:
    ds = load_dataset(make_data(ENT, LINKS))
    r = rank_gaps(ds, opts=Z)
    g = r.ranked[0]
    assert (g.product, g.parts, g.relatedness, g.score) == (
        "芯片",
        {"demand": 1.0, "buyers": 1.0, "dependents": 1.0, "relatedness": 0.5},
        0.5,
        0.9,
    )
    assert (g.inputs, g.inputs_made, g.outputs, g.outputs_bought) == (("桩",), ("桩",), ("桩",), ())
    assert gap_explanation(g, r.weights).endswith("= 0.900")
    only_demand = rank_gaps(ds, opts=Z, weights=Weights.parse("demand=1,buyers=0,dependents=0,relatedness=0"))
    assert only_demand.ranked[0].score == 1.0


def test_single_point_with_hhi(make_data: MakeData) -> None:
    ent = [*ENT, ("B2", "桩厂二", "Z", "")]
    links = [("M1", "B1", "箱体", 100), ("M1", "B2", "箱体", 300), ("O1", "B1", "箱体", 100)]
    r = rank_gaps(load_dataset(make_data(ent, links)), opts=Z)
    assert [(s.product, s.kind, s.maker, s.buyers, s.hhi) for s in r.single_points] == [
        ("箱体", "single_point", "M1", ("B1", "B2"), 0.68)
    ]
    assert all(g.kind in ("missing", "weak", "empty") for g in r.ranked)


def test_weights_errors() -> None:
    with pytest.raises(ChaingraphError, match="cannot read"):
        Weights.parse("demand=lots")
    with pytest.raises(ChaingraphError, match="must not all be 0"):
        Weights.parse("demand=0,buyers=0,dependents=0,relatedness=0").normalised()


def test_whatif_cli(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data(ENT, LINKS)
    scen = write_csv(tmp_path / "landing.csv", ["id", "name", "zone", "products"], [("N1", "芯片新厂", "Z", "芯片")])
    r = CliRunner().invoke(main, ["whatif", str(folder), "-z", "Z", "--scenario", str(scen), "-f", "json"])
    assert r.exit_code == 0, r.output
    w = json.loads(r.stdout)
    assert (w["before"]["total_potential"], w["after"]["total_potential"]) == (175.0, 375.0)
    assert w["changes"]["gaps_changed"] == [{"product": "芯片", "before": "missing", "after": "weak"}]
    assert w["before"]["local_sourcing_ratio"] == w["after"]["local_sourcing_ratio"] == 0.407407
    links = write_csv(tmp_path / "landing_links.csv", ["supplier_id", "buyer_id", "product", "annual_value"],
                      [("N1", "B1", "芯片", 4000)])  # fmt: skip
    r = CliRunner().invoke(main, ["whatif", str(folder), "-z", "Z", "--scenario", str(scen), "--scenario-links",
                                  str(links), "-f", "json"])  # fmt: skip
    w = json.loads(r.stdout)
    assert w["after"]["local_sourcing_ratio"] == 0.830688  # (3850 + 4000) / 9450: it replaces O2's 4000
    assert w["changes"]["gaps_closed"] == ["芯片"]
    table = CliRunner().invoke(main, ["whatif", str(folder), "-z", "Z", "--scenario", str(scen)])
    assert "本地配套率" in table.stdout and "芯片 缺链→弱链" in table.stdout


def test_whatif_rejects_existing_ids(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data(ENT, LINKS)
    scen = write_csv(tmp_path / "landing.csv", ["id", "name", "zone"], [("M1", "重复", "Z")])
    r = CliRunner().invoke(main, ["whatif", str(folder), "-z", "Z", "--scenario", str(scen)])
    assert r.exit_code == 2
    assert f"{scen}, line 2, column 'id', value 'M1': this id is already in the data." in r.stderr


def test_rank_and_leaders_cli_tables() -> None:
    r = CliRunner().invoke(main, ["gaps", str(DATA), "-z", "晋城经开区", "--rank"])
    assert r.exit_code == 0 and "招商优先级" in r.stdout and "本地独家供应风险" in r.stdout
    r = CliRunner().invoke(main, ["leaders", str(DATA), "-z", "晋城经开区", "-f", "json"])
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and data["method"] and data["leaders"][0]["name"] == "晋钢"
