"""A large links file validated piece by piece gives exactly what the whole-file load gives: rows, line numbers
(across piece borders), problems in order, warnings once, summaries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chaingraph import load as load_mod
from chaingraph import rawtables
from chaingraph import validated_copy as vc
from chaingraph.errors import InputError
from chaingraph.load import load_dataset, load_in_pieces
from chaingraph.rawtables import WholeFileNeeded

ENTERPRISES = "id,name,zone\nA,甲,Z\nB,乙,Z\nC,丙,Y\n" + "".join(f"F{i:02d},厂{i},Y\n" for i in range(30))


def _links_text(*, crlf: bool = False) -> str:
    rows = [
        "2024年供应关系表,,,",  # a title above the header
        "",
        "supplier_id,buyer_id,product,annual_value,,note",
        "A,B,钢,100,,",
        "A,B,钢,-5,,",  # negative
        '"A",C,"铁,粉",20,,"a, quoted note"',
        "X,B,钢,7,,",  # unknown supplier
        "",
        "A,B,钢,1,2,3,4",  # more fields than the header's
        'B,C,铜,3,,"two\nlines"',  # a quoted cell over two lines
        "A,C,铝,8,x,",  # a value in the column with no header
        *[f"Ｆ{i:02d},A,锌,{i + 1},," for i in range(26)],  # full-width ids: read as F00 ..., 26 warnings worth
        "A,B,,5,,",  # product empty
        "C,A,钢,1.5万,,",
        "A,A,钢,3,,",  # supplies itself
        "B,Ｃ,钢,2,,",
        "A,B,钢,,,",  # no value
    ]
    text = "\n".join(rows) + "\n"
    return text.replace("\n", "\r\n") if crlf else text


def _folder(tmp_path: Path, links: str | bytes, *, enterprises: str = ENTERPRISES, encoding: str = "utf-8") -> Path:
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / "enterprises.csv").write_text(enterprises, encoding="utf-8")
    data = links if isinstance(links, bytes) else links.encode(encoding)
    (folder / "links.csv").write_bytes(data)
    return folder


def _in_pieces(folder: Path, **kw: bool) -> tuple[load_mod.PiecesLoad, pd.DataFrame, np.ndarray, np.ndarray]:
    frames, sups, buys = [], [], []

    def write(frame: pd.DataFrame, sup: np.ndarray, buy: np.ndarray) -> None:
        frames.append(frame)
        sups.append(sup)
        buys.append(buy)

    found = load_in_pieces(folder, folder / "links.csv", write, **kw)
    assert len(frames) >= 3  # really in pieces
    return found, pd.concat(frames, ignore_index=True), np.concatenate(sups), np.concatenate(buys)


def _problems(fn: object) -> list[str]:
    with pytest.raises(InputError) as err:
        fn()  # type: ignore[operator]
    return [str(p) for p in err.value.problems]


@pytest.fixture(params=[40, 97, 200])
def small_pieces(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(rawtables, "PIECE_BYTES", request.param)
    monkeypatch.setattr(rawtables, "MAX_PIECES", 10**9)
    return int(request.param)


@pytest.mark.parametrize("crlf", [False, True])
def test_pieces_give_the_whole_files_problems_and_rows(tmp_path: Path, small_pieces: int, crlf: bool) -> None:
    folder = _folder(tmp_path, _links_text(crlf=crlf))
    whole = _problems(lambda: load_dataset(folder))
    assert _problems(lambda: _in_pieces(folder)) == whole
    assert any("line 41, column 'buyer_id'" in p for p in whole) and any("line 9: the row has more" in p for p in whole)
    ds = load_dataset(folder, skip_bad=True)
    found, links, sup, buy = _in_pieces(folder, skip_bad=True)
    pd.testing.assert_frame_equal(links, ds.links, check_exact=True)
    assert (sup.tolist(), buy.tolist()) == tuple(e.tolist() for e in ds.index.link_ends())
    assert found.rejected == ds.rejected and found.warnings == ds.warnings and found.files == ds.files
    assert any("and 6 more ids read in the same way" in w.message for w in found.warnings)
    pd.testing.assert_frame_equal(found.enterprises, ds.enterprises)


def test_set_aside_firms_take_their_links_along(tmp_path: Path, small_pieces: int) -> None:
    enterprises = ENTERPRISES + "A,重复,Z\n,无名,Z\nG,,Z\n"
    links = "supplier_id,buyer_id,product,annual_value\n" + "".join(f"G,{b},钢,{i}\n" for i, b in enumerate("ABC" * 40))
    folder = _folder(tmp_path, links, enterprises=enterprises)
    ds = load_dataset(folder, skip_bad=True)
    found, frame, _, _ = _in_pieces(folder, skip_bad=True)
    assert found.rejected == ds.rejected and len(ds.links) == len(frame) == 0
    assert any("the enterprise's row is set aside" in p.message for p in found.rejected)


@pytest.mark.parametrize(
    "links",
    [
        _links_text().encode("gb18030"),  # another encoding: told by the whole file
        _links_text().encode() + b"A,B,\x00,1\n",  # NUL bytes
        _links_text().replace("\n", "\r").encode(),  # bare CR line ends
        _links_text().encode() + b'A,B,"never closed,1\n',
        b"supplier_id,buyer_id\nA,B\n" + b"A,B\n" * 40,  # a missing column
        b"",
    ],
    ids=["gb18030", "nul", "cr", "open-quote", "missing-column", "empty"],
)
def test_what_only_the_whole_file_tells_is_read_whole(tmp_path: Path, small_pieces: int, links: bytes) -> None:
    folder = _folder(tmp_path, links)
    with pytest.raises(WholeFileNeeded):
        _in_pieces(folder)


def test_a_quoted_cell_over_rows_is_read_whole(tmp_path: Path, small_pieces: int) -> None:
    text = "supplier_id,buyer_id,product,annual_value,note\n" + "A,B,钢,1,\n" * 20 + 'A,B,钢,1,"x\nA,B,钢,1,y"\n'
    folder = _folder(tmp_path, text)
    with pytest.raises(WholeFileNeeded):
        _in_pieces(folder)


def test_validated_copy_in_pieces_and_falling_back(tmp_path: Path, small_pieces: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv(vc.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(load_mod, "PIECES_FROM_BYTES", 0)
    for links in (_links_text(), _links_text().encode("gb18030")):
        folder = _folder(tmp_path, links)
        assert load_mod.links_in_pieces(folder) == folder / "links.csv"
        assert _problems(lambda f=folder: vc.validated_copy(f)) == _problems(lambda f=folder: load_dataset(f))
        ds, copy = load_dataset(folder, skip_bad=True), vc.validated_copy(folder, skip_bad=True)
        back = copy.dataset()
        pd.testing.assert_frame_equal(back.links, ds.links, check_exact=True)
        assert back.rejected == ds.rejected and back.warnings == ds.warnings and back.files == ds.files
        assert [e.tolist() for e in back.index.link_ends()] == [e.tolist() for e in ds.index.link_ends()]
        assert not [p for p in copy.folder.parent.iterdir() if p.name.startswith(".")]  # no temporary folders left


def test_parquet_links_in_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rawtables, "PARQUET_PIECE_ROWS", 4)
    folder = tmp_path / "pq"
    folder.mkdir()
    (folder / "enterprises.csv").write_text(ENTERPRISES, encoding="utf-8")
    n = 30
    pq.write_table(
        pa.table({"供应商ID": ["A"] * n, "采购方ID": ["B", "C", "X"] * 10, "产品": ["钢"] * n,
                  "年采购额(万元)": [float(i) - 3 for i in range(n)], "via": [""] * (n - 1) + ["Ｆ01"]}),
        folder / "links.parquet",
    )  # fmt: skip
    frames: list[pd.DataFrame] = []
    assert _problems(lambda: load_in_pieces(folder, folder / "links.parquet", lambda f, s, b: None)) == _problems(
        lambda: load_dataset(folder)
    )
    found = load_in_pieces(folder, folder / "links.parquet", lambda f, s, b: frames.append(f), skip_bad=True)
    ds = load_dataset(folder, skip_bad=True)
    assert len(frames) == 8
    pd.testing.assert_frame_equal(pd.concat(frames, ignore_index=True), ds.links, check_exact=True)
    assert found.rejected == ds.rejected and found.warnings == ds.warnings and found.files == ds.files
    shown = [str(p) for p in found.rejected]
    assert (
        f"{folder / 'links.parquet'}, row 27, column '采购方ID', value 'X': unknown enterprise id. Add the "
        "enterprise to enterprises.csv or correct the id." in shown
    )  # row 27: the 7th piece's third row
    assert (
        f"{folder / 'links.parquet'}, row 30, column 'via', value 'Ｆ01': id read as 'F01'. Full-width letters "
        "and digits are read as ASCII, invisible characters removed." in [str(w) for w in found.warnings]
    )


# --- the enterprises file in pieces too ---------------------------------------------------------------------

#: Every check that looks across rows, with the rows far apart: duplicates (also of a row already set aside),
#: ids differing only in letter case, full-width ids (the first 20 named), invisible characters in names and
#: zones, bad values, a row with more fields than the header, a quoted cell over two lines, a blank line.
ENTERPRISES_ACROSS = (
    '"id","name","zone",lat,,output_value\n'
    "A,甲,Z,30,,100\n"
    "B,乙,Z,31,,\n"
    "jc-01,小写,Z,,,\n" + "".join(f"Ｇ{i:02d},全角{i},Y,,,\n" for i in range(23)) + "C,丙\u200b,Y,,,\n"
    "A,重复甲,Z,,,\n"  # a duplicate of line 2, pieces away
    ",无名,Z,,,\n"
    "D,丁,Y,95,,\n"  # latitude out of range
    '"E","戊,有逗号",Y,,,"1,5"\n'  # a decimal comma
    "F,己,Y,1,2,3,4,5\n"  # more fields than the header's
    "\n"
    'H,"两\n行",Y,,,\n'
    "JC-01,大写,Z,,,\n"  # differs from line 4 only in letter case
    "B,乙二,Y\u202e,,,\n"  # a duplicate of line 3, and a bidi control in the zone
    "Ｇ05,全角重复,Y,,,\n"  # read as G05: a duplicate of a full-width row
    "K,庚,Z,abc,,\n" + "".join(f"M{i:02d},厂{i},Y,,,\n" for i in range(12))
)
LINKS_ACROSS = "supplier_id,buyer_id,product,annual_value\n" + "".join(
    f"{s},{b},钢,{i + 1}\n" for i, (s, b) in enumerate([("A", "B"), ("JC-01", "C"), ("G05", "M03"), ("jc-01", "M11"),
                                                        ("F", "A"), ("B", "E"), ("K", "M00"), ("Jc-01", "A")] * 6)
)  # fmt: skip


def _collect(folder: Path, **kw: bool) -> tuple[load_mod.PiecesLoad, list[pd.DataFrame], pd.DataFrame, np.ndarray]:
    ents: list[pd.DataFrame] = []
    frames: list[pd.DataFrame] = []
    ends: list[np.ndarray] = []

    def write(frame: pd.DataFrame, sup: np.ndarray, buy: np.ndarray) -> None:
        frames.append(frame)
        ends.append(np.stack([sup, buy]))

    found = load_in_pieces(folder, folder / "links.csv", write, write_enterprises=ents.append, **kw)
    return found, ents, pd.concat(frames, ignore_index=True), np.concatenate(ends, axis=1)


def test_enterprises_in_pieces_give_the_whole_files_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path, LINKS_ACROSS, enterprises=ENTERPRISES_ACROSS)
    whole = _problems(lambda: load_dataset(folder))
    shown = "\n".join(whole)
    for expected in (
        "line 29, column 'id', value 'A': duplicate enterprise id. The id is first used on line 2; merge the rows",
        "line 38, column 'id', value 'B': duplicate enterprise id. The id is first used on line 3;",
        "line 39, column 'id', value 'G05': duplicate enterprise id. The id is first used on line 10;",
        "line 37, column 'id', value 'JC-01': the id differs only in letter case from another enterprise's. "
        "'jc-01' is on line 4;",
        "line 32, column 'output_value', value '1,5': a comma that is not a thousands separator",
        "line 33: the row has more fields than the header's 6.",
        "line 31, column 'lat', value '95': latitude out of range.",
        "line 40, column 'lat', value 'abc': not a number.",
        "links.csv, line 9, column 'supplier_id', value 'Jc-01': unknown enterprise id. Did you mean 'jc-01'?",
    ):
        assert expected in shown
    ds = load_dataset(folder, skip_bad=True)
    monkeypatch.setattr(rawtables, "MAX_PIECES", 10**9)
    sizes = [*range(24, 140, 11), 400, 10**6]  # every enterprise row falls on a piece's border at some size
    for size in sizes:
        monkeypatch.setattr(rawtables, "PIECE_BYTES", size)
        assert _problems(lambda: _collect(folder)) == whole, size
        found, ents, links, ends = _collect(folder, skip_bad=True)
        assert len(ents) > 1 or size >= 400
        pd.testing.assert_frame_equal(pd.concat(ents, ignore_index=True), ds.enterprises, check_exact=True)
        pd.testing.assert_frame_equal(links, ds.links, check_exact=True)
        assert ends.tolist() == [e.tolist() for e in ds.index.link_ends()]
        assert found.rejected == ds.rejected and found.files == ds.files, size
        assert found.warnings == ds.warnings, size
    warned = [str(w) for w in ds.warnings]
    assert any("line 5, column 'id', value 'Ｇ00': id read as 'G00'" in w for w in warned)
    assert any("and 3 more ids read in the same way" in w.message for w in ds.warnings)  # 23 ids, 20 named
    assert any("line 38, column 'zone'" in w and "invisible control characters removed (U+202E)" in w for w in warned)
    assert [w.column for w in ds.warnings if "invisible" in w.message] == ["name", "zone"]


def test_a_quoted_header_is_read_in_pieces(tmp_path: Path, small_pieces: int) -> None:
    links = '"supplier_id","buyer_id","product","annual_value"\n' + "".join(
        f'"{s}","{b}","钢",{v}\n' for s, b, v in [("A", "B", "1"), ("A", "X", "2"), ("B", "C", "-3")] * 15
    )
    enterprises = '"id","name","zone"\n' + "".join(f'"E{i}","厂{i}","Z"\n' for i in range(30)) + '"A","甲","Z"\n'
    enterprises += '"B","乙","Z"\n"C","丙","Y"\n"E3","重复","Y"\n'
    folder = _folder(tmp_path, links, enterprises=enterprises)
    assert _problems(lambda: _in_pieces(folder)) == _problems(lambda: load_dataset(folder))
    ds = load_dataset(folder, skip_bad=True)
    found, ents, frame, _ = _collect(folder, skip_bad=True)
    assert len(ents) >= 3 and found.rejected == ds.rejected and found.files == ds.files
    pd.testing.assert_frame_equal(frame, ds.links, check_exact=True)
    assert any("line 35, column 'id', value 'E3': duplicate enterprise id. The id is first used on line 5" in str(p)
               for p in found.rejected)  # fmt: skip


def test_a_header_cell_over_two_lines_is_read_whole(tmp_path: Path, small_pieces: int) -> None:
    links = '"supplier\nid",buyer_id,product,annual_value\n' + "A,B,钢,1\n" * 40
    folder = _folder(tmp_path, links)
    with pytest.raises(WholeFileNeeded):
        _in_pieces(folder)


def test_parquet_enterprises_in_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rawtables, "PARQUET_PIECE_ROWS", 3)
    folder = tmp_path / "pq"
    folder.mkdir()
    ids = ["A", "B", "C", "jc", "D", "A", "JC", "Ｅ", "E", "F", "B"]
    pq.write_table(pa.table({"企业ID": ids, "企业名称": [f"厂{i}" for i in range(len(ids))], "所在园区": ["Z"] * len(ids),
                             "lat": [1.0, 2.0, 91.0] + [None] * (len(ids) - 3)}), folder / "enterprises.parquet")  # fmt: skip
    n = 30
    pq.write_table(pa.table({"supplier_id": ["A", "E", "jc"] * 10, "buyer_id": ["B", "C", "F"] * 10,
                             "product": ["钢"] * n, "annual_value": [1.0] * n}), folder / "links.parquet")  # fmt: skip
    whole = _problems(lambda: load_dataset(folder))
    ents: list[pd.DataFrame] = []
    assert _problems(lambda: load_in_pieces(folder, folder / "links.parquet", lambda f, s, b: None)) == whole
    found = load_in_pieces(folder, folder / "links.parquet", lambda f, s, b: None, skip_bad=True,
                           write_enterprises=ents.append)  # fmt: skip
    ds = load_dataset(folder, skip_bad=True)
    assert len(ents) == 4
    pd.testing.assert_frame_equal(pd.concat(ents, ignore_index=True), ds.enterprises, check_exact=True)
    assert found.rejected == ds.rejected and found.warnings == ds.warnings and found.files == ds.files
    shown = "\n".join(whole)
    assert "row 6, column '企业ID', value 'A': duplicate enterprise id. The id is first used on row 1;" in shown
    assert "row 9, column '企业ID', value 'E': duplicate enterprise id. The id is first used on row 8;" in shown
    assert "row 7, column '企业ID', value 'JC': the id differs only in letter case" in shown


def test_a_first_row_with_more_fields_is_a_bad_row_not_an_index(tmp_path: Path) -> None:
    """pandas reads a first data row with more fields than the header as an index column and shifts every row;
    it is reported like any other such row, and the rows after it read as written."""
    links = "supplier_id,buyer_id,product,annual_value\nA,B,钢,1,9\nA,C,铁,2\n"
    folder = _folder(tmp_path, links)
    assert _problems(lambda: load_dataset(folder)) == [
        f"{folder / 'links.csv'}, line 2: the row has more fields than the header's 4. Remove the extra commas, or "
        "quote the cell that holds a comma."
    ]
    ds = load_dataset(folder, skip_bad=True)
    assert ds.links[["supplier_id", "buyer_id", "product", "annual_value", "line"]].values.tolist() == [
        ["A", "C", "铁", 2.0, 3]
    ]


def test_duckdb_spills_to_a_folder_in_the_cache_the_user_can_set(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from chaingraph import duckdb_engine as de
    from chaingraph.load import load_dataset as load

    monkeypatch.setenv(vc.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(de.MEMORY_ENV, raising=False)
    monkeypatch.delenv(de.TEMP_ENV, raising=False)
    config = de.spill_config()
    assert config["temp_directory"] == str(tmp_path / "cache" / "duckdb-tmp")
    assert config["memory_limit"].endswith("MB") and int(config["memory_limit"][:-2]) >= 256  # half the memory
    monkeypatch.setenv(de.MEMORY_ENV, "64MB")
    monkeypatch.setenv(de.TEMP_ENV, str(tmp_path / "spill"))
    con = de.DuckDBBackend(load("data")).con
    assert con.execute("SELECT current_setting('temp_directory')").fetchone() == (str(tmp_path / "spill"),)
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "61.0 MiB"  # 64 MB
    # A table three times the limit is held, through the folder.
    con.execute("CREATE TEMP TABLE big AS SELECT i, hash(i) AS h FROM range(12000000) t(i)")
    assert con.execute("SELECT count(*), count(DISTINCT i % 1000) FROM big").fetchone() == (12_000_000, 1000)
    spilled = con.execute("SELECT path FROM duckdb_temporary_files()").fetchall()
    assert spilled and all(p.startswith(str(tmp_path / "spill")) for (p,) in spilled)


def test_no_gaps_no_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    """A zone without gaps has no quadrant column to fill: its product flow over every link is not computed."""
    from chaingraph import registry
    from chaingraph.memory_engine import MemoryBackend
    from chaingraph.results.gaps import Gaps
    from chaingraph.results.options import Options

    def no_matrix(*args: object, **kw: object) -> None:
        raise AssertionError("the matrix was computed")

    monkeypatch.setattr(registry, "quadrants_of", no_matrix)
    none = Gaps("晋城经开区", "zone", ())
    backend = MemoryBackend(load_dataset("data"))
    assert registry._gaps_quadrants(backend, Options(zone="晋城经开区"), None, none) is none
    with pytest.raises(AssertionError, match="the matrix was computed"):  # with gaps it is
        registry.GAPS.run(backend, Options(zone="晋城经开区"), registry.NoParams())
