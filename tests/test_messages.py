"""Library errors name parameters (errors.param); only the CLI spells them as its flags."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from chaingraph.errors import ChaingraphError, InputError, Problem, param
from chaingraph.load import load_dataset
from chaingraph.render.view import build_view
from chaingraph.results.options import Options
from tests.conftest import DATA

LIB = Path(__file__).resolve().parent.parent / "chaingraph"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def _texts(node: ast.AST) -> list[str]:
    """Every string literal inside ``node`` (f-strings' literal parts too)."""
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _messages(tree: ast.AST) -> list[tuple[int, str]]:
    """The texts that can reach a user as an error: ``raise X(...)`` arguments and ``Problem(...)`` arguments."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            out += [(node.lineno, t) for a in node.exc.args for t in _texts(a)]
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem":
            out += [(node.lineno, t) for a in node.args for t in _texts(a)]
    return out


def test_no_library_error_names_a_flag() -> None:
    found = []
    for path in sorted(LIB.rglob("*.py")):
        if path.name == "cli.py":
            continue
        for line, text in _messages(ast.parse(path.read_text(encoding="utf-8"))):
            if FLAG.search(text):
                found.append(f"{path.relative_to(LIB.parent)}:{line}: {text!r}")
    assert found == [], "name the parameter with errors.param(...) instead:\n" + "\n".join(found)


def test_the_check_sees_a_flag_in_a_message() -> None:
    tree = ast.parse('def f(x):\n    raise ValueError(f"--focus {x!r} is wrong")\n')
    assert [t for _, t in _messages(tree) if FLAG.search(t)] == ["--focus "]


def test_an_error_names_its_parameter_and_a_front_end_words_it() -> None:
    ds = load_dataset(DATA)
    with pytest.raises(ChaingraphError) as err:
        build_view(ds, opts=Options(zone="晋城经开区"), focus="NOPE")
    assert err.value.parameters == ("focus",)
    assert str(err.value) == "focus 'NOPE' is not an enterprise id (or a unique name)."
    assert err.value.worded(lambda p: "--" + p) == "--focus 'NOPE' is not an enterprise id (or a unique name)."


def test_a_problem_reads_plainly_and_keeps_its_parameter_for_the_error() -> None:
    p = Problem("l.csv", 1, "物流费用", None, "unknown column", f"or pass {param('ignore_unknown_columns')}.")
    assert str(p) == "l.csv, line 1, column '物流费用': unknown column. or pass ignore_unknown_columns."
    err = InputError([p])
    assert err.parameters == ("ignore_unknown_columns",)
    assert (
        err.worded(lambda n: "--" + n.replace("_", "-")).splitlines()[1].endswith("or pass --ignore-unknown-columns.")
    )
    assert p.value is None
