"""The analyses assembled from the shared SQL: what the DuckDB and the Spark engine have in common.

:class:`SqlBackend` runs the ``.sql`` files of :mod:`chaingraph.relational`
and builds the typed results of :mod:`chaingraph.results` from their rows,
through the same row builders and rounding as the in-memory engine, so every
figure is the same float (the sums are exact, see the package's text).  A
subclass says how to run a query (:meth:`SqlBackend._query`), how to keep
the relation ``zl`` of one scope (:meth:`SqlBackend._zone_links`) and how to
hand the engine one small table (:meth:`SqlBackend._register`).

A sum the chunked integers cannot hold exactly (a term below 2^-96 or
above 2^96 元, see :mod:`chaingraph.relational`) is never rounded silently:
that analysis is computed in memory instead: over the zone's slice
(:mod:`chaingraph.relational.zone_slice`), the all-zones summary over :attr:`SqlBackend.dataset`.
Leaders, routes and the other analyses without SQL run in memory over the zone's slice too.

What comes back to Python is small: one zone's grouped sums and rows (its
purchases per buyer and product, its outside links with a local maker, its
gap products' buyers and suppliers), the zone's local subgraph (for its
local chains), the chain map, and of the product flow graph only the answers
the zone's figures need (its gaps' dependents among its made products, their
inputs and outputs; the graph itself stays on the engine,
:mod:`chaingraph.relational.reach`).  The all-zones summary brings back
per-zone and per-(zone, product) sums only.  No query returns all links.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from chaingraph.analysis.gaps import dependents, gap_kinds
from chaingraph.analysis.savings import potential_annual
from chaingraph.analysis.zones import gap_counts, summary_frame
from chaingraph.errors import BackendError, UnknownZoneError, closest_names, param
from chaingraph.productflow import chain_map_flow
from chaingraph.relational import CHUNKS, InexactSum, exact_sums_by, exact_values, float_values
from chaingraph.relational.reach import EngineFlow
from chaingraph.results.closure import ChainCoverage, Closure, LsrTable, coverage_row, local_chains
from chaingraph.results.gaps import Gaps, gap_row, sort_gaps
from chaingraph.results.matrix import DEFAULT_MULTIPLIER
from chaingraph.results.money import money, money_sum, money_sum_by, ratio
from chaingraph.results.options import Options
from chaingraph.results.rank import raw_products
from chaingraph.results.savings import (
    Savings,
    annual_exact,
    bulk,
    candidate_lists,
    potential_rows,
    realized_row,
    sort_realized,
)
from chaingraph.results.whatif import GAP_FILL_CAPTURE

if TYPE_CHECKING:
    from pathlib import Path

    from chaingraph.analysis.context import ZoneContext
    from chaingraph.analysis.matrix import Presence
    from chaingraph.errors import Problem
    from chaingraph.model import Dataset, FileSummary
    from chaingraph.results.benchmark import Benchmark
    from chaingraph.results.leaders import Leaders
    from chaingraph.results.matrix import GapMatrix
    from chaingraph.results.routes import Routes

__all__ = ["SqlBackend"]

T = TypeVar("T")
#: The queries over every zone's links (never one zone's slice of ``zl``).
_WHOLE = frozenset({"presence", "zs_gaps", "zs_makers", "zs_potential", "zs_realized", "zs_reference",
                    "zs_stage_makers"})  # fmt: skip


@dataclass(frozen=True)
class _Makers:
    """Every maker of each product in a zone with the value it sold of it, in :meth:`SqlBackend.makers`' order."""

    product: list[str]
    maker: list[str]
    sold: np.ndarray

    @cached_property
    def by_product(self) -> dict[str, list[str]]:
        """Each product's makers in this order (one zone's gaps and potential savings both read it)."""
        out: dict[str, list[str]] = {}
        for p, m in zip(self.product, self.maker, strict=True):
            out.setdefault(p, []).append(m)
        return out


class _Shared:
    """What an engine and its forks (:meth:`chaingraph.duckdb_engine.DuckDBBackend.forks`) share: for each kind
    (a zone's makers, its purchases, the zone names of a scope), the value for the last key asked about.

    A value is computed once, by the first thread that asks for it (on that thread's own connection); a thread
    asking for the same kind meanwhile waits for it instead of running the same query again.

    >>> shared = _Shared()
    >>> shared.get("makers", "A", lambda: [1, 2])
    [1, 2]
    >>> shared.get("makers", "A", lambda: [3])  # kept: not computed again
    [1, 2]
    >>> shared.get("makers", "B", lambda: [3])  # another key replaces it
    [3]
    """

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()  # guards _locks
        self._held: dict[str, tuple[object, Any]] = {}

    def get(self, kind: str, key: object, compute: Callable[[], T]) -> T:
        with self._lock:
            lock = self._locks.setdefault(kind, threading.Lock())
        with lock:
            held = self._held.get(kind)
            if held is not None and held[0] == key:
                value: T = held[1]
                return value
            value = compute()
            self._held[kind] = (key, value)
            return value


