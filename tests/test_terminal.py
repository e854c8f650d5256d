"""Names are data in terminal output (issue 23, point 4): markup and control codes in names neither
crash a table nor reach the terminal live; option ranges, --heap and the --skip-bad hint (the
misleading-message part of issue 23)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from chaingraph.cli import main
from chaingraph.render.terminal import SafeConsole, strip_controls
from tests.conftest import DATA, MakeData, write_csv

LIVE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # what must never reach a terminal
HOSTILE = (
    "甲[/]厂",
    "乙[link=http://evil.example]点我[/link]",
    "丙\x1b[31m红\x1b[0m",
    "丁\x1b]8;;http://evil.example\x07链\x1b]8;;\x07",
    "戊[bold red]粗\u202e倒",
)


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def hostile(make_data: MakeData) -> Path:
    ent = [(f"E{k}", name, "Z" if k < 3 else "外地", "钢" if k % 2 else "铁") for k, name in enumerate(HOSTILE)]
    links = [("E3", "E0", "钢", 100), ("E4", "E1", "铁", 50), ("E0", "E1", "钢", 30), ("E1", "E2", "铁", 20)]
    return make_data(ent, links)


@pytest.mark.parametrize(
    "command",
    [("closure",), ("savings",), ("gaps",), ("gaps", "--rank"), ("leaders",), ("routes",), ("analyze",)],
)
def test_hostile_names_in_every_table(hostile: Path, command: tuple[str, ...]) -> None:
    code, out, err = run(command[0], str(hostile), "-z", "Z", *command[1:])
    assert code == 0, err
    assert not LIVE.search(out)
    assert "Traceback" not in err and "internal error" not in err


def test_hostile_names_shown_as_text(hostile: Path) -> None:
    code, out, _ = run("leaders", str(hostile), "-z", "Z")
    assert code == 0
    flat = re.sub(r"[\s│┃]+", "", out)  # names may fold over lines inside a cell
    assert "甲[/]厂" in flat and "乙[link=http://evil.example]点我[/link]" in flat
    assert "丙[31m红[0m" in flat  # the escape character stripped, the rest shown as it is


def test_hostile_zone_and_validate(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data([("A", "甲", "园\x1b[2J区[/]", "钢"), ("B", "乙", "园\x1b[2J区[/]", "")], [("A", "B", "钢", 1)])
    for args in (("validate", str(folder)), ("zones", str(folder)), ("closure", str(folder), "-z", "园\x1b[2J区[/]")):
        code, out, err = run(*args)
        assert code == 0, err
        assert not LIVE.search(out)
    code, _, err = run("closure", str(folder), "-z", "园区")  # the error lists the zones of the data
    assert code == 2
    assert err == "Error: unknown zone '园区'. The data has: 园[2J区[/]. Pass one of them with --zone.\n"


def test_table_written_to_a_file_is_clean(hostile: Path, tmp_path: Path) -> None:
    code, _, _ = run("gaps", str(hostile), "-z", "Z", "-o", str(tmp_path / "gaps.txt"))
    assert code == 0
    assert not LIVE.search((tmp_path / "gaps.txt").read_text(encoding="utf-8"))


def test_safe_console_keeps_its_own_colours() -> None:
    from rich.text import Text

    buf = io.StringIO()
    SafeConsole(file=buf, force_terminal=True, color_system="standard", width=60).print(
        Text("丙\x1b[31m红\x1b]8;;http://x\x07链", style="bold"), "[link=http://x]点[/link]"
    )
    out = buf.getvalue()
    assert "\x1b[1m" in out  # the style chaingraph set is rendered
    assert "\x1b[31m" not in out and "\x1b]8" not in out and "\x07" not in out  # the data's codes are not
    assert "丙[31m红]8;;http://x链" in out and "[link=http://x]点[/link]" in out


@given(st.lists(st.text(alphabet=st.sampled_from(list("甲乙[]/=\\ab \x1b\x07\x08\x9b\x00\r\t\u202e\u200b")), min_size=1,
                        max_size=12), min_size=2, max_size=4))  # fmt: skip
@settings(max_examples=min(25, settings.default.max_examples))  # each example is a CLI run
def test_any_name_prints_clean(tmp_path_factory: pytest.TempPathFactory, names: list[str]) -> None:
    folder = tmp_path_factory.mktemp("names")
    write_csv(folder / "enterprises.csv", ["id", "name", "zone", "products"],
              [(f"E{k}", n, "Z", "钢") for k, n in enumerate(names)])  # fmt: skip
    write_csv(folder / "links.csv", ["supplier_id", "buyer_id", "product", "annual_value"],
              [(f"E{k}", f"E{k + 1}", "钢", 10 + k) for k in range(len(names) - 1)])  # fmt: skip
    code, out, err = run("analyze", str(folder), "-z", "Z")
    assert code in (0, 2), err  # a name the loader refuses is exit 2 with a message, never a crash
    assert not LIVE.search(out)
    assert not LIVE.search(err.replace("\n", ""))


def test_strip_controls_keeps_newlines() -> None:
    assert strip_controls("a\x1b[31mb\nc\u202ed\x9b") == "a[31mb\ncd"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("leaders", str(DATA), "-z", "晋城经开区", "--top", "-5"), "Invalid value for '--top': -5 is not in the range x>=1."),
        (("leaders", str(DATA), "-z", "晋城经开区", "--top", "0"), "Invalid value for '--top': 0 is not in the range x>=1."),
        (("view", str(DATA), "-z", "晋城经开区", "--hops", "-1"), "Invalid value for '--hops': -1 is not in the range x>=0."),
        (("view", str(DATA), "-z", "晋城经开区", "--max-nodes", "-1"),
         "Invalid value for '--max-nodes': -1 is not in the range x>=1."),
        (("report", str(DATA), "-z", "晋城经开区", "--max-nodes", "0"),
         "Invalid value for '--max-nodes': 0 is not in the range x>=1."),
        (("neo4j", "load", str(DATA), "--batch", "0"), "Invalid value for '--batch': 0 is not in the range x>=1."),
        (("neo4j", "status", "--bolt-port", "70000"),
         "Invalid value for '--bolt-port': 70000 is not in the range 1<=x<=65535."),
    ],
)  # fmt: skip
def test_option_ranges(args: tuple[str, ...], message: str) -> None:
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert err.endswith(f"\n\nError: {message}\n")


@pytest.mark.parametrize("heap", ["2g\ndbms.security.auth_enabled=false", "-1g", "2 GB", "", "0", "1.5g"])
def test_heap_must_be_a_size(heap: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path / "home"))  # nothing may be written, nor a server started
    code, out, err = run("neo4j", "up", "--heap", heap)
    assert (code, out) == (2, "")
    assert err == f"Error: --heap must be a size such as 2g, 512m or 1048576k (digits, then k, m or g), not {heap!r}.\n"
    assert not (tmp_path / "home").exists()


def test_no_skip_bad_hint_when_skip_bad_was_given(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data([("A", "甲", "Z", "钢")], [("A", "A", "钢", 1)])
    (folder / "links.csv").write_text("supplier_id,product,annual_value\nA,钢,1\n", encoding="utf-8")
    code, _, err = run("validate", str(folder), "--skip-bad", "--rejects", str(tmp_path / "r.csv"))
    assert code == 2
    assert err == (
        "Error: 1 problem in the input:\n"
        f"  {folder}/links.csv, line 1: required column 'buyer_id' is missing. Add a column headed buyer_id / 采购方ID. "
        "The header (line 1) reads: 'supplier_id', 'product', 'annual_value'.\n"
        "Fix the problems above.\n"
    )


def test_no_skip_bad_hint_for_a_scenario(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.csv"
    scenario.write_text("id,name,zone\nJC-JG,重复,晋城经开区\n", encoding="utf-8")
    for extra in ((), ("--skip-bad", "--rejects", str(tmp_path / "r.csv"))):
        code, _, err = run("whatif", str(DATA), "-z", "晋城经开区", "--scenario", str(scenario), *extra)
        assert code == 2
        assert err == (
            "Error: 1 problem in the input:\n"
            f"  {scenario}, line 2, column 'id', value 'JC-JG': this id is already in the data. "
            "A scenario adds new firms: give it a new id.\n"
            "Fix the problems above.\n"
        )
