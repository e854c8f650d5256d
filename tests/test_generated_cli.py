"""The analysis commands are made from the registry: a new entry is a new command, options and all."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pandas as pd
import pytest
from click.testing import CliRunner
from rich.text import Text

from chaingraph import registry
from chaingraph.analysis.context import ZoneContext
from chaingraph.cli import add_analysis_commands, main
from chaingraph.registry import AnalysisSpec, flag
from tests.conftest import DATA, MakeData

ENT = [("A", "甲厂", "Z", "钢"), ("B", "乙厂", "Z", ""), ("O", "外厂", "W", "钢")]
LINKS = [("A", "B", "钢", 300), ("O", "B", "钢", 700)]


@dataclass(frozen=True)
class Toy:
    """A toy result: the zone's member count times ``times``, and a label."""

    zone: str
    members: int
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "members": self.members, "label": self.label}


@dataclass(frozen=True)
class ToyParams:
    times: int = flag("--times", "Multiply the member count.", default=2, minimum=1)
    label: str | None = flag("--label", "A label to carry.", default=None)


def _toy(z: ZoneContext, p: ToyParams) -> Toy:
    return Toy(z.opts.zone, len(z.members) * p.times, p.label or "")


def _toy_table(r: Toy, names: Mapping[str, str]) -> list[Any]:
    return [Text(f"{r.zone}: {r.members}")]


TOY: AnalysisSpec[ToyParams, Toy] = AnalysisSpec(
    "toy",
    Toy,
    _toy,
    lambda r: pd.DataFrame([r.to_dict()]),
    _toy_table,
    params=ToyParams,
    help="Count the zone's members, for a test.",
)


def toy_group() -> click.Group:
    @click.group()
    def group() -> None:
        pass

    add_analysis_commands(group, [TOY])
    return group


def test_a_registry_entry_becomes_a_command(make_data: MakeData) -> None:
    folder = make_data(ENT, LINKS)
    group = toy_group()
    assert list(group.commands) == ["toy"]
    r = CliRunner().invoke(group, ["toy", "--help"])
    assert r.exit_code == 0
    assert "Count the zone's members, for a test." in r.stdout
    for option in ("--times INTEGER RANGE", "Multiply the member count.", "[default: 2; x>=1]", "--label TEXT",
                   "-z, --zone TEXT", "--scope", "-f, --format [table|json|csv|parquet]", "-o, --output PATH",
                   "--skip-bad", "--rejects FILE", "--user TEXT"):  # fmt: skip
        assert option in r.stdout, option
    r = CliRunner().invoke(group, ["toy", str(folder), "-z", "Z", "--times", "3", "--label", "试", "-f", "json"])
    assert (r.exit_code, r.stderr) == (0, "")
    assert json.loads(r.stdout) == {"zone": "Z", "members": 6, "label": "试"}
    r = CliRunner().invoke(group, ["toy", str(folder), "-z", "Z", "-f", "csv"])
    assert r.stdout == "zone,members,label\nZ,4,\n"
    r = CliRunner().invoke(group, ["toy", str(folder), "-z", "Z"])
    assert r.stdout == "Z: 4\n"


def test_a_generated_command_checks_its_options_and_the_shared_ones(make_data: MakeData) -> None:
    folder = make_data(ENT, LINKS)
    r = CliRunner().invoke(toy_group(), ["toy", str(folder), "-z", "Z", "--times", "0"])
    assert r.exit_code == 2
    assert "Error: Invalid value for '--times': 0 is not in the range x>=1." in r.stderr
    r = CliRunner().invoke(toy_group(), ["toy", str(folder), "-z", "不存在"])
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: unknown zone '不存在'.") and r.stderr.endswith("Pass one of them with --zone.\n")
    r = CliRunner().invoke(toy_group(), ["toy", str(folder)])
    assert r.exit_code == 2 and "Missing option '--zone' / '-z'." in r.stderr


def test_every_registry_entry_has_its_command() -> None:
    commands = set(CliRunner().invoke(main, ["--help"]).stdout.split())
    for spec in registry.ALL.values():
        assert spec.command_name in commands
        help_text = CliRunner().invoke(main, [spec.command_name, "--help"]).stdout
        for p in registry.params_of(spec.params):
            assert p.flag.name in help_text
        if spec.switch is not None:  # a variant: its switch on its command (gaps --rank)
            assert spec.switch.name in help_text


def test_report_traces_the_invitees_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The ranked list and the panorama of one report share the zone's Tracer (ZoneContext.tracer)."""
    from chaingraph.analysis import invite

    built: list[object] = []
    original = invite.Tracer.__init__

    def counting(self: invite.Tracer, *args: Any, **kw: Any) -> None:
        built.append(self)
        original(self, *args, **kw)

    monkeypatch.setattr(invite.Tracer, "__init__", counting)
    r = CliRunner().invoke(main, ["report", str(DATA), "-z", "晋城经开区", "-o", str(tmp_path / "report")])
    assert r.exit_code == 0, r.output
    assert len(built) == 1