def _weighted(frame: pd.DataFrame | Mapping[str, np.ndarray], w: str, v: str, m: str, n: str) -> np.ndarray:
    """Value-weighted landed cost from exact sums: Σ value × landed / Σ value, or Σ landed / count where Σ value is 0.

    As :func:`chaingraph.analysis.context.weighted_landed` computes it from the same exact sums.
    NaN where the row has no terms (``n`` missing).  ``frame``: a frame, or fetched columns.
    """
    sw, sv, sm = exact_values(frame, w), exact_values(frame, v), exact_values(frame, m)
    count = float_values(frame[n])
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(sv > 0, sw / np.where(sv > 0, sv, 1.0), sm / count)
    return np.where(np.isnan(count), np.nan, out)


def _ids(values: Any) -> list[str]:
    return [] if values is None else [str(v) for v in list(values)]


class SqlBackend:
    """The :class:`~chaingraph.engine.Backend` interface over the shared SQL (see the module's text)."""

    kind = "sql"
    #: The dialect :func:`chaingraph.relational.sql` writes for this engine.
    dialect = "duckdb"
    #: Whether the engine keeps, for one zone's queries, only that zone's links as ``zl`` (:meth:`_zone_slice`).
    zone_slices = False
    #: Whether the engine walks the product flow graph in one recursive query over integer product codes
    #: (``reach_walk.sql``: DuckDB) rather than one query per step (Spark SQL has no recursive query), see
    #: :mod:`chaingraph.relational.reach`.
    walks_at_once = False
    #: Whether the engine runs in this process (DuckDB), so that reading the data whole is reading it where it
    #: already is; a cluster engine (Spark) never brings every link to the driver (docs/cluster.md).
    embedded = False

    def __init__(self, *, has_chains: bool) -> None:
        self.has_chains = has_chains
        self._scope: tuple[str, str | None] | None = None
        self._makers: dict[Options, pd.DataFrame] = {}
        #: a zone's makers and purchases and a scope's zone names, shared with this engine's forks (all three
        #: analyses read them)
        self._shared = _Shared()
        self._flows: dict[bool, EngineFlow] = {}
        self._reach_held: bool | None = None  # the `planned` of the graph held as reach_flow
        self._reach_landed_by: object | None = None  # the what-if graph held as reach_landed
        self._reach_g: tuple[bool, object | None, bool] | None = None  # (planned, landed, up) held as reach_g
        self._chains: pd.DataFrame | None = None
        self._chain_cols: dict[str, list[str | None]] | None = None
        self._names: dict[str, str] | None = None
        self._presences: dict[tuple[str, bool], Presence] = {}
        self._slice: tuple[tuple[Options, tuple[str, ...]], ZoneContext] | None = None

    # -- what a subclass provides ------------------------------------------------------------------
    def _query(self, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
        """The rows of ``<name>.sql`` with ``params`` bound, as a frame."""
        raise NotImplementedError

    def _fetch(self, name: str, params: Mapping[str, Any]) -> Mapping[str, np.ndarray]:
        """The rows of ``<name>.sql`` column by column (text as objects; a number column with NULLs as floats, NaN
        for NULL): what a query whose rows are many and read only as arrays brings back (no frame made)."""
        frame = self._query(name, params)
        return {c: frame[c].to_numpy() for c in frame.columns}

    def _zone_links(self, scope: str) -> None:
        """Keep ``zone_links.sql`` for ``scope`` as the relation ``zl``."""
        raise NotImplementedError

    def _zone_slice(self, scope: str, zone: str) -> None:
        """Keep as ``zl`` the rows of ``zone_links.sql`` for ``scope`` whose supplier or buyer is in ``zone``
        (every query of one zone reads only those; an engine with :attr:`zone_slices`)."""
        raise NotImplementedError

    def _register(self, name: str, frame: pd.DataFrame | Mapping[str, np.ndarray]) -> None:
        """Make the small ``frame`` (or columns: name → NumPy array, text as objects) the relation ``name``."""
        raise NotImplementedError

    def _hold(self, name: str, query: str, params: Mapping[str, Any]) -> int:
        """Keep the rows of ``<query>.sql`` on the engine as the relation ``name`` (replacing it); their count
        is all that comes back (the product flow graph's walks, :mod:`chaingraph.relational.reach`)."""
        raise NotImplementedError

    def _hold_flow(self, planned: bool) -> None:
        """Hold ``reach_flow.sql`` as ``reach_flow`` (an engine over a validated copy keeps it beside the copy)."""
        self._hold("reach_flow", "reach_flow", {"planned": planned})

    def _hold_graph(self, *, up: bool, landed: bool) -> None:
        """Hold ``reach_g(a, b)``, the graph a walk walks (``reach_graph.sql``): over ``reach_flow`` or, ``landed``,
        ``reach_landed``; an engine that :attr:`walks_at_once` holds it over integer codes (``reach_n``)."""
        self._hold("reach_g", "reach_graph", {"up": up, "landed": landed})

    def _reach_flow(self, planned: bool) -> None:
        """``reach_flow`` held for ``planned`` (and, the first time, an empty ``reach_landed``)."""
        if self._reach_held is None:
            self._hold("reach_landed", "reach_empty", {})
        if self._reach_held != planned:
            self._hold_flow(planned)
            self._reach_held, self._reach_g = planned, None

    def _kept(self, name: str, compute: Callable[[], T], save: Callable[[T, Path], None],
              load: Callable[[Path], T]) -> T:  # fmt: skip
        """A zone-independent result named ``name``: computed here; an engine over a validated copy keeps it
        beside the copy (:mod:`chaingraph.derived`), written by ``save`` and read back by ``load``."""
        return compute()

    @property
    def dataset(self) -> Dataset:
        raise NotImplementedError

    def close(self) -> None:
        return None

    # -- shared ------------------------------------------------------------------------------------
    def _run(self, name: str, opts: Options, **extra: Any) -> pd.DataFrame:
        return self._prepared(name, opts, extra, self._query)

    def _hold_run(self, name: str, query: str, opts: Options) -> int:
        """:meth:`_hold` of ``<query>.sql`` as the relation ``name``, over the links :meth:`_run` would read."""
        return self._prepared(query, opts, {}, lambda q, params: self._hold(name, q, params))

    def _columns(self, name: str, opts: Options, **extra: Any) -> Mapping[str, np.ndarray]:
        """:meth:`_run`'s rows column by column (:meth:`_fetch`)."""
        return self._prepared(name, opts, extra, self._fetch)

    def _prepared(self, name: str, opts: Options, extra: Mapping[str, Any],
                  run: Callable[[str, Mapping[str, Any]], T]) -> T:  # fmt: skip
        key = (opts.scope, None if name in _WHOLE or not self.zone_slices else opts.zone)
        if self._scope != key:
            if key[1] is None:
                self._zone_links(opts.scope)
            else:
                self._zone_slice(opts.scope, opts.zone)
            self._scope = key
        params = {"zone": opts.zone, "scope": opts.scope, "planned": opts.include_planned, **extra}
        used = {k: v for k, v in params.items() if f":{k}" in _source(name)}
        return run(name, used)

    def zones(self, *, scope: str) -> list[str]:
        def compute() -> list[str]:
            rows = self._fetch("zones", {"scope": scope})
            return sorted({str(z) for z in rows["zone"].tolist() if z is not None and str(z)})

        return self._shared.get(f"zones of {scope}", scope, compute)

    def _check_zone(self, opts: Options) -> None:
        names = self.zones(scope=opts.scope)
        if opts.zone not in names:
            raise UnknownZoneError(opts.zone, scope=opts.scope, candidates=closest_names(opts.zone, names))

    def names(self) -> Mapping[str, str]:
        if self._names is None:
            rows = self._query("names", {})
            self._names = dict(zip(rows["id"].astype(str).tolist(), rows["name"].fillna("").astype(str).tolist(),
                                   strict=True))  # fmt: skip
        return self._names

    def chains(self) -> pd.DataFrame | None:
        """The chain map (small: brought into memory whole), or ``None`` without chains.csv."""
        columns = self._chain_columns()
        if columns is None:
            return None
        if self._chains is None:
            self._chains = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in columns.items()})
        return self._chains

    def _chain_columns(self) -> dict[str, list[str | None]] | None:
        """:meth:`chains` column by column, each a list (no frame made: what one zone's gaps read); no input: ``""``."""
        if not self.has_chains:
            return None
        if self._chain_cols is None:
            rows = self._fetch("chains", {})  # NULL: None, or NaN in a column Spark fetched through a frame
            self._chain_cols = {c: [None if v is None or v != v else str(v) for v in rows[c].tolist()]
                                for c in ("chain", "product", "input", "segment")}  # fmt: skip
            self._chain_cols["input"] = [v or "" for v in self._chain_cols["input"]]
        return self._chain_cols

    def _stage_pairs(self) -> list[tuple[str, str]]:
        """:meth:`chain_stages`' (chain, product) pairs, each once, in that order."""
        columns = self._chain_columns()
        if columns is None:
            return []
        pairs = [(str(c), str(p)) for c, p in zip(columns["chain"], columns["product"], strict=True)]
        pairs += [(str(c), str(i)) for c, i in zip(columns["chain"], columns["input"], strict=True) if i != ""]
        return list(dict.fromkeys(pairs))

    def chain_stages(self) -> pd.DataFrame:
        """(chain, product) of every stage and input, each once, as :attr:`DatasetIndex.chain_stages`."""
        pairs = self._stage_pairs()
        return pd.DataFrame({"chain": pd.Series([c for c, _ in pairs], dtype=object),
                             "product": pd.Series([p for _, p in pairs], dtype=object)})  # fmt: skip

    def flow(self, opts: Options) -> EngineFlow:
        """The product flow graph of the considered links (and the chain map), kept on the engine: only the
        answers to what is up- and downstream come back (:mod:`chaingraph.relational.reach`)."""
        key = opts.include_planned
        if key not in self._flows:
            self._flows[key] = EngineFlow(self, planned=key)
        return self._flows[key]

    def makers(self, opts: Options) -> pd.DataFrame:
        """(product, maker, sold) of Z, ordered as :attr:`ZoneContext.makers`: product, value sold (largest first), id."""
        if opts not in self._makers:
            m = self._makers_of(opts)
            self._makers = {opts: pd.DataFrame({"product": pd.Series(m.product, dtype=object),  # the last zone's
                                                "maker": pd.Series(m.maker, dtype=object), "sold": m.sold})}  # fmt: skip
        return self._makers[opts]

    def _makers_of(self, opts: Options) -> _Makers:
        """:meth:`makers` as lists (no frame made: what one zone's gaps read); the last zone asked about is kept."""

        def compute() -> _Makers:
            rows = self._columns("makers", opts)
            product = [str(p) for p in rows["product"].tolist()]
            maker = [str(m) for m in rows["maker"].tolist()]
            sold = exact_values(rows, "sold")
            order = np.lexsort((np.array(maker, dtype=str), -sold, np.array(product, dtype=str))).tolist()
            return _Makers([product[i] for i in order], [maker[i] for i in order], sold[order])

        return self._shared.get("makers", opts, compute)

    def _bought(self, opts: Options) -> Mapping[str, np.ndarray]:
        """``gaps_products.sql`` for ``opts`` (the gaps and their matrix both read it; the last zone's is kept)."""
        return self._shared.get("purchases", opts, lambda: self._columns("gaps_products", opts))

    # -- the analyses: in SQL, or (a term the exact sums cannot hold) in memory ----------------------
    def closure(self, *, opts: Options) -> Closure:
        try:
            return self._closure(opts=opts)
        except InexactSum:
            from chaingraph.analysis.closure import closure

            return closure(self._memory_zone(opts))

    def savings(self, *, opts: Options) -> Savings:
        try:
            return self._savings(opts=opts)
        except InexactSum:
            from chaingraph.analysis.savings import savings

            return savings(self._memory_zone(opts))

    def gaps(self, *, opts: Options) -> Gaps:
        try:
            return self._gaps(opts=opts)
        except InexactSum:
            from chaingraph.analysis.gaps import gaps

            return gaps(self._memory_zone(opts))

    def zones_summary(self, *, opts: Options) -> pd.DataFrame:
        """Every zone's headline figures (``opts.zone`` ignored), one row per zone.

        Zone-independent: an engine over a validated copy keeps it beside the copy per scope, planned links
        and saving rate (:meth:`_kept`).
        """
        try:
            rate = hashlib.sha256(repr(float(opts.local_saving_rate)).encode()).hexdigest()[:12]
            name = f"summary-{opts.scope}-{'planned' if opts.include_planned else 'active'}-{rate}.json"
            return self._kept(name, lambda: self._zones_summary(opts=opts), _save_frame, _load_frame)
        except InexactSum as e:
            if not self.embedded:  # every link to the driver: never on a cluster engine (docs/cluster.md)
                raise BackendError(
                    f"the all-zones summary cannot be summed exactly on the {self.kind} engine: {e} "
                    "(amounts from about 10^-14 to 10^28 元 sum exactly). Check the links' values and volumes, "
                    f"or run it on the embedded engine ({param('engine')} duckdb, the default), which sums them "
                    "in memory."
                ) from e
            from chaingraph.analysis.zones import zones_summary

            return zones_summary(self.dataset, opts=opts)

    def _memory_zone(self, opts: Options) -> ZoneContext:
        return self.zone_context(opts)

    # -- closure -----------------------------------------------------------------------------------
    def _closure(self, *, opts: Options) -> Closure:
        # no frame made here: `closure` on DuckDB runs pandas only if asked for a CSV (chaingraph.deferred_import)
        self._check_zone(opts)
        # one grouped query: the zone's, each buyer's, product's and chain's exact sums (not its ~50k purchase
        # groups at 2M links, summed again here)
        groups = self._columns("closure_groups", opts, mapped=self.has_chains)
        members = self._columns("members", opts)
        names = dict(zip([str(i) for i in members["id"].tolist()], members["name"].tolist(), strict=True))
        part = np.asarray(groups["part"], dtype=object)

        def of(name: str) -> dict[str, np.ndarray]:
            return {k: v[part == name] for k, v in groups.items()}  # a masked array keeps its mask

        def table(name: str, key: str, named: Mapping[str, Any] | None = None) -> LsrTable:
            rows = of(name)
            return LsrTable.of(key, rows["key"].tolist(), exact_values(rows, "local"), exact_values(rows, "total"),
                               named)  # fmt: skip

        whole = of("all")
        local = float(exact_values(whole, "local")[0]) if len(whole["part"]) else 0.0
        total = float(exact_values(whole, "total")[0]) if len(whole["part"]) else 0.0
        coverage = self._coverage(opts)
        derived = not self.has_chains
        ordered = sorted(coverage, key=(lambda r: (r.stage_coverage, r.end_product)) if derived else (
            lambda r: (r.chain or "", r.end_product)))  # fmt: skip
        paths, method = local_chains(self._columns("local_links", opts))
        return Closure(
            opts.zone, opts.scope, ratio(local, total), money(local) or 0.0, money(total) or 0.0, tuple(ordered),
            paths, method, "derived" if derived else "chains.csv", table("buyer", "buyer_id", names),
            table("product", "product"), table("chain", "chain"),
        )  # fmt: skip

    def _coverage(self, opts: Options) -> tuple[ChainCoverage, ...]:
        made = frozenset(self._makers_of(opts).product)

        def row(chain: str | None, q: str, upstream: set[str]) -> ChainCoverage:
            return coverage_row(chain, q, len(upstream), sum(1 for p in upstream if p in made),
                                [p for p in upstream if p not in made])  # fmt: skip

        chains = self._chain_columns()
        rows: list[ChainCoverage] = []
        if chains is not None:
            for chain in sorted({str(c) for c in chains["chain"]}):
                mine = [k for k, c in enumerate(chains["chain"]) if c == chain]
                g = chain_map_flow({col: [chains[col][k] for k in mine] for col in ("product", "input")})
                rows.extend(row(chain, q, g.ancestors(q) | {q}) for q in g.ends())
            return tuple(rows)
        turns = self._columns("zone_turns", opts)
        turned_of = [bool(t) for t in turns["turned"].tolist()]
        sold = {str(p) for p, t in zip(turns["product"].tolist(), turned_of, strict=True) if not t}
        turned = {str(p) for p, t in zip(turns["product"].tolist(), turned_of, strict=True) if t}
        ends = sorted(sold - turned)
        up = self.flow(opts).reach(ends, up=True)
        return tuple(row(None, q, set(up[q]) | {q}) for q in ends)

    # -- savings -----------------------------------------------------------------------------------
    def _savings(self, *, opts: Options) -> Savings:
        self._check_zone(opts)
        real = self._realized(opts)
        pot = self._potential(opts)
        return Savings(
            opts.zone, opts.scope, opts.local_saving_rate, real, pot,
            money(money_sum([r.annual_exact for r in real])) or 0.0,
            money(money_sum(annual_exact(pot))) or 0.0,
        )  # fmt: skip

    def _realized(self, opts: Options) -> tuple[Any, ...]:
        rows = self._columns("realized", opts)
        if not len(rows["buyer_id"]):
            return ()
        before = _weighted(rows, "fw", "fv", "fm", "fn")
        after = _weighted(rows, "nw", "nv", "nm", "nn")
        volume = exact_values(rows, "vol")
        out = [
            realized_row(str(b), str(p), str(m), _ids(loc), _ids(old), float(x), float(y), float(v))
            for b, p, m, loc, old, x, y, v in zip(*(rows[c].tolist() for c in ("buyer_id", "product", "main", "locals",
                                                  "olds")), before, after, volume, strict=True)
        ]  # fmt: skip
        return sort_realized(out)

    @bulk()
    def _potential(self, opts: Options) -> Sequence[Any]:
        makers = self._makers_of(opts)
        if not makers.product:
            return ()
        cand = makers.by_product  # each product's makers in makers()'s order
        self._register("zone_made", {"product": np.array(list(cand), dtype=object)})
        out = self._columns("potential" if opts.scope == "zone" else "potential_scoped", opts)
        buyers, products = [str(b) for b in out["buyer_id"].tolist()], [str(p) for p in out["product"].tolist()]
        # candidates: the product's makers less the buyer itself (definition 5); only rows with one are kept
        pairs = set(zip(makers.product, makers.maker, strict=True))
        n_cand = np.fromiter((len(cand.get(p, ())) - ((p, b) in pairs) for p, b in zip(products, buyers, strict=True)),
                             dtype=np.int64, count=len(products))  # fmt: skip
        keep = np.flatnonzero(n_cand > 0)
        if not len(keep):
            return ()
        if len(keep) < len(products):
            buyers, products = [buyers[i] for i in keep.tolist()], [products[i] for i in keep.tolist()]
            out = {k: v[keep] for k, v in out.items()}
        rate = opts.local_saving_rate
        reference = self._reference(opts, products)
        landed = float_values(out["landed"])
        vol_raw = float_values(out["vol"])
        value = float_values(out["value"])
        basis, reference, unit, annual = potential_annual(value, landed, vol_raw, reference, rate=rate)
        vol = np.nan_to_num(vol_raw, nan=0.0)
        return potential_rows(
            buyer=buyers, product=products, supplier=[str(s) for s in out["supplier_id"].tolist()],
            supplier_zone=[str(z) for z in out["supplier_zone"].tolist()], value=value, landed=landed,
            reference=reference, basis=basis.tolist(), unit_saving=unit, volume=vol, annual=annual,
            candidates=candidate_lists(buyers, products, cand), candidate_count=n_cand[keep].tolist(), rate=rate,
        )  # fmt: skip

    def _reference(self, opts: Options, products: list[str]) -> np.ndarray:
        """Each potential row's reference (definition 5): ``potential_ref.sql``'s value-weighted landed cost of the
        row's product, NaN where the zone sells none with a price.  Only the rows' products are decoded, so an
        inexact sum is refused exactly where a row reads it."""
        ref = self._columns("potential_ref", opts)
        wanted, names = set(products), [str(p) for p in ref["product"].tolist()]
        keep = np.fromiter((p in wanted for p in names), dtype=bool, count=len(names))
        ref = {k: v[keep] for k, v in ref.items()}  # a masked array keeps its mask
        per = np.append(_weighted(ref, "rw", "rv", "rm", "rn_"), np.nan)
        at = {p: i for i, p in enumerate(n for n, k in zip(names, keep.tolist(), strict=True) if k)}
        return per[np.array([at.get(p, -1) for p in products], dtype=np.int64)]

    # -- gaps --------------------------------------------------------------------------------------
    def _gaps(self, *, opts: Options) -> Gaps:
        # no frame made here: `gaps` on DuckDB never imports pandas (chaingraph.deferred_import)
        self._check_zone(opts)
        bought = self._bought(opts)
        makers = self._makers_of(opts)
        products = [str(p) for p in bought["product"].tolist()]
        demand = dict(zip(products, exact_values(bought, "demand").tolist(), strict=True))
        purchase = dict(zip(products, exact_values(bought, "purchase").tolist(), strict=True))
        makers_by = makers.by_product
        table, chain_of = gap_kinds(demand, purchase, {p: len(m) for p, m in makers_by.items()}, self._stage_pairs())
        if not table:
            return Gaps(opts.zone, opts.scope, ())

        # only the gap products' parties come back (at 2M links the zone's outside purchases are ~95k rows)
        self._register("gap_list", {"product": np.array(sorted(table), dtype=object)})
        parties = self._columns("gaps_parties", opts)
        product = np.array([str(p) for p in parties["product"].tolist()], dtype=str)
        ids = np.array([str(i) for i in parties["id"].tolist()], dtype=str)
        value = exact_values(parties, "value")
        buyers_by: dict[str, list[tuple[str, str, float]]] = {}
        sups_by: dict[str, list[tuple[str, str, str, float]]] = {}
        sides, names, homes = (parties[c].tolist() for c in ("side", "name", "home"))
        for k in np.lexsort((ids, -value, product)).tolist():  # product, then value (largest first), then id
            p = str(product[k])
            if p not in table:
                continue
            if sides[k] == "b":
                buyers_by.setdefault(p, []).append((str(ids[k]), str(names[k]), float(value[k])))
            else:
                sups_by.setdefault(p, []).append((str(ids[k]), str(names[k]), str(homes[k]), float(value[k])))

        made = frozenset(makers.product)
        chain_g = chain_map_flow(self._chain_columns() or {"product": [], "input": []})
        asked = list(table)
        # the product flow graph only when a gap product lies outside the chain map
        deps_of = dependents(asked, chain_g, self.flow(opts) if any(p not in chain_g for p in asked) else chain_g, made)
        rows = [gap_row(p, kind, d, bought_p, makers_by.get(p, ()), buyers_by.get(p, []), sups_by.get(p, []),
                        deps_of[p], chain_of.get(p, ())) for p, (kind, d, bought_p) in table.items()]  # fmt: skip
        return Gaps(opts.zone, opts.scope, sort_gaps(rows))

    # -- every zone --------------------------------------------------------------------------------
    def _zones_summary(self, *, opts: Options) -> pd.DataFrame:
        """Every zone's headline figures in a few grouped queries (one pass over the links each), as
        :func:`chaingraph.analysis.zones.zones_summary` computes them."""
        names = ["", *self.zones(scope=opts.scope)]
        n = len(names)
        code = {z: i for i, z in enumerate(names)}

        def codes(col: Any) -> np.ndarray:
            return np.array([code.get(str(z), -1) for z in col.tolist()], dtype=np.int64)

        def per_zone(rows: pd.DataFrame | Mapping[str, np.ndarray], name: str) -> np.ndarray:
            out = np.zeros(n, dtype="float64")
            if len(rows["zone"]):
                out[codes(rows["zone"])] = exact_values(rows, name)
            return out

        self._hold_run("zs_all_makers", "zs_makers", opts)  # read by zs_potential, zs_gaps and zs_stage_makers

        # fetched as columns (no frame made of the rows; the summary is one frame at the end)
        real = self._columns("zs_realized", opts)
        real_annual = (
            _weighted(real, "fw", "fv", "fm", "fn") - _weighted(real, "nw", "nv", "nm", "nn")
        ) * exact_values(real, "vol")  # as realized_row's annual_exact
        realized_sum = money_sum_by(codes(real["zone"]), real_annual, n)

        ref = self._columns("zs_reference", opts)
        refs = pd.DataFrame({"zone": pd.Series(ref["zone"].tolist(), dtype=object),
                             "product": pd.Series(ref["product"].tolist(), dtype=object),
                             "reference": _weighted(ref, "rw", "rv", "rm", "rn_")})  # fmt: skip
        self._register("refs", refs)
        potential_sum = per_zone(self._run("zs_potential", opts, rate=opts.local_saving_rate), "annual")

        per = self._run("zs_gaps", opts)
        zone_of = codes(per["zone"])
        # definition 1 from the same rows: a zone buys the sum of its purchases, locally all but its external demand
        bought, outside = exact_sums_by(zone_of, per, "purchase", n), exact_sums_by(zone_of, per, "demand", n)
        keys = [*(str(k) for k in range(len(CHUNKS))), "bad"]
        total_sum = exact_values({f"total__{k}": bought[f"purchase__{k}"] for k in keys}, "total")
        local = {f"local__{k}": bought[f"purchase__{k}"] - outside[f"demand__{k}"] for k in keys[:-1]}
        local_sum = exact_values(local | {"local__bad": bought["purchase__bad"]}, "local")  # its terms are among those
        stages, covered = None, None
        if self.has_chains:
            stages = pd.unique(self.chain_stages()["product"].to_numpy())
            covered = np.zeros(n, dtype=np.int64)
            sm = self._run("zs_stage_makers", opts)
            covered[codes(sm["zone"])] = pd.to_numeric(sm["made"]).to_numpy(dtype=np.int64)
        missing, weak, empty = gap_counts(
            zone_of, per["product"].to_numpy(dtype=object), demand=exact_values(per, "demand"),
            purchase=exact_values(per, "purchase"), n_makers=pd.to_numeric(per["n_makers"]).to_numpy(),
            n=n, stages=stages, covered=covered,
        )  # fmt: skip
        return summary_frame(names, local=local_sum, total=total_sum, realized=realized_sum,
                             potential=potential_sum, missing=missing, weak=weak, empty=empty)  # fmt: skip

    # -- the gap matrix (issue 19's rules, analysis.matrix; its inputs from the SQL) ----------------
    def matrix(self, *, opts: Options, capture: float = GAP_FILL_CAPTURE, multiplier: float = DEFAULT_MULTIPLIER,
               gaps: Gaps | None = None) -> GapMatrix:  # fmt: skip
        """The zone's gap matrix: presence M, the flow graph, what Z makes, buys and reports of its size, from SQL."""
        try:
            return self._matrix(opts=opts, capture=capture, multiplier=multiplier, gaps=gaps)
        except InexactSum:
            from chaingraph.analysis.matrix import gap_matrix

            return gap_matrix(self._memory_zone(opts), capture=capture, multiplier=multiplier, gaps=gaps)

    def _matrix(self, *, opts: Options, capture: float, multiplier: float, gaps: Gaps | None) -> GapMatrix:
        from chaingraph.analysis.context import ZoneContext
        from chaingraph.analysis.matrix import matrix_of_parts, zone_scale
        from chaingraph.model import Dataset

        g = gaps if gaps is not None else self.gaps(opts=opts)
        raw = raw_products(self._chain_columns())
        bought = {str(p) for p in self._bought(opts)["product"].tolist()}
        firms = self._run("zone_firms", opts)
        for c in ("output_value", "employees"):
            firms[c] = pd.to_numeric(firms[c]).astype("float64")
        scale = zone_scale(ZoneContext.of(Dataset(firms, pd.DataFrame(), None), opts))
        made = frozenset(self._makers_of(opts).product)
        return matrix_of_parts(opts, g, raw, self._presence(opts), self.flow(opts), made, bought, scale,
                               capture=capture, multiplier=multiplier)  # fmt: skip

    def quadrants(self, *, opts: Options, capture: float = GAP_FILL_CAPTURE, gaps: Gaps) -> dict[str, str]:
        """Each gap's quadrant on the zone's matrix (:func:`chaingraph.analysis.matrix.gap_quadrants`): from M and
        the raw materials alone (the gap list's column: no relatedness, drivers or scale asked of the engine)."""
        from chaingraph.analysis.matrix import gap_quadrants

        raw = raw_products(self._chain_columns())
        return gap_quadrants(opts, gaps, raw, self._presence(opts), capture=capture)

    def _presence(self, opts: Options) -> Presence:
        """Which zones make which products (M), as :func:`chaingraph.analysis.matrix.presence` builds it."""
        from chaingraph.analysis.matrix import Presence

        key = (opts.scope, opts.include_planned)
        if key not in self._presences:

            def compute() -> Presence:
                pairs = self._run("presence", opts)
                zc, zones = pd.factorize(pd.Series(pairs["zone"].astype(str).to_numpy(dtype=object)), sort=True)
                pc, products = pd.factorize(pd.Series(pairs["product"].astype(str).to_numpy(dtype=object)), sort=True)
                made = np.zeros((len(zones), len(products)), dtype=bool)
                made[zc, pc] = True
                names = [str(p) for p in products]
                return Presence(tuple(str(z) for z in zones), tuple(names), made, {p: i for i, p in enumerate(names)})

            name = f"presence-{opts.scope}-{'planned' if opts.include_planned else 'active'}.npz"
            self._presences[key] = self._kept(name, compute, _save_presence, _load_presence)
        return self._presences[key]

    # -- the rest: in memory over one zone's slice (chaingraph.relational.zone_slice), never all links --
    def zone_context(self, opts: Options, *, keys: Iterable[str] = ()) -> ZoneContext:
        """Zone ``opts.zone``'s context over its slice of the data (:mod:`chaingraph.relational.zone_slice`).

        ``keys``: further firms (ids or names) the analysis looks up.  The last slice asked for is kept.
        """
        from chaingraph.relational.zone_slice import slice_context

        key = (opts, tuple(sorted({str(k) for k in keys})))
        if self._slice is None or self._slice[0] != key:
            self._slice = None  # the old slice is let go before the new one is read
            self._slice = (key, slice_context(self, opts, keys=key[1]))
        return self._slice[1]

    def view_dataset(self, opts: Options, gaps: Gaps, *, focus: str | None = None, hops: int = 2) -> Dataset:
        """What the graph page reads (:func:`chaingraph.relational.zone_slice.view_dataset`): never every link."""
        from chaingraph.relational.zone_slice import view_dataset

        return view_dataset(self, opts, gaps, focus=focus, hops=hops)

    def provenance(self) -> tuple[str, tuple[FileSummary, ...], tuple[Problem, ...]]:
        """(source, how each file loaded, the rows set aside), as a loaded :class:`Dataset` holds them."""
        raise NotImplementedError

    def row_counts(self) -> dict[str, int | None]:
        """The rows of each table (``chains`` None without a chain map), counted by the engine."""
        row = self._query("counts", {}).iloc[0]
        return {"enterprises": int(row["enterprises"]), "links": int(row["links"]),
                "chains": int(row["chains"]) if self.has_chains else None}  # fmt: skip

    def counts(self) -> dict[str, Any]:
        """The rows of each table and the rows set aside, for the line saying what was analysed."""
        source, _, rejected = self.provenance()
        return {"source": source, **self.row_counts(), "rejected": len(rejected)}

    def benchmark(self, *, opts: Options, peers: Iterable[str] | None = None) -> Benchmark:
        """Peer zones from per-zone sums and each compared zone's small queries (no zone's slice)."""
        from chaingraph.relational.zone_slice import sql_benchmark

        return sql_benchmark(self, opts, peers=peers)

    def leaders(self, *, opts: Options, top: int = 10) -> Leaders:
        from chaingraph.analysis.leaders import leaders

        return leaders(self.zone_context(opts), top=top)

    def routes(self, *, opts: Options, reroute_via: str | None = None, replacing: str | None = None) -> Routes:
        from chaingraph.analysis.routes import routes

        named = [k for k in (reroute_via, replacing) if k]
        return routes(self.zone_context(opts, keys=named), reroute_via=reroute_via, replacing=replacing)


