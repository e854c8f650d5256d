"""One zone's slice of the data, for the analyses a SQL engine computes in memory: never all links.

Closure, savings, gaps, the gap matrix and the all-zones summary run as SQL
(:mod:`chaingraph.relational.engine`).  The other analyses (leaders, routes,
resilience, the ranked list, the panorama, what-if, the report and graph)
are the in-memory code of :mod:`chaingraph.analysis` over a
:class:`~chaingraph.analysis.context.ZoneContext`; on DuckDB and Spark that
context is built here from what the zone's figures actually read:

* the links with a firm of Z at either end, of every status (``slice_links.sql``),
  with all their columns, in file order;
* the enterprises those links name (ends and the intermediaries of ``via``),
  the firms of Z, and any firm named on the command line (``slice_firms.sql``);
* the chain map (small, whole);
* what is zone-independent, computed by the engine over all links: the
  product flow graph, kept on the engine (:mod:`chaingraph.relational.reach`:
  only the answers the zone's figures need come back), and which zones make
  which products (``presence.sql``, for the gap matrix's quadrants in the
  ranked list);
* only when the ranked list or the panorama asks for its invitation targets
  (:attr:`SliceContext.tracer`): the links the tracer follows behind the
  zone's outside suppliers — considered links of the products Z buys from
  outside, bought by a trader or logistics firm or routed through
  intermediaries (``trace_links.sql``) — and the firms they name.

A figure computed over the slice equals the one computed over the whole data
(tests/test_relational.py and tests/test_spark.py compare the JSON byte for
byte): every analysis of Z reads only links touching Z, except the flow graph,
the presence matrix and the tracer, which are given as above.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from chaingraph.analysis.context import ZoneContext, zone_members
from chaingraph.listcells import SEPARATOR
from chaingraph.model import Dataset

if TYPE_CHECKING:
    from chaingraph.analysis.invite import Tracer
    from chaingraph.productflow import Reach
    from chaingraph.relational.engine import SqlBackend
    from chaingraph.results.benchmark import Benchmark
    from chaingraph.results.gaps import Gaps
    from chaingraph.results.options import Options

__all__ = [
    "FIRM_TYPES",
    "LINK_TYPES",
    "SliceContext",
    "landed_flow",
    "like_model",
    "slice_context",
    "sql_benchmark",
    "view_dataset",
]

#: The links' columns of :mod:`chaingraph.model` with their dtypes and what a source without the column holds.
LINK_TYPES: dict[str, tuple[str, Any]] = {
    "supplier_id": ("str", ""), "buyer_id": ("str", ""), "product": ("str", ""),
    "annual_value": ("float64", np.nan), "annual_volume": ("float64", np.nan), "unit_price": ("float64", np.nan),
    "logistics_cost": ("float64", np.nan), "status": ("str", ""), "via": ("str", ""), "note": ("str", ""),
    "line": ("int64", 0), "value": ("float64", np.nan), "landed": ("float64", np.nan), "vol": ("float64", np.nan),
}  # fmt: skip
#: The enterprises' columns, as :data:`LINK_TYPES`.
FIRM_TYPES: dict[str, tuple[str, Any]] = {
    "id": ("str", ""), "name": ("str", ""), "zone": ("str", ""), "park": ("str", ""), "city": ("str", ""),
    "province": ("str", ""), "industry": ("str", ""), "products": ("str", ""), "kind": ("str", ""),
    "output_value": ("float64", np.nan), "employees": ("float64", np.nan), "chain_leader": ("bool", False),
    "lat": ("float64", np.nan), "lon": ("float64", np.nan), "line": ("int64", 0),
}  # fmt: skip
_CHAIN_TYPES: dict[str, tuple[str, Any]] = {
    "chain": ("str", ""), "product": ("str", ""), "input": ("str", ""), "segment": ("str", ""), "line": ("int64", 0),
}  # fmt: skip


def like_model(frame: pd.DataFrame, types: dict[str, tuple[str, Any]]) -> pd.DataFrame:
    """``frame`` (rows an engine returned) with the model's columns, in its order and dtypes; ``rn`` dropped.

    A column the source lacks (Spark's CSV ingest keeps only what the SQL reads) gets its empty value.

    >>> f = like_model(pd.DataFrame({"id": ["A"], "rn": [0], "chain_leader": [None]}), FIRM_TYPES)
    >>> list(f.columns)[:3], f.loc[0, "chain_leader"], f.loc[0, "kind"]
    (['id', 'name', 'zone'], np.False_, '')
    """
    n = len(frame)
    out: dict[str, Any] = {}
    for col, (dtype, empty) in types.items():
        if col not in frame.columns:
            out[col] = pd.Series([empty] * n, dtype=dtype)
            continue
        s = frame[col].reset_index(drop=True)
        if dtype == "str":
            s = s.astype(object).where(s.notna(), empty).astype("str")
        elif dtype == "bool":
            s = s.astype(object).where(s.notna(), empty).astype(bool)
        elif dtype == "int64":
            s = pd.to_numeric(s).fillna(empty).astype("int64")
        else:
            s = pd.to_numeric(s).astype("float64")
        out[col] = s
    extra = [c for c in frame.columns if c not in types and c != "rn"]
    for col in extra:
        out[col] = frame[col].reset_index(drop=True)
    return pd.DataFrame(out, index=pd.RangeIndex(n))


@dataclass(frozen=True)
class SliceContext(ZoneContext):
    """A :class:`ZoneContext` over one zone's slice (see the module's text): its tracer's links fetched when asked for."""

    trace: Callable[[], Dataset] | None = field(default=None, compare=False, repr=False)
    #: The product flow graph of the whole data once the slice (first) is replaced by the landed one (second).
    reflow: Callable[[Dataset, Dataset], Reach] | None = field(default=None, compare=False, repr=False)

    @cached_property
    def traced(self) -> Dataset:
        """The links the tracer follows and the firms they name (with the slice's firms), read when first asked for."""
        return self.trace() if self.trace is not None else self.dataset

    @cached_property
    def tracer(self) -> Tracer:
        from chaingraph.analysis.invite import Tracer

        return Tracer(self.traced, self.opts)

    def landed(self, ds: Dataset) -> ZoneContext:
        if self.reflow is None:
            return super().landed(ds)
        given = Dataset(ds.enterprises, ds.links, ds.chains, source=ds.source, files=ds.files, rejected=ds.rejected,
                        flows={self.opts.statuses: self.reflow(self.dataset, ds)})  # fmt: skip
        return ZoneContext.of(given, self.opts)

    @property
    def wide(self) -> Dataset:
        """The slice with every firm the tracer names too: what a report looks firms up in (their cities)."""
        ds, firms = self.dataset, self.traced.enterprises
        more = firms[~firms["id"].isin(ds.enterprises["id"]).to_numpy()]
        ents = pd.concat([ds.enterprises, more], ignore_index=True) if len(more) else ds.enterprises
        return Dataset(ents, ds.links, ds.chains, source=ds.source, files=ds.files, rejected=ds.rejected,
                       flows=_Lazy(self.opts.statuses, lambda: self.flow))  # fmt: skip


