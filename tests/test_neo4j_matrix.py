"""The gap matrix in Cypher (queries/matrix.cypher) equals the in-memory one: sample, random and hand-checked data.

Run under the shared lock: ``flock /tmp/neo4j.lock .venv/bin/python -m pytest tests/test_neo4j_matrix.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph import registry
from chaingraph.cli import main
from chaingraph.load import load_dataset
from chaingraph.memory_engine import MemoryBackend
from chaingraph.results.options import Options
from chaingraph.synth import SynthSpec, write_synth
from tests.conftest import DATA
from tests.test_matrix import ENT, LINKS
from tests.test_neo4j import ZONES, drv, load_folder, uri  # noqa: F401 (fixtures)

pytestmark = pytest.mark.neo4j


def _same(folder: Path, bolt: str, zones: list[str], scopes: tuple[str, ...] = ("zone",)) -> None:
    from chaingraph.neo4j.engine import Neo4jBackend

    mem = MemoryBackend(load_dataset(folder))
    neo = Neo4jBackend(bolt)
    try:
        for scope in scopes:
            for zone in zones:
                for planned in (False, True):
                    opts = Options(zone=zone, scope=scope, include_planned=planned)
                    params = registry.MatrixParams(capture=0.4, multiplier=1.8)
                    a = registry.MATRIX.run(mem, opts, params).to_dict()
                    b = registry.MATRIX.run(neo, opts, params).to_dict()
                    assert a == b, f"matrix differs for {zone} ({scope}, planned={planned})"
                    ga = registry.GAPS.run(mem, opts, registry.NoParams()).to_dict()
                    assert ga == registry.GAPS.run(neo, opts, registry.NoParams()).to_dict(), f"gaps: {zone}"
    finally:
        neo.close()


def test_sample_matrix_same_as_memory(drv: Any, uri: str) -> None:  # noqa: F811
    load_folder(drv, DATA)
    _same(DATA, uri, ZONES)
    _same(DATA, uri, ["晋城市"], scopes=("city",))


@pytest.mark.parametrize(("seed", "chains"), [(21, True), (22, False)])
def test_random_matrix_same_as_memory(drv: Any, uri: str, tmp_path: Path, seed: int, chains: bool) -> None:  # noqa: F811
    folder = write_synth(SynthSpec(links=500, zones=3, seed=seed, chains=chains), tmp_path / "syn")
    load_folder(drv, folder)
    _same(folder, uri, ["园区01经开区", "园区02经开区", "园区03经开区"])


def test_hand_checked_figures_in_cypher(drv: Any, uri: str, tmp_path: Path) -> None:  # noqa: F811
    """tests/test_matrix.py's graph: density(Z, g1) = 5/7, g2 = 2/3, g3 none; Cypher gives the same."""
    from chaingraph.neo4j.engine import Neo4jBackend
    from tests.conftest import L_HEAD, write_csv

    d = tmp_path / "m"
    d.mkdir()
    write_csv(d / "enterprises.csv", ["id", "name", "zone", "products", "output_value", "employees"], ENT)
    write_csv(d / "links.csv", L_HEAD, [(*r, "", "", "", "") for r in LINKS])
    load_folder(drv, d)
    neo = Neo4jBackend(uri)
    try:
        m = neo.matrix(opts=Options(zone="Z"))
    finally:
        neo.close()
    got = {r.product: (r.density, r.zones_making, r.quadrant) for r in m.rows}
    assert got == {"g1": (0.714286, 2, "near_term"), "g2": (0.666667, 3, "near_term"), "g3": (None, 1, "defer")}
    assert (m.zones, m.scale.output_value, m.scale.firms_reporting) == (6, 300_000_000.0, 1)


def test_cli_matrix_and_gaps_from_a_bolt_uri_equal_folder(drv: Any, uri: str) -> None:  # noqa: F811
    load_folder(drv, DATA)
    runner = CliRunner()
    for args in (["gaps"], ["gaps", "--rank"], ["analyze"]):
        a = runner.invoke(main, [args[0], str(DATA), "--zone", "晋城经开区", "-f", "json", *args[1:]])
        b = runner.invoke(main, [args[0], uri, "--zone", "晋城经开区", "-f", "json", *args[1:]])
        assert a.exit_code == b.exit_code == 0, (a.output, b.output)
        assert json.loads(a.stdout) == json.loads(b.stdout), args
