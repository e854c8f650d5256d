"""The in-memory analyses on the SQL engines read one zone's slice, never every link (issue 21, point 3).

leaders, routes, resilience, the ranked list, the panorama, the peer zones (and what-if, the report
and the graph) on DuckDB give the in-memory engine's JSON byte for byte on data/, on synth data
and on random data with intermediaries, while :attr:`SqlBackend.dataset` — which reads every link
into pandas — raises if anything asks for it.
"""

from __future__ import annotations

import dataclasses
import itertools
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaingraph import registry
from chaingraph.duckdb_engine import DuckDBBackend
from chaingraph.load import load_dataset
from chaingraph.memory_engine import MemoryBackend
from chaingraph.model import Dataset
from chaingraph.relational.engine import SqlBackend
from chaingraph.render.fmt import to_json
from chaingraph.results.options import Options
from chaingraph.synth import SynthSpec, write_synth
from tests.conftest import DATA, L_HEAD, write_csv
from tests.relational_data import datasets

#: The analyses computed in memory over a zone's context on the SQL engines, with their parameters.
SLICED: dict[str, Any] = {
    "leaders": registry.LeadersParams(top=3),
    "routes": registry.RoutesParams(),
    "resilience": registry.ResilienceParams(),
    "rank": registry.RankParams(),
    "panorama": registry.NoParams(),
    "benchmark": registry.BenchmarkParams(),
}


class AllLinksRead(AssertionError):
    """Something asked a SQL engine for every link."""


@pytest.fixture(autouse=True)
def no_whole_dataset(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """On the SQL engines reading the whole data into pandas is a failure in this module."""

    def refuse(self: Any) -> Any:
        raise AllLinksRead(f"{type(self).__name__}.dataset was asked for: every link into pandas")

    for cls in _sql_engines():
        monkeypatch.setattr(cls, "dataset", property(refuse))
    yield


def _sql_engines() -> list[type]:
    out: list[type] = [DuckDBBackend]
    try:
        from chaingraph.spark_engine import SparkBackend
    except ImportError:  # pragma: no cover
        return out
    return [*out, SparkBackend]


def sliced_figures(backend: Any, zones: list[str], *, planned: tuple[bool, ...] = (False,),
                   scopes: tuple[str, ...] = ("zone",), reroute: tuple[str, str] | None = None) -> dict[str, str]:  # fmt: skip
    """The JSON the CLI writes for every sliced analysis of each zone."""
    out: dict[str, str] = {}
    for scope in scopes:
        for p in planned:
            for z in zones if scope == "zone" else backend.zones(scope=scope)[:2]:
                o = Options(zone=z, scope=scope, include_planned=p)
                for name, params in SLICED.items():
                    spec = registry.ALL[name]
                    out[f"{scope} {p} {z} {name}"] = to_json(spec.render_json(spec.run(backend, o, params), backend))
                if reroute is not None:
                    r = registry.ROUTES.run(backend, o, registry.RoutesParams(*reroute))
                    out[f"{scope} {p} {z} reroute"] = to_json(r.to_dict())
    return out


def views(backend: Any, zones: list[str], focus: list[str]) -> dict[str, str]:
    """The graph page's records (build_view) of each zone, and of each ``focus`` firm within 2 hops."""
    from chaingraph.analysis.gaps import gaps
    from chaingraph.render.view import build_view

    out = {}
    for z in zones:
        o = Options(zone=z)
        for f in [None, *focus]:
            if isinstance(backend, MemoryBackend):
                ds = backend.dataset
                g = gaps(ds, opts=o)
            else:
                g = gaps(backend.zone_context(o), opts=o)
                ds = backend.view_dataset(o, g, focus=f)
            v = build_view(ds, opts=o, gaps=g, focus=f, hops=2)
            out[f"{z} {f}"] = to_json(dataclasses.asdict(v))
    return out


def _equal(ds: Dataset, sql: SqlBackend, zones: int | None = None, **kw: Any) -> None:
    mem = MemoryBackend(ds)
    names = mem.zones(scope="zone")[:zones]
    a, b = sliced_figures(mem, names, **kw), sliced_figures(sql, names, **kw)
    assert a.keys() == b.keys()
    for k in a:
        assert b[k] == a[k], k
    focus = ds.links["supplier_id"].iloc[:1].tolist()
    a, b = views(mem, names[:2], focus), views(sql, names[:2], focus)
    for k in a:
        assert b[k] == a[k], k


def test_sample_data_every_sliced_figure_equal() -> None:
    ds = load_dataset(DATA)
    _equal(ds, DuckDBBackend(ds), zones=4, reroute=("兰花保税物流中心", "深圳通诚国际货运"))
    _equal(ds, DuckDBBackend(ds), zones=1, planned=(True,), scopes=("zone", "city", "province"))


def test_the_validated_copy_slices_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default engine reads the Parquet copy: the slice comes from the files, the figures are the same."""
    from chaingraph.validated_copy import CACHE_ENV, validated_copy

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    duck = DuckDBBackend(validated_copy(DATA))
    _equal(load_dataset(DATA), duck, zones=2, reroute=("兰花保税物流中心", "深圳通诚国际货运"))
    assert duck._dataset is None


def test_a_zone_name_with_a_quote_slices_the_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The slice over the copy is a view, its zone written into its SQL as quoted text (DDL binds no parameters):
    a zone named with a quote, 晋城'经开区, gives the figures of the in-memory engine."""
    from chaingraph.validated_copy import CACHE_ENV, validated_copy

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "data"
    folder.mkdir()
    for f in DATA.glob("*.csv"):
        (folder / f.name).write_text(
            f.read_text(encoding="utf-8").replace("晋城经开区", "晋城'经开区"), encoding="utf-8"
        )
    duck = DuckDBBackend(validated_copy(folder))
    assert "晋城'经开区" in duck.zones(scope="zone")
    _equal(load_dataset(folder), duck)  # every zone, 晋城'经开区 among them
    assert duck._zl == "view"


@pytest.mark.parametrize("chains", [True, False])
def test_synth_data_every_sliced_figure_equal(tmp_path: Path, chains: bool) -> None:
    write_synth(SynthSpec(links=3000, zones=3, seed=5, chains=chains), tmp_path)
    ds = load_dataset(tmp_path)
    _equal(ds, DuckDBBackend(ds), zones=2, planned=(chains,))


@st.composite
def routed_datasets(draw: Any) -> dict[str, Any]:
    """Random data (tests.relational_data) with traders and logistics firms, and links routed through them."""
    rows = draw(datasets())
    n = len(rows["firms"])
    kinds = [draw(st.sampled_from(["manufacturer", "manufacturer", "trader", "logistics"])) for _ in range(n)]
    links = []
    for r in rows["links"]:
        via = draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True))
        ids = [f"F{i}" for i in via if f"F{i}" not in (r[0], r[1])]
        links.append((*r, ";".join(ids)))
    return {**rows, "kinds": kinds, "links": links}


