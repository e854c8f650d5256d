"""The loader and every bad-input rule of DOMAIN.md, with exact message parts."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaingraph.errors import InputError
from chaingraph.load import load_dataset, write_rejects
from tests.conftest import MakeData, write_csv

ENT = [("A", "甲厂", "Z", "钢"), ("B", "乙厂", "Z", "箱体"), ("C", "丙厂", "外地", "")]


def problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    return [str(p) for p in exc.value.problems]


def test_loads_and_derives_value_landed_volume(make_data: MakeData) -> None:
    folder = make_data(ENT, [("A", "B", "钢", None, 10, 100, 5), ("C", "B", "钢", 500, None, 50)])
    ds = load_dataset(folder)
    links = ds.links
    assert links["value"].tolist() == [1000.0, 500.0]  # volume × price when value is empty
    assert links["landed"].tolist() == [105.0, 50.0]  # price + logistics (0 when empty)
    assert links["vol"].tolist() == [10.0, 10.0]  # value ÷ price when volume is empty
    assert links["status"].tolist() == ["active", "active"]
    assert [f.rows for f in ds.files] == [3, 2]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])  # Windows, and Excel for Mac's "CSV (Macintosh)"
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_and_line_ends(make_data: MakeData, encoding: str, newline: str) -> None:
    folder = make_data(ENT, [("A", "B", "钢", 100), ("A", "B", "钢", "x")], encoding=encoding, newline=newline)
    with pytest.raises(InputError) as err:
        load_dataset(folder)
    assert [(p.line, p.column) for p in err.value.problems] == [(3, "annual_value")]
    folder = make_data(ENT, [("A", "B", "钢", 100)], encoding=encoding, newline=newline)
    ds = load_dataset(folder)
    assert ds.names["A"] == "甲厂"
    assert ds.files[0].encoding == ("gb18030" if encoding.startswith("gb") else "utf-8")


def test_chinese_headers_and_statuses(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "enterprises.csv",
        ["企业ID", "企业名称", "所在园区", "主营产品", "链主"],
        [("A", "甲", "Z", "钢", "是"), ("B", "乙", "Z", "", "否")],
        encoding="gbk",
    )
    write_csv(
        tmp_path / "links.csv",
        ["供应商ID", "采购方ID", "产品", "年采购额", "状态"],
        [("A", "B", "钢", 1, "在供"), ("A", "B", "钢", 2, "拟供"), ("A", "B", "钢", 3, "历史")],
        encoding="gbk",
    )
    ds = load_dataset(tmp_path)
    assert ds.links["status"].tolist() == ["active", "planned", "former"]
    assert ds.enterprises["chain_leader"].tolist() == [True, False]


def test_unknown_id_names_file_line_column_value(make_data: MakeData) -> None:
    folder = make_data(ENT, [("A", "B", "钢", 1), ("X9", "B", "钢", 1)])
    assert problems(folder) == [
        f"{folder}/links.csv, line 3, column 'supplier_id', value 'X9': unknown enterprise id. "
        "Add the enterprise to enterprises.csv or correct the id."
    ]


def test_every_problem_reported_at_once(make_data: MakeData) -> None:
    folder = make_data(
        [*ENT, ("A", "重复", "Z", "")],
        [
            ("A", "B", "钢", -5),
            ("A", "B", "钢", "abc"),
            ("A", "B", "钢", 1, None, None, None, "maybe"),
            ("A", "A", "钢", 1),
            ("A", "B", "钢", "inf"),
            ("A", "B", "钢"),
        ],
    )
    got = problems(folder)
    assert got == [
        f"{folder}/enterprises.csv, line 5, column 'id', value 'A': duplicate enterprise id. "
        "The id is first used on line 2; merge the rows or give a new id.",
        f"{folder}/links.csv, line 2, column 'annual_value', value '-5': negative amount. "
        "Amounts are yuan >= 0; write a former supply as status 'former'.",
        f"{folder}/links.csv, line 3, column 'annual_value', value 'abc': not a number. "
        "Write plain yuan, e.g. 2850 or 2850.5.",
        f"{folder}/links.csv, line 4, column 'status', value 'maybe': unknown value. "
        "Use one of: active / former / planned / 停供 / 历史 / 在供 / 在用 / 已替换 / 意向 / 拟供 / 现供 / 计划.",
        f"{folder}/links.csv, line 5, column 'buyer_id', value 'A': an enterprise cannot supply itself. "
        "Correct supplier_id or buyer_id.",
        f"{folder}/links.csv, line 6, column 'annual_value', value 'inf': not a finite number. Write plain yuan, e.g. 2850.",
        f"{folder}/links.csv, line 7, column 'annual_value', value '': no annual value, and no volume and unit price "
        "to compute it. Fill in annual_value (年采购额) in yuan, or annual_volume and unit_price.",
    ]


def test_missing_required_column_is_fatal_even_with_skip_bad(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ["id", "name"], [("A", "甲")])
    write_csv(tmp_path / "links.csv", ["supplier_id", "buyer_id", "product"], [])
    with pytest.raises(InputError) as exc:
        load_dataset(tmp_path, skip_bad=True)
    assert str(exc.value.problems[0]) == (
        f"{tmp_path}/enterprises.csv, line 1: required column 'zone' is missing. "
        "Add a column headed zone / 所在园区 / 开发区 / 所在地区. The header (line 1) reads: 'id', 'name'."
    )


def test_duplicate_column(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ["id", "name", "zone", "企业名称"], [("A", "甲", "Z", "甲")])
    write_csv(tmp_path / "links.csv", ["supplier_id", "buyer_id", "product"], [])
    msgs = problems(tmp_path)
    assert msgs == [
        f"{tmp_path}/enterprises.csv, line 1, column '企业名称': column 'name' appears twice "
        "(as 'name' and '企业名称'). Keep one of the two columns."
    ]


def test_missing_file(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ["id", "name", "zone"], [("A", "甲", "Z")])
    assert problems(tmp_path) == [
        f"{tmp_path}/links.csv: the file is missing. Put links.csv (or 供应关系.csv, or links.xlsx) in the data folder."
    ]


def test_line_numbers_follow_the_file(tmp_path: Path) -> None:
    write_csv(tmp_path / "enterprises.csv", ["id", "name", "zone"], [("A", "甲", "Z"), ("B", "乙", "Z")])
    (tmp_path / "links.csv").write_text(
        "supplier_id,buyer_id,product,annual_value,note\n"
        'A,B,钢,1,"two\nlines"\n'
        "\n"
        "A,B,钢,-1,\n"
        "A,B,钢,1,x,extra\n"
        "Q,B,钢,1,\n",
        encoding="utf-8",
    )
    msgs = problems(tmp_path)
    assert [m.split(":")[0] for m in msgs] == [
        f"{tmp_path}/links.csv, line {n}, column {c}" for n, c in [(5, "'annual_value', value '-1'")]
    ] + [f"{tmp_path}/links.csv, line 6", f"{tmp_path}/links.csv, line 7, column 'supplier_id', value 'Q'"]


def test_skip_bad_accounts_for_every_row(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data(ENT, [("A", "B", "钢", 1), ("X", "B", "钢", 1), ("A", "B", "钢", -1), ("C", "B", "钢", 2)])
    ds = load_dataset(folder, skip_bad=True)
    links = next(f for f in ds.files if f.kind == "links")
    assert (links.rows, links.loaded, links.rejected) == (4, 2, 2)
    assert len(ds.links) == 2
    out = write_rejects(ds.rejected, tmp_path / "rej.csv")
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == "file,line,column,value,problem,hint"
    assert [t.split(",")[1] for t in text[1:]] == ["3", "4"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"id,name,zone\nA,\x00\x01,Z\n", "the file contains NUL bytes: binary data, not CSV text"),
        (
            "id,name,zone\nA,甲,Z\n".encode() + "乙".encode("gbk") + b"\xff\n",
            "the file is neither UTF-8 nor GBK/GB18030 text (mixed encodings or binary data)",
        ),
        (b'id,name,zone\nA,"unclosed,Z\n', 'line 2: a quote (") opened on this line is never closed'),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "enterprises.csv").write_bytes(content)
    write_csv(tmp_path / "links.csv", ["supplier_id", "buyer_id", "product"], [])
    msgs = problems(tmp_path)
    assert message in msgs[0]
    assert msgs[0].startswith(f"{tmp_path}/enterprises.csv")


def test_sample_data_loads_clean() -> None:
    ds = load_dataset(Path(__file__).resolve().parent.parent / "data")
    assert all(f.rejected == 0 for f in ds.files)
    assert len(ds.links) >= 300
    assert {"晋城经开区", "高平经开区", "临汾经开区", "上党经开区", "临猗现代农业产业示范区"} <= set(
        ds.enterprises["zone"]
    )


def test_link_ends_from_validation_match_the_kept_rows(tmp_path: Path) -> None:
    """The loader hands the id check's positions on, renumbered to the enterprise rows it keeps."""
    write_csv(
        tmp_path / "enterprises.csv",
        ["id", "name", "zone"],
        [
            ("A", "", "Z"),
            ("B", "乙", "Z"),
            ("A", "甲二", "Z"),
            ("C", "丙", "外地"),
            ("B", "乙二", "Z"),
            ("D", "丁", "Z"),
        ],
    )  # A: first row bad (no name), its duplicate set aside too; B: the duplicate set aside
    write_csv(
        tmp_path / "links.csv",
        ["supplier_id", "buyer_id", "product", "annual_value", "via"],
        [("A", "B", 1, 1, ""), ("C", "B", "钢", 1, "D； C"), ("X", "B", "钢", 1, ""), ("C", "D", "钢", 2, "D;;X")],
    )
    ds = load_dataset(tmp_path, skip_bad=True)
    assert ds.enterprises["id"].tolist() == ["B", "C", "D"]
    assert ds.links["via"].tolist() == ["D;C"]
    sup, buy = ds.index.link_ends()
    assert (sup.tolist(), buy.tolist()) == ([1], [0])
    fresh = type(ds)(ds.enterprises, ds.links, ds.chains)
    assert [a.tolist() for a in fresh.index.link_ends()] == [sup.tolist(), buy.tolist()]
    assert [(p.line, p.column, p.value, p.message) for p in ds.rejected if p.file.endswith("links.csv")] == [
        (2, "supplier_id", "A", "the enterprise's row is set aside"),  # A's only rows are set aside
        (4, "supplier_id", "X", "unknown enterprise id"),
        (5, "via", "D;;X", "unknown intermediary id"),
    ]
    assert ds.rejected[-3].hint == f"Fix line 2 of {tmp_path}/enterprises.csv; the link is set aside with it."
    links = next(f for f in ds.files if f.kind == "links")
    assert (links.rows, links.loaded, links.rejected) == (4, 1, 3)


@pytest.mark.parametrize("space", [" ", "\t", "\u3000", "\u00a0", "\u2003", '"'])
def test_cells_are_trimmed_whatever_the_space(tmp_path: Path, space: str) -> None:
    """Every cell is trimmed; a file with no space byte at all skips the trim, and must read the same."""
    pad = "" if space == '"' else space
    quoted = '"B\n"' if space == '"' else f"B{pad}"  # a quoted cell may end in a line break
    (tmp_path / "enterprises.csv").write_text(f"id,name,zone\n{pad}A,甲,Z{pad}\n{quoted},乙,Z\n", encoding="utf-8")
    (tmp_path / "links.csv").write_text(f"supplier_id,buyer_id,product,annual_value\nA,B,钢,{pad}100{pad}\n")
    ds = load_dataset(tmp_path)
    assert ds.enterprises[["id", "zone"]].values.tolist() == [["A", "Z"], ["B", "Z"]]
    assert ds.links["annual_value"].tolist() == [100.0]
    assert ds.index.link_ends()[0].tolist() == [0]