class _Lazy(Mapping[tuple[str, ...], "Reach"]):
    """One key's value, computed when first looked up (the product flow graph: leaders and routes never ask)."""

    def __init__(self, key: tuple[str, ...], make: Callable[[], Reach]) -> None:
        self._key, self._make = key, make
        self._value: Reach | None = None

    def __getitem__(self, key: tuple[str, ...]) -> Reach:
        if key != self._key:
            raise KeyError(key)
        if self._value is None:
            self._value = self._make()
        return self._value

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter([self._key])

    def __len__(self) -> int:
        return 1


def _ids_named(links: pd.DataFrame) -> set[str]:
    """Every enterprise id a frame of links names: its ends and the intermediaries of ``via``."""
    ids = set(links["supplier_id"].tolist()) | set(links["buyer_id"].tolist())
    for v in pd.unique(links["via"].to_numpy()):
        ids.update(x for x in str(v).split(SEPARATOR) if x)
    return ids


def _firms(backend: SqlBackend, opts: Options, keys: Iterable[str]) -> pd.DataFrame:
    backend._register("slice_keys", pd.DataFrame({"fid": sorted({str(k) for k in keys})}, dtype="str"))
    rows = backend._query("slice_firms", {"zone": opts.zone, "scope": opts.scope})
    return like_model(rows, FIRM_TYPES)


