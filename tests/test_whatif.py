"""What-if substitutes (docs/analysis.md, definition 9): totals checked by hand.

The base graph of tests/test_analysis.py: zone Z buys 9,450 元 a year, 3,850 of it locally
(钢 1,000 from S1, 箱体 2,850 from M1); from outside 芯片 4,000 (O2) and 箱体 1,600 (O1).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chaingraph.analysis import Options
from chaingraph.analysis.whatif import whatif
from chaingraph.cli import main
from chaingraph.errors import InputError
from chaingraph.load import load_dataset, load_scenario
from chaingraph.results.whatif import WhatIf
from tests.conftest import MakeData, write_csv
from tests.test_analysis import ENT, LINKS

Z = Options(zone="Z")
E_HEAD = ["id", "name", "zone", "products", "capture"]
L_HEAD = ["supplier_id", "buyer_id", "product", "annual_value", "replaces"]


def run(folder: Path, tmp_path: Path, firms: list[tuple[object, ...]], links: list[tuple[object, ...]] | None = None,
        **kw: float) -> WhatIf:  # fmt: skip
    ds = load_dataset(folder)
    scen = write_csv(tmp_path / "landing.csv", E_HEAD, firms)
    lfile = write_csv(tmp_path / "landing_links.csv", L_HEAD, links) if links is not None else None
    return whatif(ds, load_scenario(ds, scen, lfile), opts=Z, **kw)


def test_capture_moves_purchases_and_keeps_the_total(make_data: MakeData, tmp_path: Path) -> None:
    w = run(make_data(ENT, LINKS), tmp_path, [("N1", "芯片新厂", "Z", "芯片", "25%")])
    assert (w.before.local_value, w.before.total_value) == (3850.0, 9450.0)
    assert (w.after.local_value, w.after.total_value) == (4850.0, 9450.0)
    ch = w.changes
    assert (ch["captured_value"], ch["total_value"], ch["added_demand"], ch["purchases_unchanged"]) == (
        1000.0, 0.0, 0.0, True,
    )  # fmt: skip  # a quarter of O2's 4,000
    assert w.after.local_sourcing_ratio == round(4850 / 9450, 6) == 0.513228
    assert ch["local_sourcing_ratio"] == round(1000 / 9450, 6)  # LSR up by the captured value ÷ total
    (p,) = w.products
    assert (p.product, p.local_maker_before, p.local_maker_after, p.met_locally_after, p.demand_met_locally) == (
        "芯片", False, True, 0.25, False,
    )  # fmt: skip  # a local maker exists; local demand is not met locally
    assert ch["gaps_changed"] == [{"product": "芯片", "before": "missing", "after": "weak"}]
    (m,) = w.moves
    assert (m.rule, m.supplier_id, m.buyer_id, m.value, m.replaced, m.share) == (
        "capture", "N1", "B1", 1000.0, ("O2",), 0.25,
    )  # fmt: skip


def test_full_capture_meets_local_demand(make_data: MakeData, tmp_path: Path) -> None:
    w = run(make_data(ENT, LINKS), tmp_path, [("N1", "芯片新厂", "Z", "芯片", "")], capture=1.0)
    assert (w.after.local_value, w.after.total_value) == (7850.0, 9450.0)
    (p,) = w.products
    assert (p.met_locally_after, p.demand_met_locally) == (1.0, True)
    assert w.changes["gaps_closed"] == ["芯片"]
    assert w.capture_default == 1.0


def test_product_list_alone_moves_nothing(make_data: MakeData, tmp_path: Path) -> None:
    w = run(make_data(ENT, LINKS), tmp_path, [("N1", "芯片新厂", "Z", "芯片", "")])
    assert w.changes["captured_value"] == 0.0 and w.moves == ()
    assert w.after.local_sourcing_ratio == w.before.local_sourcing_ratio
    (p,) = w.products
    assert (p.local_maker_after, p.demand_met_locally) == (True, False)


def test_links_replace_named_outside_links_and_new_demand_is_on_purpose(make_data: MakeData, tmp_path: Path) -> None:
    links = [("N1", "B1", "芯片", 3000, "O2"), ("N1", "M1", "芯片", 500, "新增")]
    w = run(make_data(ENT, LINKS), tmp_path, [("N1", "芯片新厂", "Z", "芯片", "")], links)
    ch = w.changes
    assert (ch["captured_value"], ch["added_demand"], ch["total_value"], ch["purchases_unchanged"]) == (
        3000.0, 500.0, 500.0, False,
    )  # fmt: skip
    assert (w.after.local_value, w.after.total_value) == (7350.0, 9950.0)
    assert [(m.rule, m.value, m.replaced) for m in w.moves] == [
        ("replaces", 3000.0, ("O2",)), ("new_demand", 500.0, ()),
    ]  # fmt: skip


def test_bad_scenario_rows_are_reported_by_line(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data(ENT, LINKS)
    firms = [
        ("N1", "芯片新厂", "Z", "芯片", "150%"),
        ("N2", "外地厂", "外地", "芯片", "0.5"),
        ("N3", "x", "Z", "", "lots"),
    ]
    links = [("N1", "B1", "芯片", 5000, "O2"), ("N1", "B1", "箱体", 100, "O2"), ("N1", "B1", "芯片", 10, "NOPE")]
    with pytest.raises(InputError) as err:
        run(folder, tmp_path, firms, links)
    text = str(err.value)
    scen, lfile = tmp_path / "landing.csv", tmp_path / "landing_links.csv"
    assert f"{scen}, line 2, column 'capture', value '150%': a share must be between 0 and 1" in text
    assert f"{scen}, line 4, column 'capture', value 'lots': not a share." in text
    assert f"{lfile}, line 4, column 'replaces', value 'NOPE': unknown supplier id." in text
    firms = [("N1", "芯片新厂", "Z", "芯片", ""), ("N2", "外地厂", "外地", "芯片", "0.5")]
    with pytest.raises(InputError) as err:
        run(folder, tmp_path, firms, links[:2])
    text = str(err.value)
    assert f"{scen}, line 3, column 'capture', value '0.5': N2 is not in Z" in text
    assert f"{lfile}, line 2, column 'annual_value', value '5000': the link's 5000 元 is more than the 4000 元" in text
    assert f"{lfile}, line 3, column 'replaces', value 'O2': B1 buys no 箱体 from O2 on an active link" in text


def test_whatif_cli_capture_option_and_tables(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data(ENT, LINKS)
    scen = write_csv(tmp_path / "landing.csv", ["id", "name", "zone", "products"], [("N1", "芯片新厂", "Z", "芯片")])
    r = CliRunner().invoke(main, ["whatif", str(folder), "-z", "Z", "--scenario", str(scen), "--capture", "0.5",
                                  "-f", "json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    w = json.loads(r.stdout)
    assert (w["before"]["total_value"], w["after"]["total_value"], w["changes"]["captured_value"]) == (
        9450.0, 9450.0, 2000.0,
    )  # fmt: skip
    assert w["products"][0]["demand_met_locally"] is False
    r = CliRunner().invoke(main, ["whatif", str(folder), "-z", "Z", "--scenario", str(scen), "--capture", "1.5"])
    assert r.exit_code == 2 and "1.5 is not in the range 0<=x<=1" in r.stderr
    table = CliRunner().invoke(main, ["whatif", str(folder), "-z", "Z", "--scenario", str(scen), "--capture", "0.5"])
    assert "采购总额不变" in table.stdout and "本地有厂家" in table.stdout and "2,000元" in table.stdout
