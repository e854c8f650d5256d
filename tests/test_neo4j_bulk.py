"""``chaingraph neo4j load --bulk``: the offline import writes the same graph as the loader.

Needs the local server of ``chaingraph neo4j up`` (the import stops and restarts it).
Skipped without one, except in CI (CHAINGRAPH_REQUIRE_ALL=1), where that fails.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph.cli import main
from chaingraph.load import load_dataset
from chaingraph.neo4j import server
from chaingraph.neo4j.bulk import bulk_load
from chaingraph.neo4j.connect import driver, settings
from chaingraph.neo4j.load import counts, load
from tests.conftest import DATA, require
from tests.test_neo4j import ZONES, assert_same

pytestmark = pytest.mark.neo4j

HOSTILE_FIRM = '\nX-1,"引号""与,逗号 厂",晋城经开区,,晋城市,山西省,,"冷轧薄板; 外壳",manufacturer,,,false,,\n'
HOSTILE_LINK = '\nX-1,JC-YTL,外壳,1234.5,,,,active,JC-LHBS;SZ-TC,"第一行\n第二行 ""引"""\n'


def _dump(drv: Any) -> list[str]:
    """Every node and relationship with its properties, sorted: two graphs equal iff the lists do."""
    nodes = drv.execute_query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p").records
    rels = drv.execute_query("MATCH (a)-[r]->(b) RETURN type(r) AS t, coalesce(a.id, a.name) AS a, "
                             "coalesce(b.id, b.name) AS b, properties(r) AS p").records  # fmt: skip
    return sorted([json.dumps([r["l"], r["p"]], ensure_ascii=False, sort_keys=True) for r in nodes]
                  + [json.dumps([r["t"], r["a"], r["b"], r["p"]], ensure_ascii=False, sort_keys=True) for r in rels])  # fmt: skip


def test_bulk_import_writes_the_loaders_graph(tmp_path: Path) -> None:
    if not server.status().running:
        require("NEO4J", "no local server of `chaingraph neo4j up` to import into")
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    for name, row in (("enterprises.csv", HOSTILE_FIRM), ("links.csv", HOSTILE_LINK)):
        text = (folder / name).read_text(encoding="utf-8").rstrip("\n")
        (folder / name).write_text(text + row, encoding="utf-8")
    ds = load_dataset(folder)
    drv = driver(settings())
    try:
        loaded = load(ds, drv, replace=True)
        expected = _dump(drv)
    finally:
        drv.close()
    imported = bulk_load(ds)
    drv = driver(settings())
    try:
        assert imported == loaded == counts(drv)
        assert _dump(drv) == expected
    finally:
        drv.close()
    assert_same(folder, settings().uri, ZONES[:2])


def test_bulk_cli_refuses_a_remote_uri() -> None:
    r = CliRunner().invoke(main, ["neo4j", "load", str(DATA), "--bulk", "--uri", "bolt://example.org:7687"])
    assert r.exit_code == 2
    assert (
        r.stderr
        == "Error: --bulk imports into the local server of `chaingraph neo4j up`; leave out --uri/--database.\n"
    )


def test_bulk_restarts_on_the_servers_own_ports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINGRAPH_HOME", str(tmp_path))
    assert server.configured() == (7687, 7474, "2g")  # never started: the defaults of `neo4j up`
    server._write_conf(tmp_path / "neo4j", bolt_port=17687, http_port=17474, heap="3g", pagecache="1g")
    assert server.configured() == (17687, 17474, "3g")
