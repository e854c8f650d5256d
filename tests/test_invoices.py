"""`chaingraph ingest invoices` on the embedded engine (DuckDB): hand-checked figures and the loader's line errors.

The Spark engine runs the same SQL; tests/test_spark.py checks it gives the same file and the same problems.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from chaingraph.errors import ChaingraphError, InputError
from chaingraph.invoices import Period, ingest_invoices
from chaingraph.load import load_dataset

CN = "销方纳税人识别号,购方纳税人识别号,货物或应税劳务名称,金额,开票日期\n"
EN = "seller_id,buyer_id,product,amount,date\n"


def _write(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


#: The hand-checked invoice rows (Chinese headers, units, refunds, other years), shared with the Spark twin.
ROWS = (CN + "S1,B1,钢材,100.50,2024-03-01\n"
        "S1,B1,钢材,-0.50,2024-04-01\n"
        'S2,B1,"电阻,贴片",1.07万,2024年5月6日\n'
        'S2,B1,"电阻,贴片",5,20230506\n'
        "\n"
        'S3,B2,铜,"1,234.5",2024/12/31 10:00:00\n'
        "S3,B2,铜,7,2025-01-01\n"
        "S4,B2,铝,10,2024-06-01\n"
        "S4,B2,铝,-10,2024-07-01\n")  # fmt: skip


def _links(folder: Path) -> str:
    return (folder / "links.csv").read_text(encoding="utf-8-sig")


def test_chinese_headers_units_refunds_and_the_period(tmp_path: Path) -> None:
    """Hand-checked: 100.50 - 0.50 = 100; 1.07万 = 10700; '1,234.5' = 1234.5; 2023 and 2025 rows left out."""
    f = _write(tmp_path / "发票.csv", ROWS)
    s = ingest_invoices([f], tmp_path / "out", period=Period.parse("2024"))
    assert _links(tmp_path / "out") == (
        "supplier_id,buyer_id,product,annual_value,status,note\n"
        "S1,B1,钢材,100,active,发票明细 2 行，2024\n"
        'S2,B1,"电阻,贴片",10700,active,发票明细 1 行，2024\n'
        "S3,B2,铜,1234.5,active,发票明细 1 行，2024\n"
    )
    assert (s.rows, s.blank_lines, s.in_period, s.outside, s.refunds) == (8, 1, 6, {2023: 1, 2025: 1}, 2)
    assert (s.links, s.not_positive, s.total_value, s.duplicates) == (3, 1, Decimal("12034.5"), 0)
    assert s.lines() == [
        "read 8 invoice rows from 1 file(s) (duckdb)",
        "period 2024: 6 rows in it",
        "left out 2 rows dated outside the period (2023: 1, 2025: 1)",
        "netted 2 refund rows (negative amounts, 红字发票) against their links",
        "left out 1 (seller, buyer, product) whose net value in the period is 0 or negative (refunded in full)",
        f"wrote 3 links, 12,034.50 元 in all, to {tmp_path / 'out' / 'links.csv'}",
    ]


def test_the_links_load_as_the_links_table(tmp_path: Path) -> None:
    f = _write(tmp_path / "i.csv", EN + "S1,B1,钢材,0.0035,2024-03-01\nS1,B1,钢材,2,2024-03-02\n")
    ingest_invoices([f], tmp_path / "d", period=Period.parse("2024"))
    _write(tmp_path / "d" / "enterprises.csv", "id,name,zone\nS1,甲,Z\nB1,乙,Z\n")
    links = load_dataset(tmp_path / "d").links
    assert links[["supplier_id", "buyer_id", "product", "annual_value", "status"]].values.tolist() == [
        ["S1", "B1", "钢材", 2.0035, "active"]
    ]


def test_a_fiscal_period_and_the_default_year(tmp_path: Path) -> None:
    f = _write(
        tmp_path / "i.csv", EN + "S,B,p,1,2024-06-30\nS,B,p,2,2024-07-01\nS,B,p,4,2025-06-30\nS,B,p,8,2025-07-01\n"
    )
    s = ingest_invoices([f], tmp_path / "o", period=Period.parse("2024-07"))
    assert "S,B,p,6,active,发票明细 2 行，2024-07..2025-06" in _links(tmp_path / "o")
    assert s.outside == {2024: 1, 2025: 1}
    with pytest.raises(ChaingraphError, match=r"span several years: 2024 \(2 rows\), 2025 \(2 rows\)"):
        ingest_invoices([f], tmp_path / "o2")
    one = _write(tmp_path / "one.csv", EN + "S,B,p,1,2023-01-05\n")
    assert ingest_invoices([one], tmp_path / "o3").period == Period(202301, 202312)


def test_repeated_invoice_lines_count_once_with_an_invoice_number(tmp_path: Path) -> None:
    """With 发票号码 an identical line is one exported twice; without it two identical rows are two invoices."""
    with_no = _write(tmp_path / "a.csv", "发票代码,发票号码," + CN.replace("\n", "") + "\n"
                     "1400,0001,S,B,钢,100,2024-01-01\n1400,0001,S,B,钢,100,2024-01-01\n"
                     "1400,0002,S,B,钢,100,2024-01-01\n")  # fmt: skip
    s = ingest_invoices([with_no], tmp_path / "a", period=Period.parse("2024"))
    assert (s.duplicates, s.links) == (1, 1)
    assert "S,B,钢,200,active" in _links(tmp_path / "a")
    without = _write(tmp_path / "b.csv", EN + "S,B,钢,100,2024-01-01\nS,B,钢,100,2024-01-01\n")
    s = ingest_invoices([without], tmp_path / "b", period=Period.parse("2024"))
    assert s.duplicates == 0
    assert "S,B,钢,200,active" in _links(tmp_path / "b")


def test_several_files_gbk_and_a_header_unit(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.csv", "2024年发票明细\n" + CN.replace("金额", "金额(万元)") + "S,B,钢,1.5,2024-02-01\n",
               encoding="gbk")  # fmt: skip
    b = _write(tmp_path / "b.csv", EN + "S,B,钢,5000,2024-02-02\nＳ,B,钢,1,2024-02-03\n")
    s = ingest_invoices([a, b], tmp_path / "o", period=Period.parse("2024"))
    assert "S,B,钢,20001,active,发票明细 3 行，2024" in _links(tmp_path / "o")  # Ｓ is S (the id rule)
    assert (s.files, s.rows) == (2, 3)


BAD = (EN + "S1,B1,钢材,abc,2024-03-01\n"
       "S1,S1,钢材,1,5,2024-02-30\n"
       ',B1,钢,"1,5",2024-13-01\n'
       "S2,B2,铁,2,yesterday\n"
       "S3,B3,x,99999999999999,2024-01-01\n"
       "S4,B4,y,2024-01-02,2024-02-29\n"
       "S5,B5\n"
       "S6,S6,z,1,2024-02-30\n")  # fmt: skip

BAD_TEXT = """13 problems in the input:
  {f}, line 2, column 'amount', value 'abc': not a number. Write plain yuan, e.g. 2850 or -2850.5 (a refund).
  {f}, line 3: the row has more fields than the header's 5. Remove the extra commas, or quote the cell that holds a comma.
  {f}, line 4, column 'seller_id', value '': a required value is empty. Fill in 'seller_id' or delete the row.
  {f}, line 4, column 'amount', value '1,5': a comma that is not a thousands separator (a decimal comma?). Write 1.5 for one and a half; a thousands separator groups three digits (1,500).
  {f}, line 4, column 'date', value '2024-13-01': no such day. Check the month and the day.
  {f}, line 5, column 'date', value 'yesterday': not a date. Write the invoice date as 2024-03-05 (also 2024/3/5, 20240305 or 2024年3月5日).
  {f}, line 6, column 'amount', value '99999999999999': implausibly large amount (over 10万亿). Check the unit: amounts are in yuan.
  {f}, line 7, column 'amount', value '2024-01-02': a date, not a number. Excel turned the entry into a date: format the column as 数值 (number) and type it again.
  {f}, line 8, column 'product', value '': a required value is empty. Fill in 'product' or delete the row.
  {f}, line 8, column 'amount', value '': a required value is empty. Fill in 'amount' or delete the row.
  {f}, line 8, column 'date', value '': a required value is empty. Fill in 'date' or delete the row.
  {f}, line 9, column 'buyer_id', value 'S6': an enterprise cannot supply itself. Correct seller_id or buyer_id.
  {f}, line 9, column 'date', value '2024-02-30': no such day. Check the month and the day.
