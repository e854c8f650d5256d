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
