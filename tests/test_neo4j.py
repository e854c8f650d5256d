"""A real Neo4j: idempotent load, every analysis equal to the in-memory engine, errors.

Needs a running server (``chaingraph neo4j up``, or NEO4J_URI/NEO4J_PASSWORD).
Skipped without one, except in CI (CHAINGRAPH_REQUIRE_ALL=1), where that fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chaingraph.analysis.rank import rank_gaps
from chaingraph.cli import main
from chaingraph.errors import BackendError, UnknownZoneError
from chaingraph.load import load_dataset
from chaingraph.memory import MemoryBackend
from chaingraph.neo4j.connect import driver, settings
from chaingraph.neo4j.load import load
from chaingraph.results.options import Options
from chaingraph.synth import SynthSpec, write_synth
from tests.conftest import DATA, MakeData, require, write_csv

pytestmark = pytest.mark.neo4j
ZONES = ["晋城经开区", "高平经开区", "临汾经开区", "上党经开区", "临猗现代农业产业示范区"]


@pytest.fixture(scope="module")
def drv() -> Iterator[Any]:
    try:
        d = driver(settings())
    except BackendError as err:
        require("NEO4J", f"no Neo4j server: {err}")
    yield d
    d.close()


@pytest.fixture
def uri(drv: Any) -> str:
    return settings().uri


def load_folder(drv: Any, folder: Path) -> Any:
    return load(load_dataset(folder), drv, replace=True, batch=97)


def assert_same(folder: Path, uri: str, zones: list[str]) -> None:
    from chaingraph.neo4j.backend import Neo4jBackend

    mem = MemoryBackend(load_dataset(folder))
    neo = Neo4jBackend(uri)
    back = MemoryBackend(neo.dataset)  # the graph read back into tables
    try:
        for zone in zones:
            for planned in (False, True):
                opts = Options(zone=zone, include_planned=planned, local_saving_rate=0.07)
                for kind in ("closure", "savings", "gaps", "leaders"):
                    a = getattr(mem, kind)(opts=opts).to_dict()
                    assert a == getattr(back, kind)(opts=opts).to_dict(), f"read back: {kind}, {zone}, {planned}"
                ranked = rank_gaps(mem.dataset, opts=opts).to_dict()
                assert ranked == rank_gaps(back.dataset, opts=opts).to_dict(), f"read back: rank, {zone}"
                for kind in ("closure", "savings", "gaps", "leaders", "routes"):
                    a = getattr(mem, kind)(opts=opts).to_dict()
                    b = getattr(neo, kind)(opts=opts).to_dict()
                    assert a == b, f"{kind} differs for {zone} (planned={planned})"
                via = [i.id for i in mem.routes(opts=opts).intermediaries]
                if via:  # re-route everything through the first intermediary to the zone's first firm
                    args = {"reroute_via": mem.leaders(opts=opts).leaders[0].id, "replacing": via[0]}
                    assert mem.routes(opts=opts, **args).to_dict() == neo.routes(opts=opts, **args).to_dict()
    finally:
        neo.close()


def test_load_is_idempotent(drv: Any) -> None:
    first = load_folder(drv, DATA)
    second = load(load_dataset(DATA), drv)  # no --replace: MERGE keeps one of everything
    assert first == second
    assert first.nodes["Enterprise"] == len(load_dataset(DATA).enterprises)
    assert first.relationships["SUPPLIES"] == len(load_dataset(DATA).links)


def test_sample_data_same_figures_as_memory(drv: Any, uri: str) -> None:
    load_folder(drv, DATA)
    assert_same(DATA, uri, ZONES)


@pytest.mark.parametrize(("seed", "chains"), [(11, True), (12, False), (13, True)])
def test_random_data_same_figures_as_memory(drv: Any, uri: str, tmp_path: Path, seed: int, chains: bool) -> None:
    folder = write_synth(SynthSpec(links=500, zones=3, seed=seed, chains=chains), tmp_path / "syn")
    load_folder(drv, folder)
    assert_same(folder, uri, ["园区01经开区", "园区02经开区", "园区03经开区"])


def test_cli_with_bolt_uri_equals_folder(drv: Any, uri: str) -> None:
    load_folder(drv, DATA)
    runner = CliRunner()
    seed = ["--reroute-via", "兰花保税物流中心", "--replacing", "深圳通诚国际货运"]
    b = runner.invoke(main, ["routes", uri, "--zone", "晋城经开区", "-f", "json", *seed])
    assert b.exit_code == 0, b.output
    assert json.loads(b.stdout)["rerouted_value"] > 1e8
    for cmd in ("closure", "savings", "gaps", "leaders"):
        a = runner.invoke(main, [cmd, str(DATA), "--zone", "晋城经开区", "-f", "json"])
        b = runner.invoke(main, [cmd, uri, "--zone", "晋城经开区", "-f", "json"])
        assert a.exit_code == b.exit_code == 0
        assert json.loads(a.stdout) == json.loads(b.stdout)


def test_all_zones_summary_from_a_bolt_uri_equals_folder(drv: Any, uri: str) -> None:
    """Server-side, zone after zone, the same table the one-pass in-memory summary gives."""
    load_folder(drv, DATA)
    runner = CliRunner()
    a = runner.invoke(main, ["analyze", str(DATA), "--all-zones", "-f", "json"])
    b = runner.invoke(main, ["analyze", uri, "--all-zones", "-f", "json"])
    assert a.exit_code == b.exit_code == 0, b.output
    assert json.loads(a.stdout) == json.loads(b.stdout)
    assert len(json.loads(b.stdout)["zones"]) == len(MemoryBackend(load_dataset(DATA)).zones(scope="zone"))


def test_rank_and_whatif_from_a_bolt_uri_equal_folder(drv: Any, uri: str, tmp_path: Path) -> None:
    load_folder(drv, DATA)
    scen = write_csv(tmp_path / "landing.csv", ["id", "name", "zone", "products"],
                     [("NEW1", "新落地企业", "晋城经开区", "触摸屏;冷轧薄板")])  # fmt: skip
    runner = CliRunner()
    for args in (["gaps", "--rank"], ["whatif", "--scenario", str(scen)]):
        a = runner.invoke(main, [args[0], str(DATA), "--zone", "晋城经开区", "-f", "json", *args[1:]])
        b = runner.invoke(main, [args[0], uri, "--zone", "晋城经开区", "-f", "json", *args[1:]])
        assert a.exit_code == b.exit_code == 0, (a.output, b.output)
        assert json.loads(a.stdout) == json.loads(b.stdout)
    report = runner.invoke(main, ["report", uri, "--zone", "晋城经开区", "-o", str(tmp_path / "r")])
    assert report.exit_code == 0, report.output
    assert (tmp_path / "r" / "graph.html").is_file()


def test_read_back_keeps_stages_without_inputs_and_lists(drv: Any, make_data: MakeData) -> None:
    from chaingraph.neo4j.backend import Neo4jBackend

    ent = [("A", "甲", "Z", "钢; 铁"), ("B", "乙", "Z", "箱体"), ("C", "丙", "外地", "芯片")]
    links = [("A", "B", "钢", 100), ("C", "B", "芯片", 50, "", "", "", "planned"), ("C", "A", "芯片", 7)]
    chains = [
        ("桩", "箱体", "钢"),
        ("桩", "钢", ""),
        ("桩", "检测", ""),
        ("桩", "箱体", "芯片"),
    ]  # 检测: no inputs, input of none
    folder = make_data(ent, links, chains)
    load_folder(drv, folder)
    neo = Neo4jBackend(settings().uri)
    try:
        back = neo.dataset
    finally:
        neo.close()
    ds = load_dataset(folder)
    rows = lambda c: sorted(map(tuple, c[["chain", "product", "input"]].to_numpy().tolist()))  # noqa: E731
    assert back.chains is not None and ds.chains is not None
    assert rows(back.chains) == rows(ds.chains)  # 检测 has no inputs and feeds nothing: kept by IN_CHAIN.listed
    assert back.enterprises["products"].tolist() == ["钢;铁", "箱体", "芯片"]
    assert back.links[["supplier_id", "status", "value", "line"]].to_numpy().tolist() == [
        ["A", "active", 100.0, 2], ["C", "planned", 50.0, 3], ["C", "active", 7.0, 4]]  # fmt: skip
    opts = Options(zone="Z", include_planned=True)
    for kind in ("closure", "savings", "gaps"):
        assert (
            getattr(MemoryBackend(ds), kind)(opts=opts).to_dict()
            == getattr(MemoryBackend(back), kind)(opts=opts).to_dict()
        )


def test_zone_names_with_quotes_and_backticks(drv: Any, uri: str, make_data: MakeData) -> None:
    zone = 'O\'Hare `区` "东"'
    folder = make_data([("A", "甲", zone, "钢"), ("B", "乙", zone, ""), ("C", "丙", "外地", "芯片")],
                       [("A", "B", "钢", 100), ("C", "B", "芯片", 300)])  # fmt: skip
    load_folder(drv, folder)
    assert_same(folder, uri, [zone])


def test_unknown_zone(drv: Any, uri: str) -> None:
    from chaingraph.neo4j.backend import Neo4jBackend

    load_folder(drv, DATA)
    neo = Neo4jBackend(uri)
    with pytest.raises(UnknownZoneError) as exc:
        neo.gaps(opts=Options(zone="晋城"))
    neo.close()
    assert exc.value.candidates[:2] == ["晋城市", "晋城经开区"]


def test_errors_are_one_line_exit_2(drv: Any, uri: str) -> None:
    runner = CliRunner()
    wrong = runner.invoke(main, ["gaps", uri, "-z", "晋城经开区", "--password", "not-the-password"])
    assert wrong.exit_code == 2
    assert wrong.stderr == (f"Error: Neo4j at {uri} refused user 'neo4j': wrong user or password "
                            "(check --password / NEO4J_PASSWORD).\n")  # fmt: skip
    down = runner.invoke(main, ["gaps", "bolt://127.0.0.1:1", "-z", "晋城经开区", "--password", "x"])
    assert down.exit_code == 2
    assert down.stderr == ("Error: Neo4j is not reachable at bolt://127.0.0.1:1: is the server running? "
                           "(`chaingraph neo4j up` starts a local one)\n")  # fmt: skip
    nodb = runner.invoke(main, ["gaps", uri, "-z", "晋城经开区", "--database", "nosuchdb"])
    assert nodb.exit_code == 2
    assert nodb.stderr == f"Error: Neo4j at {uri} has no database 'nosuchdb'.\n"
    for r in (wrong, down, nodb):
        assert "Traceback" not in r.output


def test_load_cli_never_prints_the_password(drv: Any) -> None:
    password = settings().password
    r = CliRunner().invoke(main, ["neo4j", "load", str(DATA), "--replace"])
    assert r.exit_code == 0, r.output
    assert "SUPPLIES 385" in r.stdout
    assert password not in r.output
