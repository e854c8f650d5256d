"""Output paths (issue 23, point 3): bad targets exit 2 with a message, inputs are never written,
files and the report folder are replaced whole, a rejects file reflects the last run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from chaingraph.cli import main
from chaingraph.errors import OutputError
from chaingraph.outputs import atomic_file, atomic_folder
from tests.conftest import DATA, MakeData

Z = "晋城经开区"


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the sample data, so a test may check it is left untouched."""
    return Path(shutil.copytree(DATA, tmp_path / "data"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def unwritable(tmp_path: Path) -> Path:
    """A folder nobody may create files in (root ignores permission bits: /sys refuses even root)."""
    if os.geteuid() == 0:
        return Path("/sys")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    return ro


def test_output_naming_a_folder(tmp_path: Path) -> None:
    code, out, err = run("closure", str(DATA), "-z", Z, "-o", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"Error: --output '{tmp_path}' is a folder; give a file name, e.g. '{tmp_path / 'out.txt'}'.\n"


def test_output_missing_parent(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "gaps.csv"
    code, _, err = run("gaps", str(DATA), "-z", Z, "-f", "csv", "-o", str(target))
    assert code == 2
    assert err == (
        f"Error: --output '{target}': folder '{tmp_path / 'nope'}' does not exist. Create it first, or write elsewhere.\n"
    )
    assert not (tmp_path / "nope").exists()


def test_output_parent_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    target = tmp_path / "afile" / "out.json"
    code, _, err = run("savings", str(DATA), "-z", Z, "-f", "json", "-o", str(target))
    assert code == 2
    assert err == f"Error: --output '{target}': '{tmp_path / 'afile'}' is a file, not a folder.\n"


def test_output_unwritable_place(tmp_path: Path) -> None:
    folder = unwritable(tmp_path)
    target = folder / "closure.txt"
    code, _, err = run("closure", str(DATA), "-z", Z, "-o", str(target))
    assert code == 2
    assert err == (
        f"Error: --output '{target}': no permission to write in folder '{folder}'. Pick a folder you can write to.\n"
    )


def test_rejects_unwritable(tmp_path: Path, make_data: MakeData) -> None:
    folder = make_data([("A", "甲", "Z", "钢")], [("A", "X", "钢", 1)])
    place = unwritable(tmp_path)
    code, _, err = run("validate", str(folder), "--skip-bad", "--rejects", str(place / "r.csv"))
    assert code == 2
    assert err == (
        f"Error: --rejects '{place / 'r.csv'}': no permission to write in folder '{place}'. "
        "Pick a folder you can write to.\n"
    )


def test_report_output_a_file(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("keep me")
    code, _, err = run("report", str(DATA), "-z", Z, "-o", str(target))
    assert code == 2
    assert err == f"Error: --output '{target}' is a file; this command writes a folder. Give a folder name.\n"
    assert target.read_text() == "keep me"


def test_report_never_replaces_a_folder_of_other_files(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.docx").write_text("keep me")
    code, _, err = run("report", str(DATA), "-z", Z, "-o", str(mine))
    assert code == 2
    assert err == (
        f"Error: --output '{mine}' is a folder with other files in it (no report.html); the report replaces "
        "the whole folder, so give a new or empty folder.\n"
    )
    assert [p.name for p in mine.iterdir()] == ["notes.docx"]


@pytest.mark.parametrize(
    ("args", "option", "name"),
    [
        (("validate", "{d}", "--skip-bad", "--rejects", "{d}/links.csv"), "--rejects", "links.csv"),
        (("validate", "{d}", "--rejects", "{d}/links.csv"), "--rejects", "links.csv"),
        (("closure", "{d}", "-z", Z, "-o", "{d}/enterprises.csv"), "--output", "enterprises.csv"),
        (("gaps", "{d}", "-z", Z, "-f", "csv", "-o", "{d}/./chains.csv"), "--output", "./chains.csv"),
        (("view", "{d}", "-z", Z, "-o", "{d}/links.csv"), "--output", "links.csv"),
        (("panorama", "{d}", "-z", Z, "-o", "{d}/links.csv"), "--output", "links.csv"),
        (("leaders", "{d}", "-z", Z, "--skip-bad", "--rejects", "{d}/enterprises.csv"), "--rejects", "enterprises.csv"),
    ],
)
def test_inputs_are_never_written(data: Path, args: tuple[str, ...], option: str, name: str) -> None:
    before = snapshot(data)
    code, out, err = run(*(a.format(d=data) for a in args))
    assert (code, out) == (2, "")
    assert err == (
        f"Error: {option} '{data}/{name}' is an input file of this run; chaingraph never writes to its inputs. "
        "Give another file name.\n"
    )
    assert snapshot(data) == before


def test_input_reached_through_a_link_is_refused(data: Path, tmp_path: Path) -> None:
    (tmp_path / "alias.csv").symlink_to(data / "links.csv")
    os.link(data / "enterprises.csv", tmp_path / "hard.csv")
    before = snapshot(data)
    for target in ("alias.csv", "hard.csv"):
        code, _, err = run("closure", str(data), "-z", Z, "-f", "csv", "-o", str(tmp_path / target))
        assert code == 2
        assert "is an input file of this run; chaingraph never writes to its inputs." in err
    assert snapshot(data) == before


def test_whatif_scenario_is_an_input(data: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.csv"
    scenario.write_text("id,name,zone,products\nNEW,新厂,晋城经开区,功率模块\n", encoding="utf-8")
    code, _, err = run("whatif", str(data), "-z", Z, "--scenario", str(scenario), "-o", str(scenario))
    assert code == 2
    assert err == (
        f"Error: --output '{scenario}' is an input file of this run; chaingraph never writes to its inputs. "
        "Give another file name.\n"
    )
    assert scenario.read_text(encoding="utf-8").startswith("id,name")


def test_report_into_the_data_folder_is_refused(data: Path) -> None:
    before = snapshot(data)
    code, _, err = run("report", str(data), "-z", Z, "-o", str(data))
    assert code == 2
    assert err == (
        f"Error: --output '{data}' holds input files of this run ('{data}/chains.csv'); chaingraph never writes "
        "over its inputs. Give another folder.\n"
    )
    assert snapshot(data) == before


def test_output_and_rejects_the_same_file(tmp_path: Path) -> None:
    same = tmp_path / "x.csv"
    code, _, err = run("gaps", str(DATA), "-z", Z, "--skip-bad", "--rejects", str(same), "-o", str(same))
    assert code == 2
    assert err == f"Error: --output and --rejects both name '{same}'; give them different files.\n"


def test_report_replaces_the_old_folder_whole(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.html").write_text("old")
    (out / "stale.csv").write_text("old")
    code, stdout, _ = run("report", str(DATA), "-z", Z, "-o", str(out))
    assert code == 0, stdout
    assert sorted(p.name for p in out.iterdir()) == ["analysis.json", "graph.html", "report.html", "workbook.xlsx"]
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no temporary folder left beside it


def test_report_interrupted_leaves_the_old_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report"
    assert run("report", str(DATA), "-z", Z, "-o", str(out))[0] == 0
    before = snapshot(out)

    def ctrl_c(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("chaingraph.render.workbook.write_workbook", ctrl_c)
    code, _, _ = run("report", str(DATA), "-z", "高平经开区", "-o", str(out))
    assert code == 1  # click's "Aborted!"
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_two_reports_at_once_leave_one_whole_folder(tmp_path: Path, make_data: MakeData) -> None:
    small = make_data(
        [("A", "甲", Z, "钢"), ("B", "乙", "高平经开区", "铁")], [("A", "B", "钢", 1), ("B", "A", "铁", 2)]
    )
    out = tmp_path / "report"
    cmd = [sys.executable, "-m", "chaingraph.cli", "report", str(small), "-o", str(out), "-z"]
    procs = [subprocess.Popen([*cmd, z], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for z in (Z, "高平经开区")]  # fmt: skip
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert sorted(p.name for p in out.iterdir()) == ["analysis.json", "graph.html", "report.html", "workbook.xlsx"]
    with zipfile.ZipFile(out / "workbook.xlsx") as z:
        assert z.testzip() is None
    zone = json.loads((out / "analysis.json").read_text(encoding="utf-8"))["closure"]["zone"]
    assert f"<title>{zone} " in (out / "report.html").read_text(encoding="utf-8")  # one run's files, not a mix
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d0", "report"]


def test_atomic_folder_racing_writers_never_mix(tmp_path: Path) -> None:
    target = tmp_path / "out"
    start = threading.Barrier(4)

    def writer(tag: str) -> None:
        start.wait()
        for _ in range(25):
            with atomic_folder(target) as tmp:
                for k in range(5):
                    (tmp / f"f{k}").write_text(tag)

    threads = [threading.Thread(target=writer, args=(t,)) for t in "abcd"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    contents = {p.read_text() for p in target.iterdir()}
    assert len(contents) == 1 and len(list(target.iterdir())) == 5
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_atomic_file_failed_writer_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("writer failed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_atomic_file_cannot_create(tmp_path: Path) -> None:
    with (
        pytest.raises(OutputError, match=r"^cannot write '.*nope/a.txt': cannot write in folder"),
        atomic_file(tmp_path / "nope" / "a.txt"),
    ):
        pass


def test_output_file_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "closure.json"
    code, _, err = run("closure", str(DATA), "-z", Z, "-f", "json", "-o", str(target))
    assert (code, err) == (0, f"wrote {target}\n")
    assert json.loads(target.read_text(encoding="utf-8"))["zone"] == Z
    assert [p.name for p in tmp_path.iterdir()] == ["closure.json"]


def test_clean_skip_bad_run_empties_a_stale_rejects_file(make_data: MakeData, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.csv"
    bad = make_data([("A", "甲", "Z", "钢"), ("B", "乙", "Z", "")], [("A", "X", "钢", 1), ("A", "B", "钢", 2)])
    assert run("validate", str(bad), "--skip-bad", "--rejects", str(rejects))[0] == 0
    assert "unknown enterprise id" in rejects.read_text(encoding="utf-8-sig")
    clean = make_data([("A", "甲", "Z", "钢"), ("B", "乙", "Z", "")], [("A", "B", "钢", 2)])
    code, _, err = run("validate", str(clean), "--skip-bad", "--rejects", str(rejects), "-f", "json")
    assert code == 0
    assert err == f"no problems set aside; emptied the old {rejects} (header only)\n"
    assert rejects.read_text(encoding="utf-8-sig").splitlines() == ["file,line,column,value,problem,hint"]
    fresh = tmp_path / "never.csv"
    code, _, err = run("validate", str(clean), "--skip-bad", "--rejects", str(fresh), "-f", "json")
    assert (code, err, fresh.exists()) == (0, "", False)  # a clean first run writes no rejects file


def test_pipes_and_links_are_written_through_never_replaced(tmp_path: Path) -> None:
    # a named pipe stands for /dev/null, /dev/stdout (a test must never risk replacing the real ones)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, _, err = run("closure", str(DATA), "-z", Z, "-f", "json", "-o", str(fifo))
    reader.join(timeout=30)
    assert (code, err) == (0, f"wrote {fifo}\n")
    assert json.loads(got[0])["zone"] == Z and fifo.is_fifo()
    real = tmp_path / "real.json"
    real.write_text("old")
    (tmp_path / "link.json").symlink_to(real)
    assert run("closure", str(DATA), "-z", Z, "-f", "json", "-o", str(tmp_path / "link.json"))[0] == 0
    assert (tmp_path / "link.json").is_symlink() and json.loads(real.read_text(encoding="utf-8"))["zone"] == Z
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "pipe", "real.json"]
