"""The graph-shaped Browser queries (panorama_graph, gap_graph, local_chains_graph) against the in-memory engine.

Each file returns paths for Neo4j Browser's graph view and labels the nodes it returns for
chaingraph.grass; these tests read the nodes, relationships and labels back and compare them with
what the in-memory engine computes for the same zone and options, on the sample and on random data.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from chaingraph.analysis.context import ZoneContext
from chaingraph.load import load_dataset
from chaingraph.memory import MemoryBackend
from chaingraph.model import Dataset
from chaingraph.neo4j.load import load
from chaingraph.neo4j.queries import query
from chaingraph.results.options import Options
from chaingraph.synth import SynthSpec, write_synth
from tests.conftest import DATA
from tests.test_neo4j import ZONES, drv  # noqa: F401 (fixture)

pytestmark = pytest.mark.neo4j
SYN_ZONES = ["园区01经开区", "园区02经开区", "园区03经开区"]
GRASS = Path(__file__).resolve().parent.parent / "queries" / "chaingraph.grass"


def run(db: Any, name: str, zone: dict[str, Any]) -> list[Any]:
    return list(db.execute_query(query(name), {"zone": zone}).records)


def fen(v: float) -> int:
    return round(v * 100)


def options(zone: str, planned: bool) -> tuple[Options, dict[str, Any]]:
    opts = Options(zone=zone, include_planned=planned)
    return opts, {"name": zone, "statuses": list(opts.statuses)}


def check_gap_graph(db: Any, mem: MemoryBackend, zone: str, planned: bool) -> None:
    opts, param = options(zone, planned)
    expected = [g for g in mem.gaps(opts=opts).gaps if g.kind in ("missing", "weak")]
    rows = run(db, "gap_graph", {**param, "top": 10_000})
    assert list(dict.fromkeys(r["gap"] for r in rows)) == sorted(g.product for g in expected)
    by_gap: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        by_gap[r["gap"]].append(r)
    for g in expected:
        got = by_gap[g.product]
        assert {r["kind"] for r in got} == {g.kind}
        assert {"Gap" if g.kind == "missing" else "Weak"} <= set(got[0]["product"].labels)
        sups: dict[str, int] = defaultdict(int)
        buys: dict[str, int] = defaultdict(int)
        for r in got:
            link = r["link"]
            s, b = link.start_node, link.end_node
            assert {"Outside", "Invitee"} <= set(s.labels) and "Local" not in s.labels
            assert "Local" in b.labels and "Outside" not in b.labels
            assert link.relationships[0]["product"] == g.product
            sups[s["id"]] += fen(r["value"])
            buys[b["id"]] += fen(r["value"])
            if r["made"] is not None:  # the invitee's own MAKES arrow to the gap product
                assert r["made"].end_node["name"] == g.product
        assert dict(sups) == {x["id"]: fen(x["value"]) for x in g.suppliers}
        assert dict(buys) == {x["id"]: fen(x["value"]) for x in g.buyers}
    # by default the five largest gaps, in the promotion list's order
    top = run(db, "gap_graph", param)
    assert list(dict.fromkeys(r["gap"] for r in top)) == sorted(g.product for g in expected[:5])
    if expected:  # one gap on its own
        one = run(db, "gap_graph", {**param, "product": expected[-1].product})
        assert {r["gap"] for r in one} == {expected[-1].product}


def check_panorama_graph(db: Any, mem: MemoryBackend, zone: str, planned: bool) -> None:
    """Each chain's stages with the status, reason, makers and invitees of the panorama analysis."""
    from chaingraph.analysis.panorama import panorama

    ds: Dataset = mem.dataset
    opts, param = options(zone, planned)
    if ds.chains is None:
        assert run(db, "panorama_graph", param) == []
        return
    zh = {"strong": "强", "weak": "弱", "missing": "缺", "empty": "空白"}
    label = {"strong": "Strong", "weak": "Weak", "missing": "Gap", "empty": "Empty"}
    everything = {r["stage"] for r in run(db, "panorama_graph", param)}
    seen: set[str] = set()
    for chain in panorama(ds, opts=opts).chains:
        assert chain.chain is not None
        rows = {r["stage"]: r for r in run(db, "panorama_graph", {**param, "chain": chain.chain})}
        assert set(rows) == {s.product for s in chain.stages}, chain.chain
        seen |= set(rows)
        for st in chain.stages:
            r = rows[st.product]
            assert (r["status"], r["状态"], r["reason"]) == (st.status, zh[st.status], st.reason), st.product
            assert r["makers"] == [m.id for m in st.makers[:3]] and r["maker_count"] == len(st.makers), st.product
            assert r["invitees"] == [s.id for s in st.invite[:3]] and r["invite_count"] == len(st.invite)
            node = r["chain"][0].start_node
            assert label[st.status] in node.labels and node["name"] == st.product
            assert [g.end_node["name"] for g in r["chain"]] == [chain.chain]
            assert sorted(g.start_node["name"] for g in r["feeds"]) == sorted(st.inputs)
            assert [g.start_node["id"] for g in r["made"]] == r["makers"]
            assert all("Local" in g.start_node.labels for g in r["made"])
            assert {g.start_node["id"] for g in r["invited"]} == set(r["invitees"])
            for g in r["invited"]:
                assert "Invitee" in g.start_node.labels and "Local" in g.end_node.labels
                assert g.relationships[0]["product"] == st.product
    assert everything == seen  # without a chain filter: every chain's stages once