def write_routed(rows: dict[str, Any], folder: Path) -> Path:
    """:func:`routed_datasets` rows as enterprises.csv (with kind), links.csv (with via) and chains.csv."""
    firms = [(*f, k, "true" if i == 0 else "") for i, (f, k) in enumerate(zip(rows["firms"], rows["kinds"],
                                                                               strict=True))]  # fmt: skip
    write_csv(folder / "enterprises.csv", ["id", "name", "zone", "city", "products", "industry", "kind",
                                           "chain_leader"], firms)  # fmt: skip
    write_csv(folder / "links.csv", [*L_HEAD, "via"], rows["links"])
    if rows["chains"] is not None:
        write_csv(folder / "chains.csv", ["chain", "product", "input"], rows["chains"])
    return folder


def _load_routed(rows: dict[str, Any]) -> Dataset:
    with tempfile.TemporaryDirectory() as d:
        return load_dataset(write_routed(rows, Path(d)), skip_bad=True)


@settings(max_examples=10)
@given(routed_datasets())
def test_random_data_every_sliced_figure_equal(rows: dict[str, Any]) -> None:
    ds = _load_routed(rows)
    if ds.enterprises.empty or not MemoryBackend(ds).zones(scope="zone"):
        return
    _equal(ds, DuckDBBackend(ds), zones=2, planned=(True,), scopes=("zone", "city"))


