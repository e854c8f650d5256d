"""Analyses computed server-side by Neo4j with the Cypher files in ``queries/``.

Each method runs the analysis' queries with parameters ($zone, $scope,
$statuses, $rate) and assembles the same typed results the in-memory engine
returns, through the same row builders of :mod:`chaingraph.results`, so both
give identical JSON.  The one step done here rather than in Cypher is listing
local chains: the query returns the zone's local subgraph and
:func:`~chaingraph.results.closure.local_chains`
bounds the path listing exactly as in memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from chaingraph.engine import analyze, iter_zones
from chaingraph.errors import BackendError, UnknownZoneError, closest_names
from chaingraph.listcells import SEPARATOR
from chaingraph.model import Dataset
from chaingraph.neo4j.connect import driver, settings
from chaingraph.neo4j.queries import query
from chaingraph.results.analysis import SUMMARY_COLUMNS, Analysis, summary_row
from chaingraph.results.benchmark import Benchmark, build_benchmark, choose_peers, comparable
from chaingraph.results.closure import Closure, build_closure, coverage_row
from chaingraph.results.gaps import Gaps, gap_row, sort_gaps
from chaingraph.results.hubs import hub_row, sort_hubs
from chaingraph.results.leaders import METHOD, Leaders, invite_row, leader_row
from chaingraph.results.matrix import DEFAULT_MULTIPLIER, GapMatrix, MatrixInput, matrix_rows, scale_of
from chaingraph.results.money import money, money_sum
from chaingraph.results.options import Options
from chaingraph.results.rank import raw_products
from chaingraph.results.resilience import DEFAULT_HHI_THRESHOLD, Resilience, build_resilience
from chaingraph.results.routes import Routes, intermediary_row, reroute_firms, reroute_result
from chaingraph.results.savings import (
    MAX_CANDIDATES,
    Savings,
    annual_exact,
    potential_rows,
    realized_row,
    sort_realized,
)
from chaingraph.results.whatif import GAP_FILL_CAPTURE

__all__ = ["Neo4jBackend"]


class Neo4jBackend:
    """The :class:`~chaingraph.engine.Backend` interface over a Neo4j database."""

    kind = "neo4j"

    def __init__(self, uri: str, *, user: str | None = None, password: str | None = None,
                 database: str | None = None) -> None:  # fmt: skip
        self.conn = settings(uri, user=user, password=password, database=database)
        self.driver = driver(self.conn)
        self._names: dict[str, str] | None = None

    def run(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of ``queries/<name>.cypher`` as dicts."""
        from neo4j import RoutingControl
        from neo4j.exceptions import Neo4jError

        try:  # the analyses only read: on a cluster (neo4j://) they may go to any reader
            records = self.driver.execute_query(
                query(name), params, database_=self.conn.database, routing_=RoutingControl.READ
            ).records
        except Neo4jError as err:
            raise BackendError(f"Neo4j could not run queries/{name}.cypher: {err.message}") from None
        return [dict(r) for r in records]

    def _params(self, opts: Options) -> dict[str, Any]:
        zones = self.zones(scope=opts.scope)
        if opts.zone not in zones:
            raise UnknownZoneError(opts.zone, scope=opts.scope, candidates=closest_names(opts.zone, zones))
        return {"zone": {"name": opts.zone, "scope": opts.scope, "statuses": list(opts.statuses),
                         "rate": opts.local_saving_rate}}  # fmt: skip

    def zones(self, *, scope: str) -> list[str]:
        return [str(r["zone"]) for r in self.run("zones", scope=scope)]

    def zones_summary(self, *, opts: Options) -> pd.DataFrame:
        """Each zone's three analyses run server-side, one zone after another, summed up."""
        return pd.DataFrame([summary_row(a) for a in iter_zones(self, opts=opts)], columns=SUMMARY_COLUMNS)

    def names(self) -> Mapping[str, str]:
        if self._names is None:
            self._names = {str(r["id"]): str(r["name"] or "") for r in self.run("names")}
        return self._names

    def closure(self, *, opts: Options) -> Closure:
        p = self._params(opts)
        lsr = pd.DataFrame(self.run("lsr", **p), columns=["buyer_id", "name", "product", "local", "value", "chains"])
        into = lsr.rename(columns={"local": "s_in"})[["buyer_id", "product", "s_in", "value"]]
        into = into.astype({"s_in": bool, "value": "float64"})
        tags = lsr[["buyer_id", "product", "chains"]].explode("chains").dropna()
        tags = tags.rename(columns={"product": "key", "chains": "chain"})[["key", "chain", "buyer_id"]]
        tags = tags.drop(columns=["buyer_id"]).drop_duplicates()
        has_map = bool(self.run("has_chain_map")[0]["has_chain_map"])
        if not has_map:  # chains come from the buyer's industry: key on the buyer
            tags = lsr[["buyer_id", "chains"]].explode("chains").dropna().drop_duplicates()
            tags = tags.rename(columns={"buyer_id": "key", "chains": "chain"})
        coverage = tuple(
            coverage_row(r["chain"], r["end_product"], int(r["stages"]), int(r["covered"]), list(r["missing_stages"]))
            for r in self.run("closure", **p) if r["end_product"] is not None
        )  # fmt: skip
        local = pd.DataFrame(
            self.run("local_chains", **p), columns=["s", "r", "b", "supplier_id", "buyer_id", "product"]
        )
        names = pd.Series(self.names())
        return build_closure(opts, into, tags, "product" if has_map else "buyer_id", names, coverage,
                             local[["supplier_id", "buyer_id"]], derived=not has_map)  # fmt: skip

    def savings(self, *, opts: Options) -> Savings:
        p = self._params(opts)
        real = sort_realized([
            realized_row(r["buyer_id"], r["product"], r["supplier_id"], r["local_suppliers"], r["former_suppliers"],
                         float(r["before"]), float(r["after"]), float(r["volume"]))
            for r in self.run("savings_realized", **p)
        ])  # fmt: skip
        rows = self.run("savings_potential", **p)

        def col(name: str) -> list[Any]:
            return [r[name] for r in rows]

        def floats(name: str, *, null: float = np.nan) -> np.ndarray:  # null: the query's null (no unit price)
            return np.array([null if v is None else float(v) for v in col(name)], dtype="float64")

        pot = potential_rows(
            buyer=col("buyer_id"), product=col("product"), supplier=col("supplier_id"),
            supplier_zone=[z or "" for z in col("supplier_zone")], value=floats("value"), landed=floats("landed"),
            reference=floats("reference"), basis=col("reference_basis"), unit_saving=floats("unit_saving"),
            volume=floats("volume", null=0.0), annual=floats("annual_saving"),
            candidates=[tuple(c)[:MAX_CANDIDATES] for c in col("candidates")],
            candidate_count=[int(n) for n in col("candidate_count")], rate=opts.local_saving_rate,
        )  # fmt: skip
        return Savings(opts.zone, opts.scope, opts.local_saving_rate, real, pot,
                       money(money_sum([r.annual_exact for r in real])) or 0.0,
                       money(money_sum(annual_exact(pot))) or 0.0)  # fmt: skip

    def gaps(self, *, opts: Options) -> Gaps:
        p = self._params(opts)
        rows = [
            gap_row(r["product"], r["kind"], float(r["external_demand"]), float(r["local_purchase"]),
                    r["local_makers"], [(b["id"], b["name"] or "", float(b["value"])) for b in r["buyers"]],
                    [(s["id"], s["name"] or "", s["zone"] or "", float(s["value"])) for s in r["suppliers"]],
                    r["dependents"], r["chains"])
            for r in self.run("gaps", **p)
        ]  # fmt: skip
        return Gaps(opts.zone, opts.scope, sort_gaps(rows))

    def matrix(self, *, opts: Options, capture: float = GAP_FILL_CAPTURE, multiplier: float = DEFAULT_MULTIPLIER,
               gaps: Gaps | None = None) -> GapMatrix:  # fmt: skip
        """The gap matrix: ``matrix.cypher``'s proximity sums for gaps.cypher's gaps, raw materials left out."""
        g = gaps if gaps is not None else self.gaps(opts=opts)
        p = self._params(opts)
        chains = pd.DataFrame(self.run("export/chains"), columns=["chain", "product", "input", "segment"], dtype="str")
        raw = raw_products(chains)
        rows = [r for r in g.gaps if r.product not in raw]
        got = {r["product"]: r for r in self.run("matrix", zone={**p["zone"], "products": [r.product for r in rows]})}
        items = []
        for r in rows:
            x = got[r.product]
            items.append(MatrixInput(
                r.product, r.kind, r.external_demand, len(r.buyers), r.dependents, float(x["proximity_made"]),
                float(x["proximity_total"]), int(x["zones_making"]),
                [(d["product"], float(d["proximity"])) for d in x["drivers"]], tuple(sorted(x["inputs"])),
                tuple(sorted(x["inputs_made"])), tuple(sorted(x["outputs"])), tuple(sorted(x["outputs_bought"])),
            ))  # fmt: skip
        zones = self.run("matrix_zones", zone=p["zone"])[0]["zones"]
        sc = self.run("matrix_scale", **p)[0]
        scale = scale_of([float(v) for v in sc["outputs"]], [(float(o), float(n)) for o, n in sc["both"]])
        return matrix_rows(opts.zone, opts.scope, items, capture=capture, multiplier=multiplier, zones=int(zones),
                           scale=scale, supply_security=[r.product for r in g.gaps if r.product in raw])  # fmt: skip

    def leaders(self, *, opts: Options, top: int = 10) -> Leaders:
        p = self._params(opts)
        rows = self.run("leaders", **p)
        grand = money_sum([float(r["anchored_value"]) for r in rows])
        lead = [
            leader_row(r["id"], r["name"] or "", bool(r["declared"]), float(r["anchored_value"]), grand,
                       float(r["purchases"]), float(r["local_purchases"]), float(r["local_sales"]),
                       float(r["outside_sales"]), r["local_suppliers"], r["outside_suppliers"], r["local_buyers"],
                       r["outside_buyers"])
            for r in rows
        ]  # fmt: skip
        heads = [x.id for x in lead[:top]]
        inv = self.run("invite", zone={**p["zone"], "leaders": heads})
        invite = tuple(invite_row(r["id"], r["name"] or "", r["zone"] or "", float(r["value"]), r["products"],
                                  r["leaders"]) for r in inv)  # fmt: skip
        purchases = money_sum([float(r["purchases"]) for r in rows])  # every buyer of the zone is a row
        hubs = sort_hubs([hub_row(h["id"], h["name"] or "", h["zone"] or "", h["kind"] or "",
                                  money_sum([float(v) for v in h["into_values"]]),
                                  money_sum([float(v) for v in h["out_values"]]), purchases, int(h["links"]),
                                  h["products"]) for h in self.run("hubs", **p)])  # fmt: skip
        return Leaders(opts.zone, opts.scope, METHOD, tuple(lead), invite, hubs)

    def routes(self, *, opts: Options, reroute_via: str | None = None, replacing: str | None = None) -> Routes:
        p = self._params(opts)
        names = pd.Series(self.names(), dtype="object")
        x, y = reroute_firms(names, reroute_via, replacing)
        rows = [intermediary_row(r["id"], r["name"] or "", r["zone"] or "", float(r["value"]), int(r["links"]),
                                 r["routes"]) for r in self.run("routes", **p)]  # fmt: skip
        moved = self.run("reroute", zone={**p["zone"], "replacing": y}) if y else []
        return reroute_result(opts, rows, x, y, moved)

    def resilience(self, *, opts: Options, threshold: float = DEFAULT_HHI_THRESHOLD) -> Resilience:
        """Supply concentration per product (``queries/resilience.cypher``), built as in memory."""
        p = self._params(opts)
        rows = self.run("resilience", zone={**p["zone"], "threshold": threshold})
        flat = [(str(r["product"]), str(s["id"]), float(s["value"]), bool(s["local"])) for r in rows
                for s in r["suppliers"]]  # fmt: skip
        info = {str(s["id"]): (str(s["name"] or ""), str(s["zone"] or "")) for r in rows for s in r["suppliers"]}
        return build_resilience(opts.zone, opts.scope, flat, info, threshold=threshold)

    def benchmark(self, *, opts: Options, peers: Sequence[str] | None = None) -> Benchmark:
        """Z against its peers: each zone's Cypher closure, savings and gaps; the peers' makers (peer_makers.cypher)."""
        p = self._params(opts)
        known = self.zones(scope=opts.scope)
        analyses: dict[str, Analysis] = {}
        if peers is None:  # every zone's three analyses in Cypher, as zones_summary on Neo4j
            for a in iter_zones(self, opts=opts):
                analyses[a.closure.zone] = a
            ok = [z for z, a in analyses.items() if comparable(summary_row(a))]
            chosen = choose_peers(opts.zone, None, known=known, comparable_zones=ok)
        else:
            chosen = choose_peers(opts.zone, peers, known=known, comparable_zones=())
            for z in (opts.zone, *chosen):
                analyses[z] = analyze(self, opts=replace(opts, zone=z))
        products = sorted({g.product for g in analyses[opts.zone].gaps.gaps})
        rows = self.run("peer_makers", zone={**p["zone"], "peers": list(chosen), "products": products})
        makers = [(str(r["peer"]), str(r["product"]), str(r["id"]), float(r["sold"])) for r in rows]
        info = {str(r["id"]): (str(r["name"] or ""), str(r["kind"] or "manufacturer")) for r in rows}
        compared = (opts.zone, *chosen)
        return build_benchmark(opts.zone, opts.scope, chosen, {z: summary_row(analyses[z]) for z in compared},
                               {z: analyses[z].closure.chains for z in compared}, analyses[opts.zone].gaps.gaps,
                               makers, info, named=peers is not None)  # fmt: skip

    @cached_property
    def dataset(self) -> Dataset:
        """The graph read back into the tables the loader gives (``queries/export/*.cypher``).

        For the analyses that recompute the chain in memory (``gaps --rank``,
        ``whatif``): they then give the same figures as on the folder that was
        loaded.  List properties (industry, products, via) are joined with ``;``
        again; ``annual_value`` is the yearly value as loaded.
        """
        ent = pd.DataFrame(self.run("export/enterprises"), columns=list(_ENT_TYPES))
        for col in ("industry", "products"):
            ent[col] = ent[col].map(_joined)
        ent = ent.fillna({c: "" for c, t in _ENT_TYPES.items() if t == "str"}).astype(_ENT_TYPES)
        links = pd.DataFrame(self.run("export/links"), columns=list(_LINK_TYPES))
        links["via"] = links["via"].map(_joined)
        links = links.fillna({c: "" for c, t in _LINK_TYPES.items() if t == "str"}).astype(_LINK_TYPES)
        links["annual_value"] = links["value"]
        chains = pd.DataFrame(self.run("export/chains"), columns=["chain", "product", "input", "segment"], dtype="str")
        has_map = bool(self.run("has_chain_map")[0]["has_chain_map"])
        return Dataset(
            ent.reset_index(drop=True),
            links[_LINK_ORDER].reset_index(drop=True),
            chains.assign(line=np.arange(2, len(chains) + 2, dtype=np.int64)) if has_map else None,
            source=self.conn.uri,
        )

    def close(self) -> None:
        self.driver.close()


_ENT_TYPES = {"id": "str", "name": "str", "zone": "str", "park": "str", "city": "str", "province": "str",
              "industry": "str", "products": "str", "kind": "str", "output_value": "float64",
              "employees": "float64", "chain_leader": "bool", "lat": "float64", "lon": "float64",
              "line": "int64"}  # fmt: skip
_LINK_TYPES = {"supplier_id": "str", "buyer_id": "str", "product": "str", "value": "float64",
               "annual_volume": "float64", "unit_price": "float64", "logistics_cost": "float64",
               "landed": "float64", "vol": "float64", "status": "str", "via": "str", "note": "str",
               "line": "int64"}  # fmt: skip
_LINK_ORDER = ["supplier_id", "buyer_id", "product", "annual_value", "annual_volume", "unit_price", "logistics_cost",
               "status", "via", "note", "line", "value", "landed", "vol"]  # fmt: skip


def _joined(v: Any) -> str:
    """A stored list (or a plain string from an older load) as the CSV cell: items joined by ``;``."""
    if v is None:
        return ""
    return SEPARATOR.join(str(x) for x in v) if isinstance(v, list) else str(v)