def slice_context(backend: SqlBackend, opts: Options, *, keys: Iterable[str] = ()) -> SliceContext:
    """Zone ``opts.zone``'s context from its slice on ``backend`` (``keys``: further firm ids or names to include).

    Raises :class:`~chaingraph.errors.UnknownZoneError` as the in-memory engine does.
    """
    from chaingraph.analysis.matrix import keep_presence

    backend._check_zone(opts)
    links = like_model(backend._query("slice_links", {"zone": opts.zone, "scope": opts.scope}), LINK_TYPES)
    ents = _firms(backend, opts, _ids_named(links) | set(keys))
    chains = backend.chains()
    chain_frame = like_model(chains, _CHAIN_TYPES) if chains is not None else None
    source, files, rejected = backend.provenance()
    flows = _Lazy(opts.statuses, lambda: backend.flow(opts))  # asked for only by what reads the flow graph
    ds = Dataset(ents, links, chain_frame, source=source, files=files, rejected=rejected, flows=flows)
    keep_presence(ds, scope=opts.scope, statuses=opts.statuses, m=lambda: backend._presence(opts))

    def trace() -> Dataset:
        codes = ds.index.zone_codes(opts.scope)
        here = codes.code(opts.zone)
        rows = np.flatnonzero(ds.index.status_mask(opts.statuses) & (codes.buyer == here) & (codes.supplier != here))
        traced = sorted(set(links["product"].iloc[rows].tolist()))
        backend._register("traced", pd.DataFrame({"product": traced}, dtype="str"))
        followed = like_model(backend._query("trace_links", {"planned": opts.include_planned}), LINK_TYPES)
        firms = _firms(backend, opts, _ids_named(followed) | _ids_named(links) | set(keys))
        return Dataset(firms, followed, chain_frame, source=source, files=files, rejected=rejected)

    return SliceContext(
        ds, opts, zone_members(ds, opts), trace, lambda before, after: landed_flow(backend, opts, before, after)
    )


def landed_flow(backend: SqlBackend, opts: Options, before: Dataset, after: Dataset) -> Reach:
    """The product flow graph of the whole data with zone Z's slice ``before`` replaced by ``after`` (a what-if),
    held on the engine (``reach_landed.sql``): only the answers come back (:mod:`chaingraph.relational.reach`).

    The graph's links are (what a firm buys, what it sells) pairs.  A firm at no end of a link the
    landing adds or ends (turns former) keeps its pairs (computed and kept by the engine); a firm at
    the end of one gets its pairs from what it buys and sells outside the slice (per firm and
    product, from the engine) and in ``after``: those pairs are handed to the engine.
    """
    from chaingraph.relational.reach import EngineFlow

    act = after.links[after.index.status_mask(opts.statuses)]
    # the links the landing adds or ends (a link's value changing leaves the graph as it is): the slice's
    # rows come first in ``after``, in the same order, then the scenario's and the captures'
    was = before.index.status_mask(opts.statuses)
    now = after.index.status_mask(opts.statuses)
    n = len(before.links)
    flipped = np.flatnonzero(np.concatenate([was != now[:n], now[n:]]))
    moved = after.links.iloc[flipped]
    changed = set(moved["supplier_id"].tolist()) | set(moved["buyer_id"].tolist())
    backend._register("slice_keys", pd.DataFrame({"fid": sorted(changed)}, dtype="str"))
    params = {"zone": opts.zone, "scope": opts.scope, "planned": opts.include_planned}
    sides = backend._query("rest_sides", params)

    def ends(side: str, column: str, name: str) -> pd.DataFrame:
        """(firm, product) each firm of a changed link buys (``b``) or sells (``s``): outside the slice, and after."""
        rest_side = sides[sides["side"].astype(str) == side]
        mine_act = act[act[column].isin(changed).to_numpy()]
        return pd.concat([
            pd.DataFrame({"firm": rest_side["firm"].astype(str), name: rest_side["product"].astype(str)}),
            pd.DataFrame({"firm": mine_act[column].astype(str), name: mine_act["product"].astype(str)}),
        ]).drop_duplicates()  # fmt: skip

    mine = ends("b", "buyer_id", "p").merge(ends("s", "supplier_id", "q"), on="firm")
    mine = mine.loc[mine["p"] != mine["q"], ["p", "q"]].drop_duplicates().reset_index(drop=True)
    backend._reach_flow(opts.include_planned)  # reach_landed exists before it is replaced
    backend._register("reach_mine", mine.astype("str"))
    backend._hold("reach_landed", "reach_landed", {"planned": opts.include_planned})
    token = object()
    backend._reach_landed_by, backend._reach_g = token, None

    def products() -> frozenset[str]:
        rows = backend._query("rest_products", params)["product"].tolist()
        chains = backend.chains()
        stages = [] if chains is None else [*chains["product"].tolist(), *chains["input"].tolist()]
        return frozenset(str(p) for p in [*rows, *act["product"].tolist(), *stages] if str(p) != "")

    return EngineFlow(backend, planned=opts.include_planned, landed=token, products=products)


