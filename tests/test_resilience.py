"""Resilience (docs/analysis.md, "Resilience"): HHI, single points, the share on one supplier, before and after.

The graph, checked by hand.  Zone Z: buyers A and B, local maker L1; outside O1, O2, O3.

| product | suppliers to Z (yuan/year)                 | purchases | HHI                          |
|---------|--------------------------------------------|-----------|------------------------------|
| 钢      | L1 600, O1 400                             | 1000      | 0.6² + 0.4² = 0.52           |
| 芯片    | O2 300 (to A) + 700 (to B)                 | 1000      | 1 (one supplier: single)     |
| 线缆    | O1, O2, O3, L1 250 each                    | 1000      | 4 × 0.25² = 0.25 (not above) |
| 胶      | O1 200, O3 300                             | 500       | 0.4² + 0.6² = 0.52           |

A sells 桩 to O3 (a sale, not a purchase) and a former 钢 link from O3 is not counted.
Purchases 3,500; on one supplier 1,000 (芯片) = 2/7; weighted HHI (520 + 1000 + 250 + 260) ÷ 3500
= 0.58; highly concentrated (HHI > 0.25): 钢, 芯片, 胶 = 2,500 = 5/7.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chaingraph.analysis.resilience import resilience
from chaingraph.analysis.whatif import whatif
from chaingraph.errors import ChaingraphError
from chaingraph.load import load_dataset, load_scenario
from chaingraph.render.resilience import resilience_warning
from chaingraph.results.options import Options
from chaingraph.results.resilience import build_resilience, hhi_of
from tests.conftest import MakeData, write_csv

ENT = [
    ("A", "甲厂", "Z", "桩"),
    ("B", "乙厂", "Z", "桩"),
    ("L1", "本地钢厂", "Z", "钢;线缆"),
    ("O1", "外一", "外地", "钢;线缆;胶"),
    ("O2", "外二", "外地", "芯片;线缆"),
    ("O3", "外三", "外地", "线缆;胶"),
]
LINKS = [
    ("L1", "A", "钢", 600),
    ("O1", "A", "钢", 400),
    ("O3", "A", "钢", 999, None, None, None, "former"),
    ("O2", "A", "芯片", 300),
    ("O2", "B", "芯片", 700),
    ("O1", "B", "线缆", 250),
    ("O2", "B", "线缆", 250),
    ("O3", "B", "线缆", 250),
    ("L1", "B", "线缆", 250),
    ("O1", "A", "胶", 200),
    ("O3", "A", "胶", 300),
    ("A", "O3", "桩", 5000),
]
Z = Options(zone="Z")


@pytest.fixture
def base(make_data: MakeData) -> Path:
    return make_data(ENT, LINKS)


def test_hhi_single_points_and_share_on_one_supplier(base: Path) -> None:
    r = resilience(load_dataset(base), opts=Z)
    rows = {p.product: (p.purchases, p.suppliers, p.local_suppliers, p.hhi, p.single_point, p.concentrated)
            for p in r.products}  # fmt: skip
    assert rows == {
        "钢": (1000.0, 2, 1, 0.52, False, True),
        "芯片": (1000.0, 1, 0, 1.0, True, True),
        "线缆": (1000.0, 4, 1, 0.25, False, False),  # exactly the threshold: not above it
        "胶": (500.0, 2, 0, 0.52, False, True),
    }
    assert [p.product for p in r.products] == ["芯片", "钢", "胶", "线缆"]  # HHI, then purchases, highest first
    assert (r.purchases, r.single_points, r.single_point_value, r.single_point_share) == (3500.0, 1, 1000.0, 0.285714)
    assert r.weighted_hhi == 0.58
    assert (r.concentrated, r.concentrated_value, r.concentrated_share) == (3, 2500.0, 0.714286)
    steel = r.by_product()["钢"]
    assert [(s.id, s.name, s.zone, s.local, s.value, s.share) for s in steel.shares] == [
        ("L1", "本地钢厂", "Z", True, 600.0, 0.6), ("O1", "外一", "外地", False, 400.0, 0.4),
    ]  # fmt: skip


def test_threshold_is_stated_and_checked(base: Path) -> None:
    r = resilience(load_dataset(base), opts=Z, threshold=0.5)
    assert r.threshold == 0.5 and [p.product for p in r.products if p.concentrated] == ["芯片", "钢", "胶"]
    r = resilience(load_dataset(base), opts=Z, threshold=0.6)
    assert [p.product for p in r.products if p.concentrated] == ["芯片"]
    with pytest.raises(
        ChaingraphError, match=r"hhi_threshold.* is an HHI on the 0-1 scale \(0.25 = 2500 points\), not 25"
    ):
        resilience(load_dataset(base), opts=Z, threshold=25)


def test_hhi_formula() -> None:
    assert hhi_of([1, 1, 1, 1]) == 0.25
    assert hhi_of([3, 1]) == 0.625
    assert hhi_of([0, 0]) is None
    r = build_resilience("Z", "zone", [("P", "X", 0.0, False)], {})
    assert r.products == () and r.single_point_share is None and r.weighted_hhi is None


def test_planned_links_count_with_include_planned(make_data: MakeData) -> None:
    folder = make_data(ENT, [*LINKS, ("O3", "A", "芯片", 1000, None, None, None, "planned")])
    assert resilience(load_dataset(folder), opts=Z).by_product()["芯片"].single_point
    chip = resilience(load_dataset(folder), opts=Options(zone="Z", include_planned=True)).by_product()["芯片"]
    assert (chip.suppliers, chip.hhi, chip.single_point) == (2, 0.5, False)  # 1000 + 1000


def _landing(base: Path, tmp_path: Path, firms: list[tuple[object, ...]]) -> object:
    ds = load_dataset(base)
    scen = write_csv(tmp_path / "landing.csv", ["id", "name", "zone", "products", "capture"], firms)
    return whatif(ds, load_scenario(ds, scen, None), opts=Z)


def test_whatif_before_after_and_warnings(base: Path, tmp_path: Path) -> None:
    w = _landing(base, tmp_path, [("N2", "线缆新厂", "Z", "线缆", "1"), ("N3", "胶新厂", "Z", "胶", "1")])
    c = w.resilience  # type: ignore[attr-defined]
    assert (c.before.single_points, c.after.single_points) == (1, 2)
    assert (c.before.single_point_share, c.after.single_point_share) == (0.285714, 0.428571)  # 1000 → 1500 of 3500
    assert (c.before.weighted_hhi, c.after.weighted_hhi) == (0.58, 0.755714)  # 2030 → 2645 of 3500
    assert c.changes == {"single_points": 1, "single_point_value": 500.0, "single_point_share": 0.142857,
                         "weighted_hhi": 0.175714, "concentrated": 1, "concentrated_value": 1000.0}  # fmt: skip
    assert c.new_single_points == ("胶",) and c.crossed == ("线缆",) and c.single_points_resolved == ()
    rows = {r["product"]: (r["suppliers_before"], r["suppliers_after"], r["hhi_before"], r["hhi_after"])
            for r in c.products}  # fmt: skip
    assert rows == {"线缆": (4, 2, 0.25, 0.625), "胶": (2, 1, 0.52, 1.0)}  # 线缆: L1 250, N2 750
    cable, glue = c.warnings
    assert (cable.kind, cable.supplier_id, cable.share, cable.moved, cable.saving, cable.cuts_cost) == (
        "hhi_crossed", "N2", 0.75, 750.0, 37.5, True,
    )  # fmt: skip
    assert (glue.kind, glue.supplier_id, glue.buyers, glue.moved, glue.saving, glue.suppliers_before) == (
        "new_single_point", "N3", 1, 500.0, 25.0, 2,
    )  # fmt: skip
    assert resilience_warning(glue) == (
        "胶：落地后区内企业每年 500元 的采购改由区内 胶新厂 供应（节约见本次模拟的节约对比），"
        "但 1 家区内企业的 胶 将全部只靠区内的 胶新厂 一家供应（单一供应商，之前 2 家）：它一旦停产，这家企业就会断供。"
        "建议保留至少一家外地供应商作备份，或再引进一家同类厂家。"
    )
    assert resilience_warning(cable) == (
        "线缆：落地后区内企业每年 750元 的采购改由区内 线缆新厂 供应（节约见本次模拟的节约对比），"
        "但供应集中度 HHI 由 2,500 点升至 6,250 点，超过 2,500 点的高度集中线"
        "（美国司法部与联邦贸易委员会《横向并购指南》（2010）第 5.3 节：HHI 超过 2500 点为高度集中）："
        "区内的 线缆新厂 占 75%，供应更依赖一家。建议保持多家供应商，避免把采购集中到一家。"
    )


def test_landing_that_spreads_supply_warns_nothing(base: Path, tmp_path: Path) -> None:
    w = _landing(base, tmp_path, [("N1", "芯片二厂", "Z", "芯片", "0.5")])  # 芯片: O2 500, N1 500
    c = w.resilience  # type: ignore[attr-defined]
    assert c.single_points_resolved == ("芯片",) and c.warnings == () and c.new_single_points == ()
    assert (c.before.single_point_share, c.after.single_point_share) == (0.285714, 0.0)
    assert [(r["product"], r["hhi_before"], r["hhi_after"]) for r in c.products] == [("芯片", 1.0, 0.5)]


def test_cli_resilience_and_whatif(base: Path, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from chaingraph.cli import main

    run = CliRunner().invoke(main, ["resilience", str(base), "--zone", "Z", "-f", "json"])
    assert run.exit_code == 0, run.output
    out = json.loads(run.stdout)
    assert (out["single_points"], out["single_point_share"], out["weighted_hhi"], out["hhi_threshold"]) == (
        1, 0.285714, 0.58, 0.25,
    )  # fmt: skip
    assert out["hhi_threshold_source"] == "U.S. DOJ/FTC Horizontal Merger Guidelines (2010), §5.3"
    run = CliRunner().invoke(main, ["resilience", str(base), "--zone", "Z", "--hhi-threshold", "2500"])
    assert (run.exit_code, run.output) == (
        2, "Error: --hhi-threshold is an HHI on the 0-1 scale (0.25 = 2500 points), not 2500.0.\n",
    )  # fmt: skip
    run = CliRunner().invoke(main, ["resilience", str(base), "--zone", "Z", "-f", "csv"])
    assert run.stdout.splitlines()[1] == "芯片,1000.0,0.0,1,0,O2,外二,1.0,1.0,True,True,O2:1.0"
    run = CliRunner().invoke(main, ["resilience", str(base), "--zone", "Z"])
    assert run.exit_code == 0 and "单一供应商的产品（单点）" in run.stdout and "10,000 点" in run.stdout
    scen = write_csv(
        tmp_path / "s.csv", ["id", "name", "zone", "products", "capture"], [("N3", "胶新厂", "Z", "胶", 1)]
    )
    run = CliRunner().invoke(main, ["whatif", str(base), "--zone", "Z", "--scenario", str(scen), "-f", "json"])
    assert run.exit_code == 0, run.output
    (warn,) = json.loads(run.stdout)["resilience"]["warnings"]
    assert (warn["kind"], warn["product"], warn["cuts_cost"]) == ("new_single_point", "胶", True)
    assert warn["text"].startswith("胶：落地后区内企业每年 500元 的采购改由区内 胶新厂 供应")
    run = CliRunner().invoke(main, ["whatif", str(base), "--zone", "Z", "--scenario", str(scen)])
    assert "将全部只靠区内的 胶新厂 一家供应" in run.stdout.replace("\n", "")
    run = CliRunner().invoke(main, ["whatif", str(base), "--zone", "Z", "--scenario", str(scen), "-f", "csv"])
    assert "single_point_share,0.285714,0.428571,0.142857" in run.stdout
    run = CliRunner().invoke(main, ["whatif", str(base), "--zone", "Z", "--scenario", str(scen),
                                    "--hhi-threshold", "0.6", "-f", "json"])  # fmt: skip
    assert json.loads(run.stdout)["resilience"]["hhi_threshold"] == 0.6