def check_local_chains_graph(db: Any, mem: MemoryBackend, zone: str, planned: bool) -> None:
    ds = mem.dataset
    opts, param = options(zone, planned)
    act = ZoneContext.of(ds, opts).links
    local = act[act["s_in"] & act["b_in"]]
    expected = sorted(zip(local["supplier_id"], local["buyer_id"], local["product"], map(fen, local["value"]),
                          strict=True))  # fmt: skip
    rows = run(db, "local_chains_graph", param)
    got = []
    for r in rows:
        s, b = r["link"].start_node, r["link"].end_node
        assert "Local" in s.labels and "Local" in b.labels
        got.append((s["id"], b["id"], r["link"].relationships[0]["product"], fen(r["value"])))
    assert sorted(got) == expected
    edges = {(s, b) for s, b, _, _ in got}
    for chain in mem.closure(opts=opts).local_chains:  # every listed chain is drawn
        assert all((x, y) in edges for x, y in itertools.pairwise(chain))


def check_all(db: Any, folder: Path, zones: list[str]) -> None:
    mem = MemoryBackend(load_dataset(folder))
    for zone in zones:
        for planned in (False, True):
            check_gap_graph(db, mem, zone, planned)
            check_panorama_graph(db, mem, zone, planned)
            check_local_chains_graph(db, mem, zone, planned)


def test_graph_queries_on_the_sample(drv: Any) -> None:  # noqa: F811
    load(load_dataset(DATA), drv, replace=True)
    check_all(drv, DATA, ZONES)
    # the seed case: 功率模块 is missing in 晋城经开区, 深圳英源电气 the first supplier to invite
    rows = run(drv, "gap_graph", {"name": "晋城经开区", "product": "功率模块"})
    assert rows and {r["kind"] for r in rows} == {"missing"}
    assert "深圳英源电气" in {r["link"].start_node["name"] for r in rows}


@pytest.mark.parametrize(("seed", "chains"), [(21, True), (22, False)])
def test_graph_queries_on_random_data(drv: Any, tmp_path: Path, seed: int, chains: bool) -> None:  # noqa: F811
    folder = write_synth(SynthSpec(links=600, zones=3, seed=seed, chains=chains), tmp_path / "syn")
    load(load_dataset(folder), drv, replace=True)
    check_all(drv, folder, SYN_ZONES)


def test_grass_styles_every_display_label() -> None:
    text = GRASS.read_text(encoding="utf-8")
    assert "/*" not in text  # Browser 5.24's :style cannot parse a comment
    order = [text.index(f"node.{label} {{") for label in ("Enterprise", "Outside", "Local", "Invitee")]
    assert order == sorted(order)  # later rules win: Invitee over Outside over the plain firm
    order = [text.index(f"node.{label} {{") for label in ("Product", "Strong", "Weak", "Gap", "Empty")]
    assert order == sorted(order)
    for name in ("gap_graph", "panorama_graph", "local_chains_graph"):
        for label in ("Local", "Outside", "Invitee", "Strong", "Weak", "Gap", "Empty"):
            if f":{label}" in query(name):
                assert f"node.{label} {{" in text, (name, label)