def _save_frame(frame: pd.DataFrame, path: Path) -> None:
    """A small frame as JSON: its columns, their dtypes and its rows (floats written exactly, ``repr``)."""
    dtypes = [str(t) for t in frame.dtypes]
    rows = [[None if v is None or (isinstance(v, float) and v != v) else v.item() if isinstance(v, np.generic)
             else v for v in row] for row in frame.itertuples(index=False, name=None)]  # fmt: skip
    text = json.dumps({"columns": list(frame.columns), "dtypes": dtypes, "rows": rows}, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")


def _load_frame(path: Path) -> pd.DataFrame:
    meta = json.loads(path.read_text(encoding="utf-8"))
    columns = list(zip(*meta["rows"], strict=True)) if meta["rows"] else [() for _ in meta["columns"]]
    return pd.DataFrame({
        c: pd.Series(list(v), dtype=pd.api.types.pandas_dtype(t))
        for c, t, v in zip(meta["columns"], meta["dtypes"], columns, strict=True)
    })  # fmt: skip


def _save_presence(m: Presence, path: Path) -> None:
    """M as its zones, products (JSON) and the (zone, product) codes of its true cells."""
    z, p = np.nonzero(m.made)
    text = json.dumps([list(m.zones), list(m.products)], ensure_ascii=False).encode()
    with path.open("wb") as fh:
        np.savez(fh, names=np.frombuffer(text, dtype=np.uint8), shape=np.array(m.made.shape, dtype=np.int64),
                 zone=z.astype(np.int64), product=p.astype(np.int64))  # fmt: skip


def _load_presence(path: Path) -> Presence:
    from chaingraph.analysis.matrix import Presence

    with np.load(path, allow_pickle=False) as f:
        zones, products = json.loads(f["names"].tobytes().decode())
        made = np.zeros(tuple(f["shape"].tolist()), dtype=bool)
        made[f["zone"], f["product"]] = True
    return Presence(tuple(zones), tuple(products), made, {p: i for i, p in enumerate(products)})


def _source(name: str) -> str:
    from chaingraph.relational import _expand, _text

    return _expand(_text(name))
