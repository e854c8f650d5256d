"""`chaingraph panorama` on a Neo4j SOURCE: the graph read back gives the folder's panorama."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph.cli import main
from chaingraph.load import load_dataset
from chaingraph.neo4j.connect import settings
from chaingraph.neo4j.load import load
from tests.conftest import DATA
from tests.test_neo4j import ZONES, drv  # noqa: F401 (fixture)

pytestmark = pytest.mark.neo4j


def test_panorama_from_a_bolt_uri_equals_folder(drv: Any, tmp_path: Path) -> None:  # noqa: F811
    load(load_dataset(DATA), drv, replace=True)
    uri = settings().uri
    run = CliRunner().invoke
    for zone in ZONES:
        a = run(main, ["panorama", str(DATA), "--zone", zone, "-f", "json"])
        b = run(main, ["panorama", uri, "--zone", zone, "-f", "json"])
        assert a.exit_code == b.exit_code == 0, b.output
        assert json.loads(a.stdout) == json.loads(b.stdout), zone
    out = tmp_path / "p.html"
    r = run(main, ["panorama", uri, "--zone", "晋城经开区", "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert f"数据来源 {uri}：企业 170 行 · 供应关系 385 行" in html and html.count('class="cg-stage ') == 37