def test_a_slice_is_one_zones_links_and_firms() -> None:
    """What comes back for one zone: its links (every status) and the firms they name, not the data."""
    ds = load_dataset(DATA)
    duck = DuckDBBackend(ds)
    o = Options(zone="晋城经开区")
    z = duck.zone_context(o)
    members = set(ds.enterprises.loc[ds.enterprises["zone"] == o.zone, "id"])
    touching = ds.links["supplier_id"].isin(members) | ds.links["buyer_id"].isin(members)
    assert len(z.dataset.links) == int(touching.sum()) < len(ds.links)
    assert z.dataset.links["line"].tolist() == ds.links.loc[touching, "line"].tolist()  # file order kept
    assert members <= set(z.dataset.enterprises["id"]) and len(z.dataset.enterprises) < len(ds.enterprises)
    pd.testing.assert_frame_equal(z.dataset.links, ds.links[touching].reset_index(drop=True))


def _scenario(
    tmp_path: Path, ds: Dataset, zone: str, *, product: str, buys: tuple[str, str] | None
) -> registry.WhatIfParams:
    """A landing in ``zone``: a maker of ``product`` taking over all outside purchases of it; it buys ``buys``."""
    scen = write_csv(tmp_path / "landing.csv", ["id", "name", "zone", "products", "capture"],
                     [("NEW-1", "新厂", zone, product, "1")])  # fmt: skip
    links = None
    if buys is not None:
        links = write_csv(tmp_path / "landing_links.csv", ["supplier_id", "buyer_id", "product", "annual_value",
                                                           "replaces"], [(buys[0], "NEW-1", buys[1], 1000, "new")])  # fmt: skip
    return registry.WhatIfParams(scenario=str(scen), scenario_links=str(links) if links else None, capture=0.0)


def _whatif_equal(ds: Dataset, zone: str, params: registry.WhatIfParams, *, planned: bool = False) -> None:
    o = Options(zone=zone, include_planned=planned)
    mem, duck = MemoryBackend(ds), DuckDBBackend(ds)
    a = to_json(registry.WHATIF.render_json(registry.WHATIF.run(mem, o, params), mem))
    b = to_json(registry.WHATIF.render_json(registry.WHATIF.run(duck, o, params), duck))
    assert b == a


def test_whatif_on_the_slice_equal(tmp_path: Path) -> None:
    """Every outside link of the product taken over (they turn former): the flow graph after it comes from SQL."""
    ds = load_dataset(DATA)
    g = MemoryBackend(ds).gaps(opts=Options(zone="晋城经开区"))
    top = next(x for x in g.gaps if x.external_demand > 0)
    outside = ds.enterprises.loc[ds.enterprises["zone"] != "晋城经开区", "id"].iloc[0]
    _whatif_equal(ds, "晋城经开区", _scenario(tmp_path, ds, "晋城经开区", product=top.product, buys=(outside, "钢坯")))


@pytest.mark.parametrize("planned", [False, True])
def test_whatif_on_synth_data_without_chains_equal(tmp_path: Path, planned: bool) -> None:
    """Without a chain map coverage and dependents come from the product flow graph: after the landing too."""
    write_synth(SynthSpec(links=2000, zones=3, seed=11, chains=False), tmp_path / "d")
    ds = load_dataset(tmp_path / "d")
    zone = MemoryBackend(ds).zones(scope="zone")[0]
    g = MemoryBackend(ds).gaps(opts=Options(zone=zone, include_planned=planned))
    top = max(g.gaps, key=lambda x: x.external_demand)
    seller = str(top.suppliers[0]["id"])
    other = str(ds.links.loc[ds.links["supplier_id"] == seller, "product"].iloc[0])
    _whatif_equal(ds, zone, _scenario(tmp_path, ds, zone, product=top.product, buys=(seller, other)), planned=planned)


def _cli(args: list[str], engine: str) -> Any:
    from click.testing import CliRunner

    from chaingraph import cli

    r = CliRunner().invoke(cli.main, [*args, "--engine", engine])
    assert r.exit_code == 0, (engine, args, r.output, r.exception)
    return r