Fix the problems above."""


def test_every_bad_row_at_once_and_nothing_written(tmp_path: Path) -> None:
    f = _write(tmp_path / "bad.csv", BAD)
    with pytest.raises(InputError) as err:
        ingest_invoices([f], tmp_path / "out", period=Period.parse("2024"))
    assert str(err.value) == BAD_TEXT.format(f=f)
    assert not (tmp_path / "out" / "links.csv").exists()


def test_a_missing_column_quotes_the_header(tmp_path: Path) -> None:
    f = _write(tmp_path / "i.csv", "销方纳税人识别号,购方纳税人识别号,金额,开票日期\nS,B,1,2024-01-01\n")
    with pytest.raises(InputError, match=r"required column 'product' is missing\. Add a column headed product / "
                       "货物或应税劳务名称"):  # fmt: skip
        ingest_invoices([f], tmp_path / "o", period=Period.parse("2024"))


def test_a_bad_period_is_refused() -> None:
    with pytest.raises(ChaingraphError, match="is not a year or a month"):
        Period.parse("2024-13")


def test_the_command_prints_the_summary_and_exits_2_on_bad_rows(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from chaingraph.cli import main

    good = _write(tmp_path / "i.csv", EN + "S,B,钢,10,2024-01-01\nS,B,钢,5,2023-12-31\n")
    r = CliRunner().invoke(main, ["ingest", "invoices", str(good), "-o", str(tmp_path / "o"), "--year", "2024"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "read 2 invoice rows from 1 file(s) (duckdb)",
        "period 2024: 1 rows in it",
        "left out 1 rows dated outside the period (2023: 1)",
        f"wrote 1 links, 10.00 元 in all, to {tmp_path / 'o' / 'links.csv'}",
    ]
    r = CliRunner().invoke(main, ["ingest", "invoices", str(good), "-o", str(tmp_path / "o2")])
    assert r.exit_code == 2
    assert r.output == (
        "Error: the invoices span several years: 2023 (1 rows), 2024 (1 rows). Pass --year (e.g. --year 2024) or "
        "--period YYYY-MM (twelve months from that month).\n"
    )
    bad = _write(tmp_path / "bad.csv", BAD)
    r = CliRunner().invoke(main, ["ingest", "invoices", str(bad), "-o", str(tmp_path / "o3")])
    assert r.exit_code == 2
    assert r.output == "Error: " + BAD_TEXT.format(f=bad) + "\n"
    r = CliRunner().invoke(main, ["ingest", "invoices", str(good), "-o", str(tmp_path / "o4"), "--year", "2024",
                                  "--period", "2024-07"])  # fmt: skip
    assert (r.exit_code, r.output) == (2, "Error: give --year or --period, not both.\n")


def test_skip_bad_is_refused_on_spark_before_spark_starts() -> None:
    from click.testing import CliRunner

    from chaingraph.cli import main

    r = CliRunner().invoke(main, ["closure", "data", "--zone", "晋城经开区", "--engine", "spark", "--skip-bad"])
    assert (r.exit_code, r.output) == (2, "Error: --skip-bad is not available with --engine spark: fix the rows it "
                                          "reports, or use the embedded engine to set them aside.\n")  # fmt: skip


#: Invoice cells a spreadsheet would run as formulas (a product, a seller's and a buyer's id), and one behind a quote.
FORMULAS = (EN + '=S1,B1,"=HYPERLINK(""http://x"",""点我"")",10,2024-03-01\n'
            "-S2,@B2,+86 钢,20,2024-03-02\n"
            "S3,B1,'=1+1,30,2024-03-03\n"
            "S3,B1,-1号钢,40,2024-03-04\n"
            "S3,B1,'铝,50,2024-03-05\n")  # fmt: skip
#: The ids and products exactly as the invoices hold them.
FORMULA_LINKS = [["=S1", "B1", '=HYPERLINK("http://x","点我")'], ["-S2", "@B2", "+86 钢"],
                 ["S3", "B1", "'=1+1"], ["S3", "B1", "'铝"], ["S3", "B1", "-1号钢"]]  # fmt: skip


def test_formula_cells_are_written_inert_and_load_back_to_the_invoices_text(tmp_path: Path) -> None:
    """links.csv opened in Excel runs no formula (a guard ' as every chaingraph CSV, spreadsheet.inert), and
    chaingraph's loader reads each guarded cell back to the invoice's text: the same ids, the same products."""
    f = _write(tmp_path / "i.csv", FORMULAS)
    ingest_invoices([f], tmp_path / "d", period=Period.parse("2024"))
    assert _links(tmp_path / "d") == (
        "supplier_id,buyer_id,product,annual_value,status,note\n"
        "'-S2,'@B2,'+86 钢,20,active,发票明细 1 行，2024\n"
        '\'=S1,B1,"\'=HYPERLINK(""http://x"",""点我"")",10,active,发票明细 1 行，2024\n'
        "S3,B1,''=1+1,30,active,发票明细 1 行，2024\n"
        "S3,B1,'铝,50,active,发票明细 1 行，2024\n"
        "S3,B1,'-1号钢,40,active,发票明细 1 行，2024\n"
    )
    # The team's enterprises.csv may hold the ids as typed (=S1) or as a chaingraph CSV writes them ('@B2).
    _write(tmp_path / "d" / "enterprises.csv", "id,name,zone\n=S1,甲,Z\n'-S2,乙,Z\nS3,丙,Z\nB1,丁,Z\n'@B2,戊,Z\n")
    ds = load_dataset(tmp_path / "d")
    got = ds.links[["supplier_id", "buyer_id", "product"]].values.tolist()
    assert sorted(got) == sorted(FORMULA_LINKS)
    assert sorted(ds.enterprises["id"]) == sorted(["=S1", "-S2", "S3", "B1", "@B2"])
