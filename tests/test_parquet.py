"""Parquet tables in SOURCE: the same validation and messages as CSV, rows counted from the first data row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chaingraph import synth as synth_mod
from chaingraph.errors import InputError
from chaingraph.load import load_dataset
from chaingraph.synth import SynthSpec, write_synth


def _same_but_lines(a: object, b: object) -> None:
    for name in ("enterprises", "links", "chains"):
        x, y = getattr(a, name), getattr(b, name)
        if x is None:
            assert y is None
            continue
        pd.testing.assert_frame_equal(x.drop(columns="line"), y.drop(columns="line"), check_exact=True)
        assert (x["line"] - y["line"]).eq(1).all()  # CSV line 2 is Parquet row 1


def _folder(tmp_path: Path, enterprises: dict[str, list[object]], links: dict[str, list[object]]) -> Path:
    folder = tmp_path / "pq"
    folder.mkdir()
    pq.write_table(pa.table(enterprises), folder / "enterprises.parquet")
    pq.write_table(pa.table(links), folder / "links.parquet")
    return folder


def _problems(folder: Path, **kw: bool) -> list[str]:
    with pytest.raises(InputError) as err:
        load_dataset(folder, **kw)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("chains", [True, False])
def test_synth_parquet_loads_as_its_csv(tmp_path: Path, chains: bool) -> None:
    spec = SynthSpec(links=4000, zones=3, seed=8, chains=chains)
    csv_ds = load_dataset(write_synth(spec, tmp_path / "csv"))
    pq_ds = load_dataset(write_synth(spec, tmp_path / "pq", fmt="parquet"))
    _same_but_lines(csv_ds, pq_ds)
    assert [f.encoding for f in pq_ds.files] == ["parquet"] * len(pq_ds.files)
    assert pq_ds.files[1].rows == 4000 and not pq_ds.rejected and not pq_ds.warnings


def test_synth_in_pieces_is_one_table_in_either_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth_mod, "PIECE_LINKS", 700)
    spec = SynthSpec(links=2000, zones=3, seed=9)
    a = load_dataset(write_synth(spec, tmp_path / "csv"))
    b = load_dataset(write_synth(spec, tmp_path / "pq", fmt="parquet"))
    assert len(a.links) == 2000 and a.links["line"].tolist() == list(range(2, 2002))
    _same_but_lines(a, b)
    again = load_dataset(write_synth(spec, tmp_path / "again"))
    pd.testing.assert_frame_equal(a.links, again.links)  # the same spec, the same files


def test_errors_name_file_row_column_and_value(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        {"id": ["A", "B", "A"], "name": ["甲", "乙", "丙"], "zone": ["Z", "Z", "Z"]},
        {"供应商ID": ["A", "A", "X"], "采购方ID": ["B", "B", "B"], "产品": ["钢", "钢", "钢"],
         "年采购额(万元)": [1.5, -5.0, None]},
    )  # fmt: skip
    e, lk = folder / "enterprises.parquet", folder / "links.parquet"
    assert _problems(folder) == [
        f"{e}, row 3, column 'id', value 'A': duplicate enterprise id. The id is first used on row 1; merge the "
        "rows or give a new id.",
        f"{lk}, row 2, column '年采购额(万元)', value '-5': negative amount. Amounts are yuan >= 0; write a former "
        "supply as status 'former'.",
        f"{lk}, row 3, column '供应商ID', value 'X': unknown enterprise id. Add the enterprise to enterprises.csv "
        "or correct the id.",
        f"{lk}, row 3, column '年采购额(万元)', value '': no annual value, and no volume and unit price to compute "
        "it. Fill in annual_value (年采购额) in yuan, or annual_volume and unit_price.",
    ]
    ds = load_dataset(folder, skip_bad=True)
    assert ds.links["annual_value"].tolist() == [15000.0]  # the header's unit, as in CSV
    assert ds.links["line"].tolist() == [1] and ds.files[1].rejected == 2


def test_column_problems_concern_the_whole_file(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"id": ["A"], "联系人": ["甲"]},
                     {"supplier_id": ["A"], "buyer_id": ["A"], "product": ["钢"], "物流费用": [1]})  # fmt: skip
    assert _problems(folder) == [
        f"{folder / 'enterprises.parquet'}: required column 'name' is missing. Add a column headed name / 企业名称. "
        "The columns are: 'id', '联系人'.",
        f"{folder / 'enterprises.parquet'}: required column 'zone' is missing. Add a column headed zone / 所在园区 / "
        "开发区 / 所在地区. The columns are: 'id', '联系人'.",
        f"{folder / 'links.parquet'}, column '物流费用': unknown column → did you mean logistics_cost (物流成本)? "
        "Rename the header to 物流成本 (or logistics_cost), or pass ignore_unknown_columns to leave the column out.",
    ]


def test_types_read_as_text(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        {"id": pa.array(["A", "B", "L"]).dictionary_encode(), "name": ["甲", " 乙 ", "丙"], "zone": ["Z", "Z", "Z"],
         "products": pa.array([["钢", "铁"], [], None]), "employees": pa.array([10, None, 3], pa.int32()),
         "chain_leader": [True, False, None], "kind": ["", "", "物流"]},
        {"supplier_id": ["A", "A"], "buyer_id": ["B", "B"], "product": ["钢", "铁"],
         "annual_value": [float("nan"), 7.25], "annual_volume": [2.0, None], "unit_price": [3.5, None],
         "via": pa.array([["L"], None])},
    )  # fmt: skip
    ds = load_dataset(folder)
    e = ds.enterprises
    assert e["products"].tolist() == ["钢;铁", "", ""] and e["name"].tolist() == ["甲", "乙", "丙"]
    assert e["employees"].tolist()[0] == 10 and e["chain_leader"].tolist() == [True, False, False]
    assert ds.links["value"].tolist() == [7.0, 7.25]  # NaN is an empty cell: volume × price
    assert ds.links["via"].tolist() == ["L", ""]


def test_unusable_parquet_files(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"id": ["A"], "name": ["甲"], "zone": ["Z"], "lat": pa.array([{"x": 1}])},
                     {"supplier_id": ["A"], "buyer_id": ["A"], "product": ["钢"]})  # fmt: skip
    assert _problems(folder) == [
        f"{folder / 'enterprises.parquet'}, column 'lat': the column holds struct<x: int64> values, not text or "
        "numbers. Write the column as text or numbers."
    ]
    (folder / "enterprises.parquet").write_bytes(b"PAR1 not really")
    (problem,) = _problems(folder)
    assert problem.startswith(f"{folder / 'enterprises.parquet'}: cannot read the file as Parquet (")
    (folder / "enterprises.parquet").unlink()
    (folder / "enterprises.csv").write_text("id,name,zone\nA,甲,Z\n", encoding="utf-8")
    (folder / "enterprises.parquet").write_bytes(b"")
    assert _problems(folder) == [
        f"{folder}: enterprises.csv and enterprises.parquet both hold the enterprises table. Keep one of them in "
        "the folder."
    ]


def test_a_csv_and_a_parquet_table_side_by_side(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"id": ["A", "B"], "name": ["甲", "乙"], "zone": ["Z", "Y"]},
                     {"supplier_id": ["A"], "buyer_id": ["B"], "product": ["钢"], "annual_value": [100.0]})  # fmt: skip
    (folder / "enterprises.parquet").unlink()
    (folder / "企业.csv").write_text("id,name,zone\nA,甲,Z\nB,乙,Y\n", encoding="utf-8")
    ds = load_dataset(folder)
    assert ds.links["value"].tolist() == [100.0] and [f.encoding for f in ds.files] == ["utf-8", "parquet"]


def test_synth_command_writes_parquet(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from chaingraph.cli import main

    out = tmp_path / "syn"
    result = CliRunner().invoke(main, ["synth", str(out), "--links", "300", "--format", "parquet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["chains.parquet", "enterprises.parquet", "links.parquet"]
    assert len(load_dataset(out).links) == 300
    refused = CliRunner().invoke(main, ["synth", str(tmp_path / "x"), "--format", "parquet", "--gbk"])
    assert refused.exit_code == 2 and "Error: --gbk is for CSV files; Parquet text is always UTF-8." in refused.output


def test_results_as_parquet(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from chaingraph.cli import main

    run = CliRunner().invoke
    out = tmp_path / "gaps.parquet"
    result = run(main, ["gaps", "data", "--zone", "晋城经开区", "-f", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    as_csv = run(main, ["gaps", "data", "--zone", "晋城经开区", "-f", "csv"]).output
    frame = pd.read_parquet(out)
    assert list(frame.columns) == as_csv.splitlines()[0].split(",")  # the --format csv table, with its types
    assert frame.loc[frame["product"] == "功率模块", "kind"].tolist() == ["missing"]
    assert frame["external_demand"].dtype == "float64"
    folder = tmp_path / "analyze"
    assert run(main, ["analyze", "data", "--zone", "晋城经开区", "-f", "parquet", "-o", str(folder)]).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["closure.parquet", "gaps.parquet", "savings.parquet"]
    zones = tmp_path / "zones.parquet"
    assert run(main, ["analyze", "data", "--all-zones", "-f", "parquet", "-o", str(zones)]).exit_code == 0
    assert "晋城经开区" in pd.read_parquet(zones)["zone"].tolist()
    for args in (["gaps", "data", "--zone", "晋城经开区"], ["analyze", "data", "--all-zones"]):
        refused = run(main, [*args, "-f", "parquet"])
        assert (
            refused.exit_code == 2 and "Error: --format parquet writes a file: give one with -o FILE" in refused.output
        )
    refused = run(main, ["analyze", "data", "--zone", "晋城经开区", "-f", "parquet"])
    assert "Error: --format parquet for analyze writes three files: give a folder with -o DIR." in refused.output