def test_every_sliced_command_same_output_and_no_whole_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each command the SQL engines answer from a zone's slice: DuckDB's output is the in-memory engine's,
    and DuckDB's ``dataset`` (every link into pandas) raises here (the autouse fixture)."""
    from chaingraph.validated_copy import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    z = ["-z", "晋城经开区"]
    scen = write_csv(tmp_path / "landing.csv", ["id", "name", "zone", "products", "capture"],
                     [("NEW-1", "功率模块新厂", "晋城经开区", "功率模块", "0.5")])  # fmt: skip
    commands = [
        ["leaders", str(DATA), *z, "-f", "json"],
        ["routes", str(DATA), *z, "-f", "json", "--reroute-via", "兰花保税物流中心", "--replacing", "深圳通诚国际货运"],
        ["gaps", str(DATA), *z, "--rank", "-f", "json"],
        ["whatif", str(DATA), *z, "--scenario", str(scen), "-f", "json"],
        ["resilience", str(DATA), *z, "-f", "json"],
        ["benchmark", str(DATA), *z, "-f", "json"],
        ["panorama", str(DATA), *z, "-f", "json"],
        ["leaders", str(DATA), *z, "-f", "table"],
        *[[c, str(DATA), *z, "-f", "json"] for c in ("closure", "savings", "gaps", "matrix", "analyze")],
        ["analyze", str(DATA), "--all-zones", "-f", "json"],
    ]
    for args in commands:
        assert _cli(args, "duckdb").stdout == _cli(args, "memory").stdout, args
    pages = {}
    for engine in ("duckdb", "memory"):
        out = tmp_path / engine
        out.mkdir()
        _cli(["panorama", str(DATA), *z, "-o", str(out / "panorama.html")], engine)
        _cli(["view", str(DATA), *z, "-o", str(out / "graph.html")], engine)
        _cli(["view", str(DATA), *z, "--focus", "JC-JG", "--hops", "1", "-o", str(out / "focus1.html")], engine)
        _cli(["view", str(DATA), *z, "--focus", "晋钢", "-o", str(out / "focus2.html")], engine)
        _cli(["report", str(DATA), *z, "-o", str(out / "report")], engine)
        pages[engine] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.*"))
                         if p.suffix != ".xlsx"}  # fmt: skip
        pages[engine]["workbook"] = _cells(out / "report" / "workbook.xlsx")
    assert pages["duckdb"].keys() == pages["memory"].keys()
    for k in pages["memory"]:
        assert pages["duckdb"][k] == pages["memory"][k], k


