"""A product cycle in chains.csv (issue 23): an error naming the row that feeds back, never a chain
silently missing from stage coverage."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from chaingraph.cli import main
from tests.conftest import MakeData

ENT = [("A", "甲", "Z", "钢坯"), ("B", "乙", "Z", "冷轧薄板")]
LINKS = [("A", "B", "钢坯", 100), ("B", "A", "冷轧薄板", 50)]
CHAINS = [("钢", "钢坯", "铁矿石"), ("钢", "冷轧薄板", "钢坯"), ("钢", "钢坯", "冷轧薄板"), ("电", "电池", "钢坯")]


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_cycle_is_an_error_naming_the_row(make_data: MakeData) -> None:
    folder = make_data(ENT, LINKS, CHAINS)
    code, out, err = run("closure", str(folder), "-z", "Z")
    assert (code, out) == (2, "")
    assert err == (
        "Error: 1 problem in the input:\n"
        f"  {folder}/chains.csv, line 4, column 'input', value '冷轧薄板': this row closes a product cycle "
        "(a cycle has no end product). Chain '钢': 钢坯 → 冷轧薄板 → 钢坯. A chain map runs from inputs to end "
        "products; remove or correct the row that feeds back.\n"
        "Fix the rows above, or run again with --skip-bad to set them aside in a rejects CSV.\n"
    )


def test_skip_bad_sets_the_closing_row_aside_and_the_chain_stays(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data(ENT, LINKS, CHAINS)
    code, out, err = run("closure", str(folder), "-z", "Z", "-f", "json", "--skip-bad", "--rejects",
                         str(tmp_path / "r.csv"))  # fmt: skip
    assert code == 0, err
    chains = {(c["chain"], c["end_product"]): (c["stages"], c["covered"]) for c in json.loads(out)["chains"]}
    assert chains == {("钢", "冷轧薄板"): (3, 2), ("电", "电池"): (2, 1)}


def test_longer_cycle_inside_a_chain_and_the_same_pair_in_two_chains(make_data: MakeData) -> None:
    chains = [("x", "b", "a"), ("x", "c", "b"), ("x", "d", "c"), ("x", "b", "c"), ("x", "e", "d"),
              ("y", "a", "b"), ("y", "z", "a")]  # fmt: skip
    folder = make_data(ENT, LINKS, chains)  # b → a in chain y is no cycle: a → b is chain x's
    code, _, err = run("validate", str(folder))
    assert code == 2
    assert err.splitlines()[1:3] == [
        f"  {folder}/chains.csv, line 5, column 'input', value 'c': this row closes a product cycle (a cycle has no "
        "end product). Chain 'x': b → c → b. A chain map runs from inputs to end products; remove or correct the "
        "row that feeds back.",
        "Fix the rows above, or run again with --skip-bad to set them aside in a rejects CSV.",
    ]
