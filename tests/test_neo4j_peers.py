"""Resilience and peer zones on a real Neo4j: the Cypher (queries/resilience.cypher, peer_makers.cypher) equals memory.

Run under the shared server's lock: ``flock /tmp/neo4j.lock .venv/bin/python -m pytest tests/test_neo4j_peers.py``.
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
from tests.conftest import DATA, MakeData
from tests.test_neo4j import ZONES, drv, load_folder, uri  # noqa: F401  (fixtures)
from tests.test_peers import data  # noqa: F401  (fixture: the hand-checked peers graph)
from tests.test_resilience import ENT, LINKS

pytestmark = pytest.mark.neo4j


def _both(folder: Path, bolt: str, opts: Options, spec: Any, params: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from chaingraph.neo4j.engine import Neo4jBackend

    neo = Neo4jBackend(bolt)
    try:
        assert "neo4j" in spec.engines  # Neo4j computes it itself (DuckDB and Spark too, for benchmark)
        return (spec.run(MemoryBackend(load_dataset(folder)), opts, params).to_dict(),
                spec.run(neo, opts, params).to_dict())  # fmt: skip
    finally:
        neo.close()


def test_sample_resilience_equals_memory(drv: Any, uri: str) -> None:  # noqa: F811
    from chaingraph.neo4j.engine import Neo4jBackend

    load_folder(drv, DATA)
    mem = MemoryBackend(load_dataset(DATA))
    neo = Neo4jBackend(uri)
    try:
        for zone in ZONES:
            for planned in (False, True):
                opts = Options(zone=zone, include_planned=planned)
                for t in (0.25, 0.6):
                    p = registry.ResilienceParams(t)
                    a = registry.RESILIENCE.run(mem, opts, p).to_dict()
                    assert a == registry.RESILIENCE.run(neo, opts, p).to_dict(), (zone, planned, t)
                # the Cypher's own HHI, single point and concentration columns agree with the builder's
                rows = neo.run("resilience", zone={"name": zone, "statuses": list(opts.statuses), "threshold": 0.25})
                mine = registry.RESILIENCE.run(mem, opts, registry.ResilienceParams()).by_product()
                assert {r["product"] for r in rows} == set(mine)
                for r in rows:
                    m = mine[r["product"]]
                    assert (round(r["hhi"], 6), r["single_point"], r["concentrated"], r["supplier_count"]) == (
                        m.hhi, m.single_point, m.concentrated, m.suppliers,
                    ), r["product"]  # fmt: skip
    finally:
        neo.close()


def test_hand_checked_resilience_in_cypher(drv: Any, uri: str, make_data: MakeData) -> None:  # noqa: F811
    folder = make_data(ENT, LINKS)
    load_folder(drv, folder)
    a, b = _both(folder, uri, Options(zone="Z"), registry.RESILIENCE, registry.ResilienceParams())
    assert a == b
    assert (b["single_points"], b["single_point_share"], b["weighted_hhi"], b["concentrated"]) == (1, 0.285714, 0.58, 3)


def test_benchmark_equals_memory(drv: Any, uri: str, data: Path) -> None:  # noqa: F811
    load_folder(drv, data)
    for peers in (None, ("P1",), ("外地", "P2")):
        a, b = _both(data, uri, Options(zone="Z"), registry.BENCHMARK, registry.BenchmarkParams(peers))
        assert a == b, peers
        if peers is None:
            assert [(p["zone"], [m["id"] for m in p["makers"]]) for p in b["gaps"][0]["peers"]] == [
                ("P2", ["W"]), ("P1", ["X"]),
            ]  # fmt: skip  # makers, not the trader T
    assert [m["id"] for m in b["gaps"][0]["peers"][0]["makers"]] == ["O"]  # 外地, named, makes 芯片 too
    load_folder(drv, DATA)
    for zone, peers in (("晋城经开区", None), ("高平经开区", ("晋城经开区", "临猗现代农业产业示范区"))):
        a, b = _both(DATA, uri, Options(zone=zone), registry.BENCHMARK, registry.BenchmarkParams(peers))
        assert a == b, zone


def test_cli_bolt_uri_equals_folder(drv: Any, uri: str) -> None:  # noqa: F811
    load_folder(drv, DATA)
    for args in (
        ["resilience", "--zone", "晋城经开区"],
        ["benchmark", "--zone", "高平经开区", "--peers", "晋城经开区"],
    ):
        folder = CliRunner().invoke(main, [args[0], str(DATA), *args[1:], "-f", "json"])
        bolt = CliRunner().invoke(main, [args[0], uri, *args[1:], "-f", "json"])
        assert folder.exit_code == bolt.exit_code == 0, bolt.output
        assert json.loads(folder.stdout) == json.loads(bolt.stdout)
    bad = CliRunner().invoke(main, ["benchmark", uri, "--zone", "晋城经开区", "--peers", "火星园区"])
    assert bad.exit_code == 2
    assert bad.output == (
        "Error: --peers names a zone the data does not have: '火星园区'. Known zones: "
        + "、".join(sorted({str(z) for z in load_dataset(DATA).enterprises["zone"].tolist() if z}))
        + ".\n"
    )
