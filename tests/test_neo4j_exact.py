"""The hand-computed figures of tests/test_exact.py (and the what-if and invitation tests), from Neo4j.

Needs a running server; skipped without one, except in CI (CHAINGRAPH_REQUIRE_ALL=1).
Run under the shared lock: ``flock /tmp/neo4j.lock pytest tests/test_neo4j_exact.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chaingraph.analysis import Options
from chaingraph.errors import BackendError
from chaingraph.load import load_dataset
from chaingraph.neo4j.connect import driver, settings
from chaingraph.neo4j.load import load
from tests import test_exact
from tests.conftest import MakeData

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def drv() -> Iterator[Any]:
    from tests.conftest import require

    try:
        d = driver(settings())
    except BackendError as err:
        require("NEO4J", f"no Neo4j server: {err}")
    yield d
    d.close()


def test_sub_fen_figures_from_cypher(drv: Any, make_data: MakeData) -> None:
    from chaingraph.neo4j.backend import Neo4jBackend

    load(load_dataset(make_data(test_exact.ENT, test_exact.LINKS)), drv, replace=True)
    neo = Neo4jBackend(settings().uri)
    try:
        opts = Options(zone="Z")
        s = neo.savings(opts=opts)
        (r,) = s.realized
        assert (r.before, r.after, r.unit_saving, r.annual_saving) == (0.0046, 0.0035, 0.0011, 55_000.0)
        (p,) = s.potential
        assert (p.landed, p.reference, p.unit_saving, p.annual_saving) == (0.004, 0.0035, 0.0005, 10_000.0)
        assert (s.total_realized, s.total_potential) == (55_000.0, 10_000.0)
        c = neo.closure(opts=opts)
        assert (c.local_value, c.total_value, c.local_sourcing_ratio) == (
            175_000.0, 267_962.95, round(test_exact.LOCAL / test_exact.TOTAL, 6),
        )  # fmt: skip
        glue = next(g for g in neo.gaps(opts=opts).gaps if g.product == "胶水")
        assert (glue.kind, glue.external_demand) == ("missing", 12_962.95)
    finally:
        neo.close()
