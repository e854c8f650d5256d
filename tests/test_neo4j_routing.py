"""Past one server: loading and every analysis through a routing URI (neo4j://) and a named database.

The local server is a single instance; a ``neo4j://`` URI makes the driver fetch a routing table
from it and send reads and writes where it says, as it would on a cluster or Aura. The analyses
are sent as reads (RoutingControl.READ), so on a cluster they may run on any reader.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph.cli import main
from chaingraph.load import load_dataset
from chaingraph.memory import MemoryBackend
from chaingraph.neo4j.connect import driver, settings
from chaingraph.neo4j.load import load
from chaingraph.results.options import Options
from tests.conftest import DATA
from tests.test_neo4j import ZONES, drv  # noqa: F401 (fixture)

pytestmark = pytest.mark.neo4j
DATABASE = "neo4j"  # the named database of a Community server (Enterprise and Aura may hold more)


def routing_uri() -> str:
    uri = settings().uri
    return "neo4j://" + uri.split("://", 1)[1]


def test_load_and_every_analysis_through_neo4j_uri_and_named_database(drv: Any) -> None:  # noqa: F811
    from chaingraph.neo4j.backend import Neo4jBackend

    uri = routing_uri()
    routed = driver(settings(uri, database=DATABASE))
    try:
        assert routed.get_server_info().address  # the routing table named a server
        result = load(load_dataset(DATA), routed, database=DATABASE, replace=True, batch=97)
        assert result.relationships["SUPPLIES"] == len(load_dataset(DATA).links)
    finally:
        routed.close()
    mem = MemoryBackend(load_dataset(DATA))
    neo = Neo4jBackend(uri, database=DATABASE)
    try:
        assert neo.conn.uri.startswith("neo4j://") and neo.conn.database == DATABASE
        for zone in ZONES:
            for planned in (False, True):
                opts = Options(zone=zone, include_planned=planned)
                for kind in ("closure", "savings", "gaps", "leaders", "routes"):
                    assert getattr(mem, kind)(opts=opts).to_dict() == getattr(neo, kind)(opts=opts).to_dict(), kind
        assert neo.zones(scope="zone") == mem.zones(scope="zone")
    finally:
        neo.close()


def test_cli_load_and_analyses_with_neo4j_uri_and_database(drv: Any) -> None:  # noqa: F811
    uri = routing_uri()
    runner = CliRunner()
    res = runner.invoke(main, ["neo4j", "load", str(DATA), "--uri", uri, "--database", DATABASE, "--replace"])
    assert res.exit_code == 0, res.output
    assert f"loaded into {uri}" in res.output
    for cmd in ("closure", "savings", "gaps", "leaders", "routes"):
        mem = runner.invoke(main, [cmd, str(DATA), "--zone", "晋城经开区", "-f", "json"])
        neo = runner.invoke(main, [cmd, uri, "--database", DATABASE, "--zone", "晋城经开区", "-f", "json"])
        assert mem.exit_code == 0 and neo.exit_code == 0, neo.output
        assert json.loads(neo.output) == json.loads(mem.output), cmd


def test_unknown_named_database_is_one_line_exit_2(drv: Any) -> None:  # noqa: F811
    res = CliRunner().invoke(main, ["gaps", routing_uri(), "--database", "nosuch", "--zone", "晋城经开区"])
    assert res.exit_code == 2
    assert res.output.strip().splitlines()[-1] == f"Error: Neo4j at {routing_uri()} has no database 'nosuch'."
