"""The CLI through click's CliRunner: exit codes, exact error text, formats."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from chaingraph.cli import main
from tests.conftest import DATA, MakeData

ENT = [("A", "甲厂", "Z", "钢"), ("B", "乙厂", "Z", "")]


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_validate_table_and_json() -> None:
    code, out, _ = run("validate", str(DATA))
    assert code == 0
    assert "晋城经开区" in out and "在供 active" in out and "亿元" in out
    code, out, _ = run("validate", str(DATA), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert all(f["rows"] == f["loaded"] + f["rejected"] for f in data["files"])
    assert data["problems"] == []


def test_bad_input_exit_2_with_every_problem(make_data: MakeData) -> None:
    folder = make_data(ENT, [("A", "X", "钢", 1), ("A", "B", "钢", "-3")])
    code, out, err = run("validate", str(folder))
    assert code == 2
    assert out == ""
    assert err == (
        "Error: 2 problems in the input:\n"
        f"  {folder}/links.csv, line 2, column 'buyer_id', value 'X': unknown enterprise id. "
        "Add the enterprise to enterprises.csv or correct the id.\n"
        f"  {folder}/links.csv, line 3, column 'annual_value', value '-3': negative amount. "
        "Amounts are yuan >= 0; write a former supply as status 'former'.\n"
        "Fix the rows above, or run again with --skip-bad to set them aside in a rejects CSV.\n"
    )
    assert "Traceback" not in err


def test_skip_bad_writes_rejects_and_goes_on(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data(ENT, [("A", "X", "钢", 1), ("A", "B", "钢", 2)])
    rejects = tmp_path / "rejects.csv"
    code, out, err = run("validate", str(folder), "--skip-bad", "--rejects", str(rejects), "--format", "json")
    assert code == 0
    assert err == f"set aside 1 problem(s), written to {rejects}\n"
    links = json.loads(out)["files"][1]
    assert (links["rows"], links["loaded"], links["rejected"]) == (2, 1, 1)
    assert "unknown enterprise id" in rejects.read_text(encoding="utf-8-sig")


def test_missing_folder() -> None:
    code, _, err = run("validate", "no/such/folder")
    assert code == 2
    assert (
        err == "Error: data folder 'no/such/folder' does not exist. Pass a folder with enterprises.csv and links.csv "
        "(or .xlsx files), or one .xlsx workbook.\n"
    )


def test_unknown_zone_exit_2_closest_first() -> None:
    code, _, err = run("gaps", str(DATA), "--zone", "晋城")
    assert code == 2
    assert err.startswith("Error: unknown zone '晋城'. The data has: 晋城市、晋城经开区、")
    assert err.endswith("Pass one of them with --zone.\n")


def test_closure_json_keys() -> None:
    code, out, _ = run("closure", str(DATA), "--zone", "晋城经开区", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert {"zone", "local_sourcing_ratio", "local_value", "total_value", "chains", "local_chains"} <= set(data)
    assert {"end_product", "stage_coverage", "closed", "missing_stages"} <= set(data["chains"][0])
    assert ["JC-JG", "JC-FSK", "JC-YTL"] in data["local_chains"]


def test_savings_json_has_seed_case() -> None:
    code, out, _ = run("savings", str(DATA), "--zone", "晋城经开区", "-f", "json")
    data = json.loads(out)
    assert code == 0
    row = next(r for r in data["realized"] if r["buyer_id"] == "JC-YTL")
    assert (row["product"], row["supplier_id"], row["unit_saving"], round(row["saving_rate"], 3)) == (
        "充电桩箱体",
        "JC-FSK",
        450.0,
        0.136,
    )
    assert {"buyer_id", "product", "supplier_id", "unit_saving", "saving_rate", "annual_saving", "candidates"} <= set(
        data["potential"][0]
    )
    assert {"total_realized", "total_potential"} <= set(data)


def test_gaps_json_and_csv() -> None:
    code, out, _ = run("gaps", str(DATA), "--zone", "晋城经开区", "-f", "json")
    rows = json.loads(out)["gaps"]
    assert code == 0
    assert {"product", "kind", "external_demand", "buyers", "suppliers", "dependents"} <= set(rows[0])
    assert {"id", "name", "zone", "share"} <= set(rows[0]["suppliers"][0])
    demands = [r["external_demand"] for r in rows]
    assert demands == sorted(demands, reverse=True)
    code, out, _ = run("gaps", str(DATA), "--zone", "晋城经开区", "-f", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("product,kind,external_demand")


def test_tables_fit_80_columns() -> None:
    code, out, _ = run("analyze", str(DATA), "--zone", "晋城经开区")
    assert code == 0
    from rich.cells import cell_len

    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert "本地配套率" in out and "缺链" in out and "13.6%" in out


def test_analyze_json_and_csv_dir(tmp_path: Path) -> None:
    code, out, _ = run("analyze", str(DATA), "-z", "晋城经开区", "-f", "json")
    assert code == 0
    assert set(json.loads(out)) == {"zone", "closure", "savings", "gaps"}
    code, _, err = run("analyze", str(DATA), "-z", "晋城经开区", "-f", "csv")
    assert code == 2 and "-o DIR" in err
    code, _, _ = run("analyze", str(DATA), "-z", "晋城经开区", "-f", "csv", "-o", str(tmp_path / "out"))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["closure.csv", "gaps.csv", "savings.csv"]


def test_same_input_same_bytes() -> None:
    a = run("analyze", str(DATA), "-z", "晋城经开区", "-f", "json")[1]
    b = run("analyze", str(DATA), "-z", "晋城经开区", "-f", "json")[1]
    assert a == b


def test_bad_saving_rate() -> None:
    code, _, err = run("savings", str(DATA), "-z", "晋城经开区", "--local-saving-rate", "1.5")
    assert code == 2
    assert err == "Error: --local-saving-rate must be in [0, 1), not 1.5.\n"


def test_synth_writes_loadable_data_same_seed_same_bytes(tmp_path: Path) -> None:
    code, out, _ = run("synth", str(tmp_path / "a"), "--links", "3000", "--zones", "3", "--gbk", "--seed", "4")
    assert (code, out) == (0, f"wrote 3,000 links for 3 zones into {tmp_path / 'a'}\n")
    code, out, _ = run("validate", str(tmp_path / "a"), "--format", "json")
    summary = json.loads(out)
    assert code == 0 and summary["problems"] == []
    assert [(f["kind"], f["loaded"], f["encoding"]) for f in summary["files"]][1] == ("links", 3000, "gb18030")
    assert set(summary["links_per_status"]) == {"active", "planned", "former"}
    assert all(n > 0 for n in summary["links_per_status"].values())
    assert run("synth", str(tmp_path / "b"), "--links", "3000", "--zones", "3", "--gbk", "--seed", "4")[0] == 0
    for name in ("enterprises.csv", "links.csv", "chains.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    code, _, err = run("synth", str(tmp_path / "c"), "--links", "0")
    assert code == 2 and "Invalid value for '--links': 0 is not in the range x>=1." in err


def test_analyze_all_zones_summary_json_csv_table(tmp_path: Path) -> None:
    code, out, _ = run("analyze", str(DATA), "--all-zones", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    jc = next(r for r in doc["zones"] if r["zone"] == "晋城经开区")
    assert doc["scope"] == "zone" and jc["local_sourcing_ratio"] == 0.097278 and jc["total_realized"] == 15240000.0
    assert set(jc) == {"zone", "local_sourcing_ratio", "local_value", "total_value", "total_realized",
                       "total_potential", "gaps", "missing", "weak", "empty"}  # fmt: skip
    assert any(r["local_sourcing_ratio"] is None for r in doc["zones"])  # a zone that buys nothing: null, not NaN
    code, out, _ = run("analyze", str(DATA), "--all-zones", "-f", "csv", "-o", str(tmp_path / "z.csv"))
    assert code == 0
    raw = (tmp_path / "z.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a file for Excel: UTF-8 with BOM
    lines = raw.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "zone,local_sourcing_ratio,local_value,total_value,total_realized,total_potential,gaps,missing,weak,empty"
    )
    assert len(lines) == len(doc["zones"]) + 1
    code, out, _ = run("analyze", str(DATA), "--all-zones")
    assert code == 0 and "各园区概览" in out and "晋城经开区" in out and "9.7%" in out
    ranked, others = out.split("区内无本地采购的地区")  # zones ranked by LSR; outside suppliers' regions apart
    assert ranked.index("高平经开") < ranked.index("晋城经开") and "深圳市" not in ranked and "深圳市" in others


def test_analyze_all_zones_detail_streams_every_zone() -> None:
    code, out, _ = run("analyze", str(DATA), "--all-zones", "-f", "json", "--detail")
    assert code == 0
    doc = json.loads(out)
    one = json.loads(run("analyze", str(DATA), "-z", "晋城经开区", "-f", "json")[1])
    assert doc["zones"]["晋城经开区"] == one
    code, _, err = run("analyze", str(DATA), "--all-zones", "--detail")
    assert code == 2
    assert err == "Error: --detail goes with --all-zones -f json (one zone's full analysis: --zone Z).\n"


def test_savings_table_leaves_out_potential_rows_that_save_nothing() -> None:
    """Four of 晋城's potential rows save 0 元 (local is dearer): counted in a line, not listed as 0元 rows."""
    code, out, _ = run("savings", str(DATA), "--zone", "晋城经开区")
    assert code == 0 and "另有 4 行外地到厂价不高于区内参考价，节约为 0，未列出" in out
    potential = out.split("潜在节约 Potential savings")[1]
    assert re.search(r"│\s*0元\s*│", potential) is None
