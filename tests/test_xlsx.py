"""Excel input (issue 17): workbooks and folders of .xlsx files, units, unknown headers, ids; exact messages."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from chaingraph.cli import main
from chaingraph.errors import InputError
from chaingraph.load import load_dataset
from tests.conftest import DATA, write_csv
from tests.xlsx_util import sample_workbook, sheet_book

ENT_HEAD = ["企业ID", "企业名称", "所在园区"]
ENT_ROWS = [("A", "甲厂", "Z"), ("B", "乙厂", "Z"), ("C", "丙厂", "外地")]
LINK_HEAD = ["供应商ID", "采购方ID", "产品", "年采购额"]


def problems(source: Path, **kw: bool) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_dataset(source, **kw)
    return [str(p) for p in exc.value.problems]


def book(tmp_path: Path, links: list[tuple[object, ...]], *, head: list[str] = LINK_HEAD, **sheets: object) -> Path:
    return sheet_book(tmp_path / "数据.xlsx", {"企业": [ENT_HEAD, *ENT_ROWS], "供应关系": [head, *links], **sheets})  # type: ignore[dict-item]


def test_sample_workbook_gives_exactly_the_csv_figures(tmp_path: Path) -> None:
    """The sample data as a workbook (Chinese sheet names and headers, money in 万元) loads to the same tables."""
    path = sample_workbook(DATA, tmp_path / "样例.xlsx")
    xl, csv = load_dataset(path), load_dataset(DATA)
    for table in ("enterprises", "links", "chains"):
        pd.testing.assert_frame_equal(getattr(xl, table), getattr(csv, table))
    assert [(f.sheet, f.rows, f.units) for f in xl.files] == [
        ("企业", 170, ("output_value read in 万元 from header '年产值(万元)' (×10000)",)),
        ("供应关系", 385, ("annual_value read in 万元 from header '年采购额(万元)' (×10000)",)),
        ("产业链", 51, ()),
    ]
    runner = CliRunner()
    for cmd in (["analyze", "-f", "json"], ["gaps", "--rank", "-f", "json"], ["leaders", "-f", "csv"]):
        a = runner.invoke(main, [cmd[0], str(path), "-z", "晋城经开区", *cmd[1:]])
        b = runner.invoke(main, [cmd[0], str(DATA), "-z", "晋城经开区", *cmd[1:]])
        assert a.exit_code == 0 and a.stdout == b.stdout and a.stdout


def test_folder_of_xlsx_and_csv_files(tmp_path: Path) -> None:
    sheet_book(tmp_path / "企业.xlsx", {"Sheet1": [ENT_HEAD, *ENT_ROWS]})
    write_csv(tmp_path / "links.csv", LINK_HEAD, [("A", "B", "钢", 100)])
    ds = load_dataset(tmp_path)
    assert ds.names.to_dict() == {"A": "甲厂", "B": "乙厂", "C": "丙厂"}
    assert [(f.file, f.sheet) for f in ds.files] == [
        (f"{tmp_path}/企业.xlsx", "Sheet1"),
        (f"{tmp_path}/links.csv", None),
    ]
    sheet_book(tmp_path / "links.xlsx", {"Sheet1": [LINK_HEAD]})
    assert problems(tmp_path) == [
        f"{tmp_path}: links.csv and links.xlsx both hold the links table. Keep one of them in the folder."
    ]


def test_english_sheet_names_any_case(tmp_path: Path) -> None:
    path = sheet_book(tmp_path / "b.xlsx", {"Enterprises": [["id", "name", "zone"], *ENT_ROWS],
                                            "LINKS": [["supplier_id", "buyer_id", "product", "annual_value"],
                                                      ("A", "B", "钢", 5)]})  # fmt: skip
    assert load_dataset(path).links["value"].tolist() == [5.0]


def test_missing_sheet_names_the_sheets_there(tmp_path: Path) -> None:
    path = sheet_book(tmp_path / "b.xlsx", {"企业": [ENT_HEAD, *ENT_ROWS], "Sheet2": [LINK_HEAD]})
    assert problems(path) == [
        f"{path}: the workbook has no sheet 供应关系 (links). Name the sheet links / 供应关系 / 供需关系 / 采购关系 / "
        "配套关系; the workbook has: 企业, Sheet2."
    ]


def test_errors_name_workbook_sheet_row_and_column(tmp_path: Path) -> None:
    path = book(tmp_path, [("A", "B", "钢", 100), ("A", "X9", "钢", -5)])
    assert problems(path) == [
        f"{path}, sheet '供应关系', row 3, column '采购方ID', value 'X9': unknown enterprise id. "
        "Add the enterprise to enterprises.csv or correct the id.",
        f"{path}, sheet '供应关系', row 3, column '年采购额', value '-5': negative amount. "
        "Amounts are yuan >= 0; write a former supply as status 'former'.",
    ]


def test_rejects_csv_names_the_sheet(tmp_path: Path) -> None:
    path = book(tmp_path, [("A", "B", "钢", 100), ("A", "B", "钢", "abc")])
    r = CliRunner().invoke(main, ["validate", str(path), "--skip-bad", "--rejects", str(tmp_path / "rej.csv")])
    assert r.exit_code == 0
    lines = (tmp_path / "rej.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith(f"{path} [供应关系],3,年采购额,abc,not a number,")


def test_cells_typed_as_numbers_dates_text_and_booleans(tmp_path: Path) -> None:
    ent = [["企业ID", "企业名称", "所在园区", "链主", "年产值"], (1001, "甲厂", "Z", True, 9800000000),
           ("001", "乙厂", "Z", False, 12.5)]  # fmt: skip
    links = [(1001, "001", "钢", 24000), (1001, "001", "钢", 4650.5)]
    path = sheet_book(tmp_path / "b.xlsx", {"企业": ent, "供应关系": [LINK_HEAD, *links]})
    ds = load_dataset(path)
    assert ds.enterprises[["id", "chain_leader", "output_value"]].values.tolist() == [
        ["1001", True, 9800000000.0],
        ["001", False, 12.5],
    ]
    assert ds.links["value"].tolist() == [24000.0, 4650.5]
    path = book(tmp_path, [("A", "B", "钢", datetime.date(2024, 3, 5))])
    assert problems(path) == [
        f"{path}, sheet '供应关系', row 2, column '年采购额', value '2024-03-05 00:00:00': a date, not a number. "
        "Excel turned the entry into a date: format the column as 数值 (number) and type it again."
    ]


def test_excel_error_values_are_named(tmp_path: Path) -> None:
    path = book(tmp_path, [("A", "B", "钢", 100), ("A", "B", "钢", "#N/A")])
    wb = openpyxl.load_workbook(path)
    wb["供应关系"]["D3"].data_type = "e"
    wb.save(path)
    assert problems(path) == [
        f"{path}, sheet '供应关系', row 3, column '年采购额', value '#N/A': the cell holds an Excel error value. "
        "Fix the formula, or type the value."
    ]


def test_title_row_merged_header_hidden_and_trailing_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "供应关系"
    ws.append(["2024年供应关系表"])
    ws.merge_cells("A1:D1")  # a title merged across the table
    ws.append(LINK_HEAD)
    ws.append(["A", "B", "钢", 100])
    ws.append(["A", None, "钢", 200])
    ws.merge_cells("B3:B4")  # one buyer merged over two rows: the sheet shows B in both
    ws.append([None, None, None, None])
    ws.append(["C", "B", "钢", 300])
    ws.row_dimensions[6].hidden = True
    for r in range(7, 40):  # formatted but empty rows and columns at the end
        ws.cell(r, 6).number_format = "0.00"
    ent = wb.create_sheet("企业")
    for row in [ENT_HEAD, *ENT_ROWS]:
        ent.append(list(row))
    path = tmp_path / "b.xlsx"
    wb.save(path)
    ds = load_dataset(path)
    assert ds.links[["supplier_id", "buyer_id", "value", "line"]].values.tolist() == [
        ["A", "B", 100.0, 3],
        ["A", "B", 200.0, 4],
        ["C", "B", 300.0, 6],
    ]
    links = next(f for f in ds.files if f.kind == "links")
    assert (links.rows, links.blank_lines) == (3, 1)
    assert [str(w) for w in ds.warnings] == [
        f"{path}, sheet '供应关系', row 1, value '2024年供应关系表': read as a title above the header, not as data.",
        f"{path}, sheet '供应关系', row 6: hidden rows were read like the others (rows 6). "
        "Delete the rows that should not count, or unhide them to check.",
    ]


def test_header_units_and_cell_units(tmp_path: Path) -> None:
    head = ["供应商ID", "采购方ID", "产品", "年采购额(万元)", "单价（元/吨）", "年采购量(万吨)"]
    rows = [("A", "B", "钢", 1.07, 4650, 2), ("A", "B", "钢", "3亿元", "", ""), ("A", "B", "钢", "1,234元", "", ""),
            ("A", "B", "钢", "", "1.5万", 0.5)]  # fmt: skip
    write_csv(tmp_path / "links.csv", head, rows)
    write_csv(tmp_path / "enterprises.csv", ENT_HEAD, ENT_ROWS)
    ds = load_dataset(tmp_path)
    assert ds.links["annual_value"].tolist()[:3] == [10700.0, 3e8, 1234.0]
    assert ds.links["unit_price"].tolist()[3] == 15000.0
    assert ds.links["annual_volume"].tolist() == [20000.0, None, None, 5000.0] or ds.links["annual_volume"].fillna(
        -1
    ).tolist() == [20000.0, -1, -1, 5000.0]
    r = CliRunner().invoke(main, ["validate", str(tmp_path), "-f", "json"])
    files = {f["kind"]: f["units"] for f in __import__("json").loads(r.stdout)["files"]}
    assert files["links"] == [
        "annual_value read in 万元 from header '年采购额(万元)' (×10000)",
        "unit_price read in 元/吨 from header '单价（元/吨）'",
        "annual_volume read in 万吨 from header '年采购量(万吨)' (×10000)",
    ]
    table = CliRunner().invoke(main, ["validate", str(tmp_path)]).stdout
    assert "annual_value read in 万元 from header" in table


def test_unknown_unit_in_a_money_header(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ENT_HEAD, ENT_ROWS)
    write_csv(tmp_path / "links.csv", ["供应商ID", "采购方ID", "产品", "年采购额(美元)"], [("A", "B", "钢", 1)])
    assert problems(tmp_path) == [
        f"{tmp_path}/links.csv, line 1, column '年采购额(美元)': unknown unit '美元' for annual_value. Amounts are "
        "in 元; a header may give one of 元 / 人民币 / 人民币元 / 千元 / 万 / 万元 / 百万 / 百万元 / 亿 / 亿元, e.g. 年采购额(万元)."
    ]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1,5", "a comma that is not a thousands separator (a decimal comma?)"),
        ("12,34", "a comma that is not a thousands separator (a decimal comma?)"),
        ("1.234,50", "a comma that is not a thousands separator (a decimal comma?)"),
    ],
)
def test_decimal_commas_stop_with_the_cell(tmp_path: Path, cell: str, message: str) -> None:
    write_csv(tmp_path / "enterprises.csv", ENT_HEAD, ENT_ROWS)
    write_csv(tmp_path / "links.csv", LINK_HEAD, [("A", "B", "钢", "1,234.5"), ("A", "B", "钢", cell)])
    assert problems(tmp_path) == [
        f"{tmp_path}/links.csv, line 3, column '年采购额', value '{cell}': {message}. "
        "Write 1.5 for one and a half; a thousands separator groups three digits (1,500)."
    ]


def test_unknown_headers_close_miss_is_an_error_other_extras_warn(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", [*ENT_HEAD, "联系人"], [(*r, "张三") for r in ENT_ROWS])
    write_csv(tmp_path / "links.csv", ["供应商ID", "采购方ID", "产品", "年采购额", "单价", "物流费用"],
              [("A", "B", "钢", 1000, 10, 2)])  # fmt: skip
    runner = CliRunner()
    r = runner.invoke(main, ["closure", str(tmp_path), "-z", "Z"])
    assert r.exit_code == 2
    assert r.stderr.splitlines()[1] == (
        f"  {tmp_path}/links.csv, line 1, column '物流费用': unknown column → did you mean logistics_cost (物流成本)? "
        "Rename the header to 物流成本 (or logistics_cost), or pass --ignore-unknown-columns to leave the column out."
    )
    r = runner.invoke(main, ["closure", str(tmp_path), "-z", "Z", "--ignore-unknown-columns", "-f", "json"])
    assert r.exit_code == 0
    assert r.stderr.splitlines() == [
        f"warning: {tmp_path}/enterprises.csv, line 1, column '联系人': unknown column, ignored. Known columns: id, "
        "name, zone, park, city, province, industry, products, kind, output_value, employees, chain_leader, lat, lon.",
        f"warning: {tmp_path}/links.csv, line 1, column '物流费用': unknown column, ignored → did you mean "
        "logistics_cost (物流成本)?",
    ]


def test_extra_column_near_a_present_column_is_a_warning(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ENT_HEAD, ENT_ROWS)
    write_csv(tmp_path / "links.csv", [*LINK_HEAD, "年采购额2"], [("A", "B", "钢", 1, 2)])
    ds = load_dataset(tmp_path)
    assert [w.message for w in ds.warnings] == ["unknown column, ignored → did you mean annual_value (年采购额)?"]


def test_ids_trimmed_and_full_width_normalised_with_a_word(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ENT_HEAD, [("\u3000JC-01 ", "甲厂", "Z"), ("JC-02", "乙厂", "Z")])
    write_csv(tmp_path / "links.csv", LINK_HEAD, [("ＪＣ－０１", "JC-02\u200b", "钢", 1)])
    ds = load_dataset(tmp_path)
    assert ds.enterprises["id"].tolist() == ["JC-01", "JC-02"]
    assert ds.links[["supplier_id", "buyer_id"]].values.tolist() == [["JC-01", "JC-02"]]
    assert [str(w) for w in ds.warnings] == [
        f"{tmp_path}/links.csv, line 2, column '供应商ID', value 'ＪＣ－０１': id read as 'JC-01'. "
        "Full-width letters and digits are read as ASCII, invisible characters removed.",
        f"{tmp_path}/links.csv, line 2, column '采购方ID', value 'JC-02\\u200b': id read as 'JC-02'. "
        "Full-width letters and digits are read as ASCII, invisible characters removed.",
    ]


def test_look_alike_enterprise_ids_are_reported_not_merged(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ENT_HEAD,
              [("JC-01", "甲厂", "Z"), ("ＪＣ-01", "甲厂", "Z"), ("jc-01", "甲厂", "Z"), ("JC\u200b-01", "甲厂", "Z")])  # fmt: skip
    write_csv(tmp_path / "links.csv", LINK_HEAD, [("JC-01", "Jc-01", "钢", 1)])
    got = problems(tmp_path)
    assert got == [
        f"{tmp_path}/enterprises.csv, line 3, column '企业ID', value 'JC-01': duplicate enterprise id. "
        "The id is first used on line 2; merge the rows or give a new id.",
        f"{tmp_path}/enterprises.csv, line 4, column '企业ID', value 'jc-01': the id differs only in letter case "
        "from another enterprise's. 'JC-01' is on line 2; ids are case-sensitive: write one firm's id one way, "
        "or make the ids differ.",
        f"{tmp_path}/enterprises.csv, line 5, column '企业ID', value 'JC-01': duplicate enterprise id. "
        "The id is first used on line 2; merge the rows or give a new id.",
        f"{tmp_path}/links.csv, line 2, column '采购方ID', value 'Jc-01': unknown enterprise id. "
        "Did you mean 'JC-01'? Ids are case-sensitive.",
    ]


def test_bidi_controls_removed_from_names_with_a_word(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ENT_HEAD, [("A", "甲\u202e厂乙", "Z"), ("B", "乙厂", "Z")])
    write_csv(tmp_path / "links.csv", LINK_HEAD, [("A", "B", "钢", 1)])
    ds = load_dataset(tmp_path)
    assert ds.names["A"] == "甲厂乙"
    assert [str(w) for w in ds.warnings] == [
        f"{tmp_path}/enterprises.csv, line 2, column '企业名称', value '\\\\u7532\\\\u202e\\\\u5382\\\\u4e59': invisible "
        "control characters removed (U+202E). They can reorder or hide what a name shows (bidi controls, "
        "zero-width spaces)."
    ]


# Issue 23's loader cases: each stops naming the file and line, or loads with a word.


def _csv_pair(folder: Path, links: bytes) -> Path:
    write_csv(folder / "enterprises.csv", ["id", "name", "zone"], [("A", "电池厂", "Z"), ("B", "乙厂", "Z")])
    (folder / "links.csv").write_bytes(links)
    return folder


def test_stray_cp1252_byte_names_its_line_instead_of_switching_to_gb18030(tmp_path: Path) -> None:
    body = "supplier_id,buyer_id,product,annual_value,note\nA,B,电池,1,\nA,B,电池,2,Caf".encode() + b"\x92\n"
    assert problems(_csv_pair(tmp_path, body)) == [
        f"{tmp_path}/links.csv, line 3, column 'note', value 'Caf\\\\x92': byte 0x92 is not UTF-8, though the rest "
        "of the file is. Retype the character there, or save the file again as 'CSV UTF-8'."
    ]


def test_gbk_file_still_loads(tmp_path: Path) -> None:
    body = "supplier_id,buyer_id,product,annual_value\nA,B,电池,1\n".encode("gbk")
    ds = load_dataset(_csv_pair(tmp_path, body))
    assert ds.links["product"].tolist() == ["电池"] and ds.files[1].encoding == "gb18030"


def test_quote_left_open_does_not_swallow_the_rows_after_it(tmp_path: Path) -> None:
    body = 'supplier_id,buyer_id,product,annual_value,note\nA,B,电池,1,"open\nA,B,电池,2,\nA,B,电池,3,\n'.encode()
    assert problems(_csv_pair(tmp_path, body)) == [
        f'{tmp_path}/links.csv, line 2: a quote (") opened on this line is never closed: the rows after it would '
        'be read as one cell. Close the quote, or remove it (a cell holding " is written "").'
    ]


def test_quoted_note_spanning_lines_that_look_like_rows_gets_a_word(tmp_path: Path) -> None:
    body = 'supplier_id,buyer_id,product,annual_value,note\nA,B,电池,1,"x\nA,B,电池,2,"\nA,B,电池,3,"ok\nfine"\n'
    ds = load_dataset(_csv_pair(tmp_path, body.encode()))
    assert ds.links["value"].tolist() == [1.0, 3.0]
    assert [str(w) for w in ds.warnings] == [
        f"{tmp_path}/links.csv, line 2, column 'note': the quoted cell spans lines 2-3, which look like rows. "
        "If they are rows, close the quote on line 2; they were read as one cell."
    ]


def test_utf16_is_called_utf16(tmp_path: Path) -> None:
    body = "supplier_id,buyer_id,product\nA,B,电池\n".encode("utf-16")
    assert problems(_csv_pair(tmp_path, body)) == [
        f"{tmp_path}/links.csv: the file is UTF-16 text (Excel's 'Unicode Text'), not CSV. "
        "Save it again from Excel as 'CSV UTF-8 (逗号分隔)'."
    ]


@pytest.mark.parametrize("lead", [b"\xef\xbb\xbf\xef\xbb\xbf", b"\n", b"\r\n\r\n"])
def test_double_bom_or_blank_first_lines_load(tmp_path: Path, lead: bytes) -> None:
    body = lead + b"supplier_id,buyer_id,product,annual_value\nA,B,x,1\nQ,B,x,1\n"
    got = problems(_csv_pair(tmp_path, body))
    blank = lead.count(b"\n")
    assert got == [
        f"{tmp_path}/links.csv, line {3 + blank}, column 'supplier_id', value 'Q': unknown enterprise id. "
        "Add the enterprise to enterprises.csv or correct the id."
    ]


def test_missing_column_message_shows_the_header_seen(tmp_path: Path) -> None:
    body = b"\xef\xbb\xbfsupplier,buyer_id,product\nA,B,x\n"
    assert problems(_csv_pair(tmp_path, body)) == [
        f"{tmp_path}/links.csv, line 1, column 'supplier': unknown column → did you mean supplier_id (供应商ID)? "
        "Rename the header to 供应商ID (or supplier_id), or pass ignore_unknown_columns to leave the column out.",
        f"{tmp_path}/links.csv, line 1: required column 'supplier_id' is missing. Add a column headed supplier_id / "
        "供应商ID. The header (line 1) reads: 'supplier', 'buyer_id', 'product'.",
    ]


def test_source_that_is_a_file(tmp_path: Path) -> None:
    runner = CliRunner()
    _csv_pair(tmp_path, b"supplier_id,buyer_id,product\n")
    r = runner.invoke(main, ["validate", str(tmp_path / "links.csv")])
    assert (r.exit_code, r.stderr) == (2, f"Error: SOURCE '{tmp_path}/links.csv' is a CSV file, not a data folder: "
                                          f"pass the folder that holds it ('{tmp_path}'), with enterprises.csv and "
                                          "links.csv.\n")  # fmt: skip
    (tmp_path / "notes.txt").write_text("x")
    r = runner.invoke(main, ["validate", str(tmp_path / "notes.txt")])
    assert r.stderr == (f"Error: SOURCE '{tmp_path}/notes.txt' is a file, neither a data folder nor an Excel "
                        "workbook. Pass a folder with enterprises.csv and links.csv (or .xlsx files), or one .xlsx "
                        "workbook.\n")  # fmt: skip
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    r = runner.invoke(main, ["validate", str(tmp_path / "bad.xlsx")])
    assert r.exit_code == 2 and r.stderr.startswith(
        f"Error: 1 problem in the input:\n  {tmp_path}/bad.xlsx: the file cannot be read as an Excel workbook ("
    )


def test_small_amounts_are_read_as_written(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ENT_HEAD, ENT_ROWS)
    write_csv(tmp_path / "links.csv", [*LINK_HEAD, "单价"], [("A", "B", "钢", "0.005", "0.0035")])
    ds = load_dataset(tmp_path)
    assert ds.links[["annual_value", "unit_price", "value"]].values.tolist() == [[0.005, 0.0035, 0.005]]


def test_template_round_trips(tmp_path: Path) -> None:
    """The template loads as written; filled in as a user would (drop-down values, 万元 amounts), it loads the rows."""
    runner = CliRunner()
    out = tmp_path / "模板.xlsx"
    r = runner.invoke(main, ["template", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.stdout == f"wrote {out}: fill in 企业 and 供应关系 (产业链 optional), then run chaingraph validate {out}\n"
    ds = load_dataset(out)
    assert ds.chains is not None and (len(ds.enterprises), len(ds.links), len(ds.chains), ds.warnings) == (2, 1, 1, ())
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["说明", "企业", "供应关系", "产业链"]
    guide = [row[1] for row in wb["说明"].iter_rows(values_only=True) if row[0] in ("企业", "供应关系", "产业链")]
    assert "年采购额(万元)" in guide and "物流成本(元)" in guide and len(guide) == 28
    lists = {str(dv.sqref): dv.formula1 for dv in wb["供应关系"].data_validations.dataValidation}
    assert lists == {"H2:H5000": '"在供,拟供,历史"'}
    kinds = {str(dv.sqref): dv.formula1 for dv in wb["企业"].data_validations.dataValidation}
    assert kinds == {"I2:I5000": '"制造商,物流,贸易商"', "L2:L5000": '"是,否"'}
    assert wb["供应关系"]["D2"].number_format == "#,##0.00##" and wb["企业"]["A2"].number_format == "@"
    ent, links = wb["企业"], wb["供应关系"]
    ent.append(["001", "甲厂", "晋城经开区", None, None, None, None, "箱体", "贸易商", 12.5, 30, "否"])
    ent.append(["B02", "乙厂", "外地", None, None, None, None, None, None, None, None, None])
    links.append(["B02", "001", "钢板", 1.07, None, None, None, "拟供"])
    links.append(["B02", "001", "钢板", "2万", 10, 3000, 5, "历史"])
    wb.save(out)
    r = runner.invoke(main, ["validate", str(out), "-f", "json"])
    assert r.exit_code == 0, r.output
    ds = load_dataset(out)
    assert ds.enterprises.iloc[2:][["id", "kind", "chain_leader"]].values.tolist() == [
        ["001", "trader", False],
        ["B02", "manufacturer", False],
    ]
    assert ds.enterprises.iloc[2:]["output_value"].fillna(-1).tolist() == [125000.0, -1]
    assert ds.links.iloc[1:][["supplier_id", "status", "value"]].values.tolist() == [
        ["B02", "planned", 10700.0],
        ["B02", "former", 20000.0],
    ]
    assert ds.links["landed"].iloc[2] == 3005.0
    r = runner.invoke(main, ["template", "-o", str(out)])
    assert (r.exit_code, r.stderr) == (2, f"Error: '{out}' exists (it may hold data filled in already); pass --force "
                                          "to replace it.\n")  # fmt: skip


def test_table_away_from_a1_with_hidden_column_and_merged_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "供应关系"
    for j, v in enumerate(LINK_HEAD):
        ws.cell(3, 3 + j, v)  # the header on row 3, from column C
    for i, row in enumerate([("A", "B", "钢", 100), ("C", None, "钢", 200), ("A", "B", "钢", 300)]):
        for j, v in enumerate(row):
            ws.cell(4 + i, 3 + j, v)
    ws.merge_cells("D4:D5")  # 采购方ID merged over two rows
    ws.column_dimensions["F"].hidden = True
    ent = wb.create_sheet("企业")
    for row in [ENT_HEAD, *ENT_ROWS]:
        ent.append(list(row))
    path = tmp_path / "b.xlsx"
    wb.save(path)
    ds = load_dataset(path)
    assert ds.links[["supplier_id", "buyer_id", "value", "line"]].values.tolist() == [
        ["A", "B", 100.0, 4],
        ["C", "B", 200.0, 5],
        ["A", "B", 300.0, 6],
    ]
    assert [str(w) for w in ds.warnings] == [
        f"{path}, sheet '供应关系', row 3, column '年采购额': hidden column F was read like the others."
    ]