def sql_benchmark(backend: SqlBackend, opts: Options, *, peers: Iterable[str] | None = None) -> Benchmark:
    """Peer zones (:func:`chaingraph.analysis.benchmark.benchmark`) from per-zone parts, never a slice of each peer.

    Every zone's headline figures come from the all-zones summary (per-zone sums), each compared
    zone's stage coverage and makers of Z's gaps from its own small queries, the makers' names and
    kinds from one lookup of their ids.
    """
    from dataclasses import replace

    from chaingraph.results.benchmark import build_benchmark, choose_peers, comparable

    backend._check_zone(opts)
    known = backend.zones(scope=opts.scope)
    summary = backend.zones_summary(opts=opts)
    rows = {str(r["zone"]): {str(k): v for k, v in r.items()} for r in summary.to_dict("records")}
    ok = [k for k, r in rows.items() if comparable(r)]
    asked = list(peers) if peers is not None else None
    chosen = choose_peers(opts.zone, asked, known=known, comparable_zones=ok)
    g = backend.gaps(opts=opts)
    wanted = {x.product for x in g.gaps}
    coverage = {opts.zone: backend._coverage(opts)}
    makers: list[tuple[str, str, str, float]] = []
    for p in chosen:
        o = replace(opts, zone=p)
        coverage[p] = backend._coverage(o)
        m = backend.makers(o)
        m = m[m["product"].isin(wanted)]
        makers.extend((p, str(q), str(i), float(v)) for q, i, v in
                      zip(m["product"].tolist(), m["maker"].tolist(), m["sold"].tolist(), strict=True))  # fmt: skip
    backend._register("slice_keys", pd.DataFrame({"fid": sorted({i for _, _, i, _ in makers})}, dtype="str"))
    sub = like_model(backend._query("firms_named", {}), {"id": ("str", ""), "name": ("str", ""), "kind": ("str", "")})
    info = {str(i): (str(n), str(k)) for i, n, k in
            zip(sub["id"].tolist(), sub["name"].tolist(), sub["kind"].tolist(), strict=True)}  # fmt: skip
    return build_benchmark(opts.zone, opts.scope, chosen, rows, coverage, g.gaps, makers, info, named=peers is not None)


def view_dataset(backend: SqlBackend, opts: Options, gaps: Gaps, *, focus: str | None = None, hops: int = 2) -> Dataset:
    """What the graph page (:func:`chaingraph.render.view.build_view`) reads, from the engine, never every link.

    The links drawn: the zone's slice, or with ``focus`` the links among the firms within ``hops`` of
    it (walked in SQL, one ``neighbours.sql`` query per hop over the active and planned links; the
    induced links give the page the same walk, since every firm on a shortest path is reached too).
    Beside them, for a trader or logistics firm among the gaps' outside suppliers, its active and
    planned purchases of the gap products (the makers behind it, as the page lists them), and the
    firms all these links name, the gaps' suppliers and zone Z's firms (``view_links.sql``).
    """
    backend._check_zone(opts)
    sellers = {str(x["id"]) for g in gaps.gaps for x in g.suppliers}
    seen: set[str] = set()
    if focus is not None:
        named = _firms(backend, opts, [focus])
        ids = set(named.loc[(named["id"] == focus) | (named["name"] == focus), "id"].tolist())
        start = {focus} if focus in ids else ids if len(ids) == 1 else set()
        seen, frontier = set(start), set(start)
        for _ in range(hops):
            if not frontier:
                break
            backend._register("slice_keys", pd.DataFrame({"fid": sorted(frontier)}, dtype="str"))
            found = {str(x) for x in backend._query("neighbours", {})["fid"].tolist()}
            frontier = found - seen
            seen |= frontier
    kinds = _firms(backend, opts, sellers)
    middle = set(kinds.loc[kinds["kind"].isin(["trader", "logistics"]).to_numpy(), "id"].tolist()) & sellers
    products = {g.product for g in gaps.gaps if any(str(x["id"]) in middle for x in g.suppliers)}
    backend._register("slice_keys", pd.DataFrame({"fid": sorted(seen)}, dtype="str"))
    backend._register("behind_firms", pd.DataFrame({"fid": sorted(middle)}, dtype="str"))
    backend._register("traced", pd.DataFrame({"product": sorted(products)}, dtype="str"))
    params = {"zone": opts.zone, "scope": opts.scope, "focus": focus or ""}
    links = like_model(backend._query("view_links", params), LINK_TYPES)
    ents = _firms(backend, opts, _ids_named(links) | seen | sellers | ({focus} if focus else set()))
    chains = backend.chains()
    source, files, rejected = backend.provenance()
    return Dataset(ents, links, like_model(chains, _CHAIN_TYPES) if chains is not None else None, source=source,
                   files=files, rejected=rejected)  # fmt: skip