def _cells(path: Path) -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return repr([[list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets]).encode()


def test_the_graph_shows_the_makers_behind_an_outside_trader(tmp_path: Path) -> None:
    """A gap bought from an outside trader: the page lists what the trader buys of it (its makers), a link that
    touches no firm of the zone, so it is fetched beside the slice (view_links.sql)."""
    write_csv(tmp_path / "enterprises.csv", ["id", "name", "zone", "products", "kind"],
              [("A", "甲厂", "Z", "", "manufacturer"), ("T", "外贸商", "外地", "", "trader"),
               ("M", "芯片厂", "外地", "芯片", "manufacturer"), ("N", "另一厂", "别处", "", "manufacturer")])  # fmt: skip
    write_csv(tmp_path / "links.csv", L_HEAD,
              [("T", "A", "芯片", 100, None, None, None, "active"), ("M", "T", "芯片", 80, None, None, None, "active"),
               ("N", "M", "硅片", 5, None, None, None, "active")])  # fmt: skip
    ds = load_dataset(tmp_path)
    mem = views(MemoryBackend(ds), ["Z"], ["A", "芯片厂"])
    assert '"name": "芯片厂"' in mem["Z None"] and '"behind": [' in mem["Z None"]
    assert views(DuckDBBackend(ds), ["Z"], ["A", "芯片厂"]) == mem


@settings(max_examples=25)
@given(datasets(), st.booleans())
def test_reach_on_the_engine_is_the_in_memory_graphs(rows: dict[str, Any], planned: bool) -> None:
    """Up- and downstream of every product (cycles included), walked in SQL, equal the in-memory graph's."""
    from tests.relational_data import PRODUCTS, load

    ds = load(rows)
    if ds.enterprises.empty:
        return
    statuses = ("active", "planned") if planned else ("active",)
    mem, eng = ds.index.flow(statuses), DuckDBBackend(ds).flow(Options(zone="甲经开区", include_planned=planned))
    asked = [*PRODUCTS, "不在图中"]
    for up in (False, True):
        assert eng.reach(asked, up=up) == mem.reach(asked, up=up)
        assert eng.reach(asked, up=up, among={"钢", "桩"}) == mem.reach(asked, up=up, among={"钢", "桩"})
    assert eng.neighbours(asked) == mem.neighbours(asked)
    assert [eng.descendants(p) for p in asked] == [mem.descendants(p) for p in asked]


@st.composite
def _product_graphs(draw: Any) -> tuple[list[str], list[tuple[str, str]]]:
    """Products and links P -> Q between them: any directed graph, cycles and isolated products included."""
    products = [f"品{k:02d}" for k in range(draw(st.integers(2, 12)))]
    pair = st.tuples(st.sampled_from(products), st.sampled_from(products)).filter(lambda e: e[0] != e[1])
    return products, draw(st.lists(pair, max_size=40, unique=True))


def _flow_dataset(edges: list[tuple[str, str]], folder: Path) -> Dataset:
    """Data whose product flow graph is ``edges``: per link P -> Q one firm buying P and selling Q (from a firm
    buying nothing, to a firm selling nothing: no other link of the graph)."""
    firms = [("X", "供方", "甲区", "", "manufacturer"), ("Y", "需方", "甲区", "", "manufacturer")]
    links = []
    for k, (p, q) in enumerate(edges):
        firms.append((f"E{k}", f"企业{k}", "甲区", "", "manufacturer"))
        links += [("X", f"E{k}", p, 10, None, None, None, "active"), (f"E{k}", "Y", q, 10, None, None, None, "active")]
    write_csv(folder / "enterprises.csv", ["id", "name", "zone", "products", "kind"], firms)
    write_csv(folder / "links.csv", L_HEAD, links or [("X", "Y", "品00", 10, None, None, None, "active")])
    return load_dataset(folder)


@settings(max_examples=30)
@given(_product_graphs(), st.sampled_from([0, 70, 125, 250]))
def test_the_walk_in_one_query_is_the_graphs_reach(graph: tuple[list[str], list[tuple[str, str]]], absent: int) -> None:
    """DuckDB's one recursive query (``reach_walk.sql``) and the per-step walk Spark runs give, on any graph
    with cycles, what networkx says is reached in one step or more (a product itself only on a cycle), and
    the in-memory graph's reach; asked with 0, 70, 125 or 250 products not in the graph first, so the asked
    products' bits lie in the first, across the first two or in the second and third of the walk's 128-bit groups."""
    import networkx as nx

    products, edges = graph
    g = nx.DiGraph(edges)
    asked = [*(f"无{k}" for k in range(absent)), *products]
    among = set(products[::2])

    def reached(p: str, up: bool) -> frozenset[str]:
        if p not in g:
            return frozenset()
        nxt = g.predecessors(p) if up else g.successors(p)
        far = nx.ancestors if up else nx.descendants
        return frozenset().union(*({s} | far(g, s) for s in nxt))

    with tempfile.TemporaryDirectory() as d:
        ds = _flow_dataset(edges, Path(d))
    mem = ds.index.flow(("active",))
    for at_once in (True, False):
        eng = _stepping(DuckDBBackend(ds), at_once).flow(Options(zone="甲区"))
        for up in (False, True):
            want = {p: reached(p, up) for p in asked}
            assert eng.reach(asked, up=up) == want == mem.reach(asked, up=up)
            assert eng.reach(asked, up=up, among=among) == {p: v & among for p, v in want.items()}
        assert eng.neighbours(asked) == mem.neighbours(asked)


def test_the_walk_is_one_query(tmp_path: Path) -> None:
    """On DuckDB a walk, however many steps long, is one query (``reach_walk.sql``) once the graph is held:
    here a chain of 30 products, walked down and up from every product."""
    chain = [f"品{k:02d}" for k in range(30)]
    ds = _flow_dataset(list(itertools.pairwise(chain)), tmp_path)
    duck = DuckDBBackend(ds)
    flow = duck.flow(Options(zone="甲区"))
    assert flow.reach(chain[:1])[chain[0]] == frozenset(chain[1:])  # the graph held, walked once
    ran: list[str] = []
    query, fetch, hold = duck._query, duck._fetch, duck._hold
    duck._query = lambda name, params: (ran.append(name), query(name, params))[1]  # type: ignore[method-assign]
    duck._fetch = lambda name, params: (ran.append(name), fetch(name, params))[1]  # type: ignore[method-assign]
    duck._hold = lambda name, q, params: (ran.append(f"held {q}"), hold(name, q, params))[1]  # type: ignore[method-assign]
    down = flow.reach(chain[1:])
    assert ran == ["reach_walk"]
    up = flow.reach(chain, up=True)
    assert ran == ["reach_walk", "held reach_graph_coded", "reach_walk"]  # the graph turned round, then one walk
    assert down == {p: frozenset(chain[k + 2 :]) for k, p in enumerate(chain[1:])}
    assert up == {p: frozenset(chain[:k]) for k, p in enumerate(chain)}


#: The queries whose rows are the product flow graph's links (or a walk's whole state): never brought back.
_FLOW_WHOLE = {"flow_edges", "rest_edges", "reach_flow", "reach_landed", "reach_graph", "reach_hop", "reach_grow",
               "reach_start", "reach_codes", "reach_coded", "reach_graph_coded"}  # fmt: skip


def _counted(backend: DuckDBBackend) -> dict[str, int]:
    """The rows each query of ``backend`` brings back, by SQL file (as benchmarks/zone_rows.py counts them)."""
    rows: dict[str, int] = {}
    query, fetch = backend._query, backend._fetch

    def counting(name: str, params: Any) -> pd.DataFrame:
        out = query(name, params)
        rows[name] = rows.get(name, 0) + len(out)
        return out

    def counting_columns(name: str, params: Any) -> Mapping[str, np.ndarray]:
        out = fetch(name, params)
        rows[name] = rows.get(name, 0) + len(next(iter(out.values()), ()))
        return out

    backend._query = counting  # type: ignore[method-assign]
    backend._fetch = counting_columns  # type: ignore[method-assign]
    return rows


def _stepping(backend: DuckDBBackend, at_once: bool) -> DuckDBBackend:
    """``backend`` walking the flow graph in one recursive query (its own way) or, not ``at_once``, one query
    per step as Spark does (the same SQL files Spark runs)."""
    backend.walks_at_once = at_once
    return backend


@pytest.mark.parametrize("at_once", [True, False])
@pytest.mark.parametrize("chains", [True, False])
def test_the_flow_pairs_stay_on_the_engine(tmp_path: Path, chains: bool, at_once: bool) -> None:
    """Every command that reads the product flow graph on DuckDB gives the in-memory output and brings back
    only its answers for the zone, never the graph's links: per gap product its dependents among the zone's
    made products (``reach_walk``, or ``reach_pairs`` walked one query per step) and its inputs and outputs
    (``reach_next``, or ``reach_seed``), as many rows as the output shows them."""
    pairs, seed = ("reach_walk", "reach_next") if at_once else ("reach_pairs", "reach_seed")
    write_synth(SynthSpec(links=3000, zones=3, seed=5, chains=chains), tmp_path / "d")
    ds = load_dataset(tmp_path / "d")
    mem, duck = MemoryBackend(ds), _stepping(DuckDBBackend(ds), at_once)
    rows = _counted(duck)
    zone = mem.zones(scope="zone")[0]
    o = Options(zone=zone)
    top = max(mem.gaps(opts=o).gaps, key=lambda x: x.external_demand)
    runs = {name: params for name, params in SLICED.items() if name in ("rank", "panorama", "benchmark")}
    runs |= {"closure": registry.NoParams(), "gaps": registry.NoParams(), "matrix": registry.MatrixParams(),
             "whatif": _scenario(tmp_path, ds, zone, product=top.product, buys=None)}  # fmt: skip
    for name, params in runs.items():
        spec = registry.ALL[name]
        a = to_json(spec.render_json(spec.run(mem, o, params), mem))
        assert to_json(spec.render_json(spec.run(duck, o, params), duck)) == a, name
    assert not _FLOW_WHOLE & set(rows), rows
    assert rows[pairs] and rows[seed]
    assert not {"reach_pairs", "reach_seed", "reach_walk", "reach_next"} - {pairs, seed} & set(rows)

    fresh = _stepping(DuckDBBackend(ds), at_once)
    rows = _counted(fresh)
    m = registry.MATRIX.run(fresh, o, registry.MatrixParams())
    assert rows[seed] == sum(len(r.inputs) + len(r.outputs) for r in m.rows)  # each neighbour once
    chain_map = ds.index.chain_flow()
    g = [r for r in fresh.gaps(opts=o).gaps if r.product not in chain_map]  # the others' come from the chain map
    # each dependent once (and a gap product it reaches itself on a cycle, dropped from the list)
    assert sum(len(r.dependents) for r in g) <= rows[pairs] <= sum(len(r.dependents) + 1 for r in g)
    assert rows[pairs] + rows[seed] < len(ds.links)
