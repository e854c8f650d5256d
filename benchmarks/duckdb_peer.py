"""The DuckDB peer: what a data analyst would write instead of each chaingraph analysis command (issue 20).

Plain SQL over the raw files (CSV or Parquet) with DuckDB: no validation, plain ``SUM`` over DOUBLE, no
chaingraph import.  One mode per command, each computing that command's figures as docs/analysis.md defines
them, and ``agree(kind, peer_json, chaingraph_json)`` checks them against chaingraph's JSON (money to the 元,
ratios and unit prices to 1e-6):

- ``gaps`` (the first peer, sixty lines, unchanged): the zone's missing, weak and empty links (definition 6)
  with their external demand and outside suppliers, without the dependents;
- ``closure``: the local sourcing ratio with local and total value (definition 1), per buyer, product and
  chain, and stage coverage per end product (definition 2; a recursive CTE over chains.csv, or over the
  derived product flow graph without it).  Not the listing of local chains (definition 3);
- ``savings``: every realized row (definition 4) and potential row (definition 5: the candidates, the
  reference = value-weighted landed cost of the zone's own priced sales, else the rate) and their totals;
- ``analyze``: closure, savings and gaps in one process, one connection, the files read once;
- ``all-zones``: the per-zone headline figures of ``chaingraph analyze --all-zones`` (LSR, local and total
  value, total realized and potential savings, gap counts by kind), grouped by zone in one query.

    python benchmarks/duckdb_peer.py SOURCE ZONE [--kind gaps|closure|savings|analyze] [--memory-limit 8GB]
    python benchmarks/duckdb_peer.py SOURCE --kind all-zones > peer.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

KINDS = ("gaps", "closure", "savings", "analyze", "all-zones")

SQL = """
WITH
firms AS (SELECT id, zone, products FROM {enterprises}),
links AS (
    SELECT supplier_id, buyer_id, product,
           coalesce(annual_value, annual_volume * unit_price, 0) AS value
    FROM {links}
    WHERE coalesce(nullif(trim(status), ''), 'active') = 'active'),
zf AS (SELECT id FROM firms WHERE zone = $zone),
sl AS (
    SELECT l.*, sz.id IS NOT NULL AS s_in, bz.id IS NOT NULL AS b_in
    FROM links l LEFT JOIN zf sz ON l.supplier_id = sz.id LEFT JOIN zf bz ON l.buyer_id = bz.id
    WHERE sz.id IS NOT NULL OR bz.id IS NOT NULL),
demand AS (
    SELECT product, coalesce(sum(value) FILTER (WHERE NOT s_in), 0) AS demand, sum(value) AS purchase
    FROM sl WHERE b_in GROUP BY product),
makers AS (
    SELECT product, count(DISTINCT maker) AS n FROM (
        SELECT trim(unnest(regexp_split_to_array(products, '[;；]'))) AS product, id AS maker
        FROM firms WHERE zone = $zone AND products IS NOT NULL
        UNION ALL SELECT product, supplier_id FROM sl WHERE s_in) m
    WHERE product <> '' GROUP BY product),
chain_products AS ({chain_products}),
universe AS (SELECT product FROM demand UNION SELECT product FROM chain_products),
t AS (
    SELECT u.product, coalesce(d.demand, 0) AS demand, coalesce(d.purchase, 0) AS purchase,
           coalesce(m.n, 0) AS makers, c.product IS NOT NULL AS in_chain
    FROM universe u LEFT JOIN demand d USING (product) LEFT JOIN makers m USING (product)
         LEFT JOIN chain_products c USING (product)),
gaps AS (
    SELECT product, demand, CASE
        WHEN makers = 1 AND purchase > 0 AND 2 * demand >= purchase THEN 'weak'
        WHEN demand > 0 AND makers = 0 THEN 'missing'
        WHEN makers = 0 AND in_chain THEN 'empty' END AS kind
    FROM t),
suppliers AS (
    SELECT product, list(supplier_id ORDER BY v DESC, supplier_id) AS suppliers,
           list(round(v / demand, 6) ORDER BY v DESC, supplier_id) AS shares
    FROM (SELECT s.product, s.supplier_id, sum(s.value) AS v, any_value(g.demand) AS demand
          FROM sl s JOIN gaps g USING (product) WHERE s.b_in AND NOT s.s_in AND g.kind IS NOT NULL
          GROUP BY s.product, s.supplier_id) x
    GROUP BY product)
SELECT g.product, g.kind, g.demand AS external_demand, coalesce(s.suppliers, []) AS suppliers,
       coalesce(s.shares, []) AS shares
FROM gaps g LEFT JOIN suppliers s USING (product)
WHERE g.kind IS NOT NULL
ORDER BY g.demand DESC, g.kind, g.product
"""

# -- the other commands: the raw tables loaded once per connection, then one query per figure -----------------

#: The enterprises (and chains.csv) as temporary tables; the links as read (only the columns the figures use).
LOAD = """
CREATE TEMP TABLE e AS SELECT id, zone, industry, products FROM {enterprises};
CREATE TEMP TABLE c AS SELECT chain, product, coalesce(input, '') AS input FROM {chains};
"""

#: A link's value, landed cost and volume (docs/analysis.md, "The definitions"), as columns of ``{links}``.
FIGURES = """
    coalesce(nullif(trim(status), ''), 'active') AS status,
    coalesce(annual_value::DOUBLE, annual_volume::DOUBLE * unit_price::DOUBLE, 0) AS value,
    unit_price::DOUBLE + coalesce(logistics_cost::DOUBLE, 0) AS landed,
    coalesce(annual_volume::DOUBLE,
             CASE WHEN unit_price::DOUBLE = 0 THEN 0 ELSE annual_value::DOUBLE / unit_price::DOUBLE END) AS vol
"""

#: The zone's links (supplier or buyer in the zone), read from the file once, with both ends' membership.
ZONE_LINKS = """
CREATE OR REPLACE TEMP TABLE zl AS
WITH zf AS (SELECT DISTINCT id FROM e WHERE zone = $zone)
SELECT l.supplier_id, l.buyer_id, l.product, l.annual_value, l.annual_volume, l.unit_price, {figures},
       sz.id IS NOT NULL AS s_in, bz.id IS NOT NULL AS b_in
FROM {links} l LEFT JOIN zf sz ON l.supplier_id = sz.id LEFT JOIN zf bz ON l.buyer_id = bz.id
WHERE sz.id IS NOT NULL OR bz.id IS NOT NULL;
CREATE OR REPLACE TEMP TABLE makers AS
SELECT DISTINCT product, maker FROM (
    SELECT trim(unnest(regexp_split_to_array(products, '[;；]'))) AS product, id AS maker FROM e
    WHERE zone = $zone AND products IS NOT NULL
    UNION ALL SELECT product, supplier_id FROM zl WHERE s_in AND status = 'active') m
WHERE product <> '';
"""

#: Definition 1: what the zone's firms buy on active links, and from firms of the zone; by one column.
LSR = """
SELECT {by} AS key, coalesce(sum(value) FILTER (WHERE s_in), 0) AS local_value, sum(value) AS total_value
FROM {source} WHERE b_in AND status = 'active' GROUP BY ALL
"""

#: Per chain: with chains.csv a link counts for every chain naming its product; else for the buyer's industries.
CHAIN_OF_PRODUCT = """
(SELECT zl.*, s.chain FROM zl JOIN (SELECT DISTINCT chain, product FROM c UNION SELECT chain, input FROM c
                                    WHERE input <> '') s USING (product))
"""
CHAIN_OF_BUYER = """
(SELECT zl.*, i.chain FROM zl JOIN (SELECT DISTINCT id, chain FROM (
     SELECT id, trim(unnest(regexp_split_to_array(industry, '[;；]'))) AS chain FROM e WHERE zone = $zone)
     WHERE chain <> '') i ON i.id = zl.buyer_id)
"""

#: Definition 2 with chains.csv: per chain, each end product's upstream stages inside the chain's rows.
COVERAGE = """
WITH RECURSIVE
edges AS (SELECT DISTINCT chain, input AS p, product AS q FROM c WHERE input <> ''),
stages AS (SELECT chain, product AS p FROM c UNION SELECT chain, p FROM edges),
ends AS (SELECT chain, p AS q FROM stages s
         WHERE NOT EXISTS (SELECT 1 FROM edges x WHERE x.chain = s.chain AND x.p = s.p)),
up(chain, q, p) AS (
    SELECT chain, q, q FROM ends
    UNION SELECT up.chain, up.q, x.p FROM up JOIN edges x ON x.chain = up.chain AND x.q = up.p)
SELECT up.chain, up.q AS end_product, count(*) AS stages, count(m.product) AS covered
FROM up LEFT JOIN (SELECT DISTINCT product FROM makers) m ON m.product = up.p
GROUP BY ALL ORDER BY 1, 2
"""

#: Definition 2 without chains.csv: end products = what the zone's firms sell and none of them turns into another
#: product; upstream over the whole data's product flow graph (P -> Q: a firm buys P and sells Q, active links).
DERIVED_COVERAGE = """
CREATE OR REPLACE TEMP TABLE flow AS
WITH a AS (SELECT supplier_id, buyer_id, product FROM {links}
           WHERE coalesce(nullif(trim(status), ''), 'active') = 'active')
SELECT DISTINCT b.p, s.q
FROM (SELECT DISTINCT buyer_id AS firm, product AS p FROM a) b
JOIN (SELECT DISTINCT supplier_id AS firm, product AS q FROM a) s USING (firm)
WHERE b.p <> s.q;
WITH RECURSIVE
sold AS (SELECT DISTINCT supplier_id AS firm, product FROM zl WHERE s_in AND status = 'active'),
turned AS (SELECT DISTINCT z.product FROM zl z JOIN sold s ON s.firm = z.buyer_id
           WHERE z.b_in AND z.status = 'active' AND s.product <> z.product),
ends AS (SELECT DISTINCT product AS q FROM sold WHERE product NOT IN (SELECT product FROM turned)),
up(q, p) AS (SELECT q, q FROM ends UNION SELECT up.q, f.p FROM up JOIN flow f ON f.q = up.p)
SELECT NULL AS chain, up.q AS end_product, count(*) AS stages, count(m.product) AS covered
FROM up LEFT JOIN (SELECT DISTINCT product FROM makers) m ON m.product = up.p
GROUP BY ALL ORDER BY covered / stages, end_product
"""

#: A value-weighted mean landed cost (the plain mean where the values sum to 0).
WEIGHTED = "CASE WHEN sum(value) > 0 THEN sum(value * landed) / sum(value) ELSE avg(landed) END"

#: Definition 4: per (buyer, product) with former outside priced links and active local priced ones.
REALIZED = f"""
WITH
f AS (SELECT buyer_id, product, {WEIGHTED} AS before FROM zl
      WHERE status = 'former' AND b_in AND NOT s_in AND landed IS NOT NULL GROUP BY ALL),
n AS (SELECT buyer_id, product, {WEIGHTED} AS after, sum(vol) AS volume FROM zl
      WHERE status = 'active' AND b_in AND s_in AND landed IS NOT NULL GROUP BY ALL)
SELECT buyer_id, product, before, after, before - after AS unit_saving, volume,
       (before - after) * volume AS annual_saving
FROM f JOIN n USING (buyer_id, product)
ORDER BY buyer_id, product
"""

#: Definition 5: active outside links into the zone whose product another firm of the zone makes.
POTENTIAL = f"""
WITH
nm AS (SELECT product, count(*) AS n FROM makers GROUP BY product),
ref AS (SELECT product, {WEIGHTED} AS reference FROM zl
        WHERE status = 'active' AND s_in AND landed IS NOT NULL GROUP BY product),
o AS (SELECT zl.*, nm.n - (bm.maker IS NOT NULL)::INT AS candidate_count, r.reference AS market
      FROM zl JOIN nm USING (product)
      LEFT JOIN makers bm ON bm.product = zl.product AND bm.maker = zl.buyer_id
      LEFT JOIN ref r ON r.product = zl.product
      WHERE zl.status = 'active' AND zl.b_in AND NOT zl.s_in)
SELECT buyer_id, product, supplier_id, value, landed,
       CASE WHEN landed IS NULL THEN NULL ELSE coalesce(market, landed * (1 - $rate)) END AS reference,
       CASE WHEN landed IS NULL THEN 'no_price' WHEN market IS NULL THEN 'rate' ELSE 'local_market' END AS basis,
       candidate_count, CASE WHEN landed IS NULL THEN NULL ELSE coalesce(vol, 0) END AS volume,
       CASE WHEN landed IS NULL THEN value * $rate
            ELSE greatest(0, landed - coalesce(market, landed * (1 - $rate))) * coalesce(vol, 0) END AS annual_saving
FROM o WHERE candidate_count > 0
ORDER BY buyer_id, product, supplier_id, value, annual_saving
"""

#: ``analyze --all-zones``: every zone's headline figures, grouped by the buyer's (or supplier's) zone.
ALL_ZONES = f"""
WITH
zl AS MATERIALIZED (
    SELECT l.supplier_id, l.buyer_id, l.product, {{figures}}, s.zone AS s_zone, b.zone AS b_zone
    FROM {{links}} l LEFT JOIN e s ON s.id = l.supplier_id LEFT JOIN e b ON b.id = l.buyer_id),
act AS (SELECT * FROM zl WHERE status = 'active'),
zones AS (SELECT DISTINCT zone FROM e WHERE zone IS NOT NULL AND zone <> ''),
lsr AS (SELECT b_zone AS zone, sum(value) AS total, coalesce(sum(value) FILTER (WHERE s_zone = b_zone), 0) AS local
        FROM act WHERE b_zone IS NOT NULL GROUP BY 1),
makers AS (
    SELECT DISTINCT zone, product, maker FROM (
        SELECT zone, trim(unnest(regexp_split_to_array(products, '[;；]'))) AS product, id AS maker FROM e
        WHERE zone IS NOT NULL AND products IS NOT NULL
        UNION ALL SELECT s_zone, product, supplier_id FROM act WHERE s_zone IS NOT NULL) m
    WHERE product <> ''),
nm AS (SELECT zone, product, count(*) AS n FROM makers GROUP BY ALL),
f AS (SELECT buyer_id, product, {WEIGHTED} AS before FROM zl
      WHERE status = 'former' AND b_zone IS NOT NULL AND s_zone IS DISTINCT FROM b_zone AND landed IS NOT NULL
      GROUP BY ALL),
n AS (SELECT b_zone AS zone, buyer_id, product, {WEIGHTED} AS after, sum(vol) AS volume FROM act
      WHERE s_zone = b_zone AND landed IS NOT NULL GROUP BY ALL),
realized AS (SELECT zone, sum((before - after) * volume) AS total FROM f JOIN n USING (buyer_id, product) GROUP BY 1),
ref AS (SELECT s_zone AS zone, product, {WEIGHTED} AS reference FROM act
        WHERE s_zone IS NOT NULL AND landed IS NOT NULL GROUP BY ALL),
potential AS (
    SELECT o.b_zone AS zone,
           sum(CASE WHEN o.landed IS NULL THEN o.value * $rate
                    ELSE greatest(0, o.landed - coalesce(r.reference, o.landed * (1 - $rate))) * coalesce(o.vol, 0)
               END) AS total
    FROM act o JOIN nm ON nm.zone = o.b_zone AND nm.product = o.product
    LEFT JOIN makers bm ON bm.zone = o.b_zone AND bm.product = o.product AND bm.maker = o.buyer_id
    LEFT JOIN ref r ON r.zone = o.b_zone AND r.product = o.product
    WHERE o.b_zone IS NOT NULL AND o.s_zone IS DISTINCT FROM o.b_zone AND nm.n - (bm.maker IS NOT NULL)::INT > 0
    GROUP BY 1),
bought AS (
    SELECT b_zone AS zone, product, sum(value) AS purchase,
           coalesce(sum(value) FILTER (WHERE s_zone IS DISTINCT FROM b_zone), 0) AS demand
    FROM act WHERE b_zone IS NOT NULL GROUP BY ALL),
kinds AS (
    SELECT b.zone, CASE
        WHEN b.demand > 0 AND nm.n IS NULL THEN 'missing'
        WHEN nm.n = 1 AND round(b.purchase, 2) > 0 AND 2 * round(b.demand, 2) >= round(b.purchase, 2) THEN 'weak'
        END AS kind
    FROM bought b LEFT JOIN nm USING (zone, product)),
stages AS (SELECT product FROM c UNION SELECT input FROM c WHERE input <> ''),
empty AS (
    SELECT z.zone, count(*) AS n FROM zones z CROSS JOIN stages s
    LEFT JOIN nm ON nm.zone = z.zone AND nm.product = s.product
    LEFT JOIN bought b ON b.zone = z.zone AND b.product = s.product
    WHERE nm.n IS NULL AND coalesce(b.demand, 0) <= 0 GROUP BY 1),
counts AS (SELECT zone, count(*) FILTER (WHERE kind = 'missing') AS missing,
                  count(*) FILTER (WHERE kind = 'weak') AS weak FROM kinds GROUP BY 1)
SELECT z.zone, round(lsr.local / nullif(lsr.total, 0), 6) AS local_sourcing_ratio,
       round(coalesce(lsr.local, 0), 2) AS local_value, round(coalesce(lsr.total, 0), 2) AS total_value,
       round(coalesce(realized.total, 0), 2) AS total_realized, round(coalesce(potential.total, 0), 2) AS total_potential,
       coalesce(k.missing, 0) + coalesce(k.weak, 0) + coalesce(empty.n, 0) AS gaps,
       coalesce(k.missing, 0) AS missing, coalesce(k.weak, 0) AS weak, coalesce(empty.n, 0) AS empty
FROM zones z LEFT JOIN lsr USING (zone) LEFT JOIN realized USING (zone) LEFT JOIN potential USING (zone)
     LEFT JOIN counts k USING (zone) LEFT JOIN empty USING (zone)
ORDER BY z.zone
"""


def _table(folder: Path, stem: str) -> str | None:
    for ext, reader in ((".parquet", "read_parquet"), (".csv", "read_csv")):
        if (folder / f"{stem}{ext}").is_file():
            return f"{reader}('{folder / (stem + ext)}')"
    return None


def _connect(memory_limit: str | None, temp: str | None) -> Any:
    import duckdb

    config: dict[str, Any] = {"threads": 2}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp:
        config["temp_directory"] = temp
    return duckdb.connect(config=config)


def gaps(source: str, zone: str, *, memory_limit: str | None = None, temp: str | None = None,
         con: Any = None, enterprises: str | None = None, links: str | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """The zone's gaps (the first peer's query), over the raw files, or ``enterprises``/``links`` on ``con``."""
    folder = Path(source)
    con = con if con is not None else _connect(memory_limit, temp)
    chains = _table(folder, "chains")
    chain_products = (
        f"SELECT DISTINCT p AS product FROM (SELECT product AS p FROM {chains} UNION ALL SELECT input FROM {chains})"
        " c WHERE p IS NOT NULL AND p <> ''"
        if chains
        else "SELECT ''::VARCHAR AS product WHERE false"
    )
    text = SQL.format(enterprises=enterprises or _table(folder, "enterprises"), links=links or _table(folder, "links"),
                      chain_products=chain_products)  # fmt: skip
    cols = ["product", "kind", "external_demand", "suppliers", "shares"]
    return [dict(zip(cols, row, strict=True)) for row in con.execute(text, {"zone": zone}).fetchall()]


def _rows(con: Any, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(text, params or {})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _money(x: float | None) -> float:
    return round(float(x or 0.0), 2) + 0.0


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(float(a or 0.0) / float(b), 6) + 0.0 if b else None


def _unit(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6) + 0.0


class Peer:
    """One DuckDB connection over a data folder: the small tables loaded, the links read where a figure needs them."""

    def __init__(self, source: str, *, memory_limit: str | None = None, temp: str | None = None) -> None:
        self.folder = Path(source)
        self.con = _connect(memory_limit, temp)
        self.links = _table(self.folder, "links")
        chains = _table(self.folder, "chains")
        self.has_chains = chains is not None
        self.con.execute(LOAD.format(enterprises=_table(self.folder, "enterprises"),
                                     chains=chains or "(SELECT ''::VARCHAR AS chain, ''::VARCHAR AS product, "
                                     "''::VARCHAR AS input WHERE false)"))  # fmt: skip
        self.zone: str | None = None

    def _zone(self, zone: str) -> None:
        if self.zone != zone:
            for statement in ZONE_LINKS.format(figures=FIGURES, links=self.links).split(";\n")[:-1]:
                self.con.execute(statement, {"zone": zone})
            self.zone = zone

    def closure(self, zone: str) -> dict[str, Any]:
        self._zone(zone)
        (local, total), = self.con.execute(
            "SELECT coalesce(sum(value) FILTER (WHERE s_in), 0), coalesce(sum(value), 0) FROM zl "
            "WHERE b_in AND status = 'active'").fetchall()  # fmt: skip

        def by(column: str, source: str = "zl", params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
            return [{column: r["key"], "local_value": _money(r["local_value"]), "total_value": _money(r["total_value"]),
                     "local_sourcing_ratio": _ratio(r["local_value"], r["total_value"])}
                    for r in _rows(self.con, LSR.format(by=column, source=source),
                                   params)]  # fmt: skip

        if self.has_chains:
            by_chain, coverage = by("chain", CHAIN_OF_PRODUCT), _rows(self.con, COVERAGE)
        else:
            by_chain = by("chain", CHAIN_OF_BUYER, {"zone": zone})
            flow, query = DERIVED_COVERAGE.format(links=self.links).split(";\n")
            self.con.execute(flow)
            coverage = _rows(self.con, query)
        chains = [{"chain": r["chain"], "end_product": r["end_product"], "stages": r["stages"], "covered": r["covered"],
                   "stage_coverage": _ratio(r["covered"], r["stages"])} for r in coverage]  # fmt: skip
        return {"zone": zone, "local_sourcing_ratio": _ratio(local, total), "local_value": _money(local),
                "total_value": _money(total), "chains": chains, "by_buyer": by("buyer_id"),
                "by_product": by("product"), "by_chain": by_chain}  # fmt: skip

    def savings(self, zone: str, *, rate: float = 0.05) -> dict[str, Any]:
        self._zone(zone)
        realized = [{"buyer_id": r["buyer_id"], "product": r["product"], "before": _unit(r["before"]),
                     "after": _unit(r["after"]), "unit_saving": _unit(r["unit_saving"]),
                     "volume": round(float(r["volume"]), 4), "annual_saving": _money(r["annual_saving"]),
                     "_exact": r["annual_saving"]} for r in _rows(self.con, REALIZED)]  # fmt: skip
        potential = [{"buyer_id": r["buyer_id"], "product": r["product"], "supplier_id": r["supplier_id"],
                      "value": _money(r["value"]), "landed": _unit(r["landed"]), "reference": _unit(r["reference"]),
                      "reference_basis": r["basis"], "volume": _unit(r["volume"]),
                      "annual_saving": _money(r["annual_saving"]), "candidate_count": r["candidate_count"],
                      "_exact": r["annual_saving"]} for r in _rows(self.con, POTENTIAL, {"rate": rate})]  # fmt: skip
        out = {"zone": zone, "local_saving_rate": rate, "realized": realized, "potential": potential,
               "total_realized": _money(sum(r.pop("_exact") for r in realized)),
               "total_potential": _money(sum(r.pop("_exact") for r in potential))}  # fmt: skip
        return out

    def gaps(self, zone: str) -> dict[str, Any]:
        self._zone(zone)  # the zone's links hold every column the gaps query reads
        return {"zone": zone, "gaps": gaps(str(self.folder), zone, con=self.con, enterprises="e", links="zl")}

    def analyze(self, zone: str, *, rate: float = 0.05) -> dict[str, Any]:
        return {"zone": zone, "closure": self.closure(zone), "savings": self.savings(zone, rate=rate),
                "gaps": self.gaps(zone)}  # fmt: skip

    def all_zones(self, *, rate: float = 0.05) -> dict[str, Any]:
        text = ALL_ZONES.format(figures=FIGURES, links=self.links)
        return {"zones": _rows(self.con, text, {"rate": rate})}


# -- agreement with chaingraph's JSON ------------------------------------------------------------------------


def _near(a: Any, b: Any, tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tol


YUAN, RATIO = 1.0, 1.5e-6  # money to the 元 (plain SUM against chaingraph's exact sums), ratios and prices to 1e-6


def _same(what: str, a: dict[str, Any], b: dict[str, Any], money: tuple[str, ...], ratios: tuple[str, ...] = (),
          exact: tuple[str, ...] = ()) -> list[str]:  # fmt: skip
    out = [f"{what} {k}: peer {a.get(k)} chaingraph {b.get(k)}" for k in money if not _near(a.get(k), b.get(k), YUAN)]
    out += [
        f"{what} {k}: peer {a.get(k)} chaingraph {b.get(k)}" for k in ratios if not _near(a.get(k), b.get(k), RATIO)
    ]
    out += [f"{what} {k}: peer {a.get(k)} chaingraph {b.get(k)}" for k in exact if a.get(k) != b.get(k)]
    return out


def _keyed(what: str, peer: list[dict[str, Any]], ours: list[dict[str, Any]], key: tuple[str, ...],
           **fields: tuple[str, ...]) -> list[str]:  # fmt: skip
    """Rows matched by ``key`` (several rows of one key, links of one pair: by annual saving, value, landed cost)."""

    def order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda r: (tuple(str(r[k]) for k in key),
                                           *(float(r.get(k) or 0) for k in ("annual_saving", "value", "landed"))))  # fmt: skip

    a, b = order(peer), order(ours)
    ka, kb = [tuple(r[k] for k in key) for r in a], [tuple(r[k] for k in key) for r in b]
    if ka != kb:
        only_a, only_b = sorted(set(ka) - set(kb), key=str), sorted(set(kb) - set(ka), key=str)
        return [f"{what}: {len(a)} rows vs {len(b)}; only the peer's {only_a[:3]}, only chaingraph's {only_b[:3]}"]
    out: list[str] = []
    for x, y in zip(a, b, strict=True):
        out += _same(f"{what} {tuple(x[k] for k in key)}", x, y, **fields)
    return out


def _closure(peer: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    out = _same("closure", peer, ours, ("local_value", "total_value"), ("local_sourcing_ratio",))
    lsr = {"money": ("local_value", "total_value"), "ratios": ("local_sourcing_ratio",)}
    out += _keyed("by_buyer", peer["by_buyer"], ours["by_buyer"], ("buyer_id",), **lsr)
    out += _keyed("by_product", peer["by_product"], ours["by_product"], ("product",), **lsr)
    out += _keyed("by_chain", peer["by_chain"], ours["by_chain"], ("chain",), **lsr)
    out += _keyed("coverage", peer["chains"], ours["chains"], ("chain", "end_product"), money=(),
                  ratios=("stage_coverage",), exact=("stages", "covered"))  # fmt: skip
    return out


def _savings(peer: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    out = _same("savings", peer, ours, ("total_realized", "total_potential"))
    out += _keyed("realized", peer["realized"], ours["realized"], ("buyer_id", "product"), money=("annual_saving", "volume"),
                  ratios=("before", "after", "unit_saving"))  # fmt: skip
    out += _keyed("potential", peer["potential"], ours["potential"], ("buyer_id", "product", "supplier_id"),
                  money=("annual_saving", "value", "volume"), ratios=("landed", "reference"),
                  exact=("reference_basis", "candidate_count"))  # fmt: skip
    return out


def _gaps(peer: list[dict[str, Any]], ours: dict[str, Any]) -> list[str]:
    """Differences between the peer's gaps and chaingraph's (kind, demand to the fen)."""

    def key(rows: list[dict[str, Any]]) -> dict[str, tuple[str, float]]:
        return {str(r["product"]): (str(r["kind"]), round(float(r["external_demand"]), 2)) for r in rows
                if r["kind"] in ("missing", "weak")}  # fmt: skip

    a, b = key(peer), key(ours["gaps"])
    return [f"{p}: peer {a.get(p)} chaingraph {b.get(p)}" for p in sorted(set(a) | set(b)) if a.get(p) != b.get(p)]


def _all_zones(peer: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    return _keyed("zone", peer["zones"], ours["zones"], ("zone",),
                  money=("local_value", "total_value", "total_realized", "total_potential"),
                  ratios=("local_sourcing_ratio",), exact=("gaps", "missing", "weak", "empty"))  # fmt: skip


def agree(kind: str, peer: Any, ours: dict[str, Any]) -> list[str]:
    """Where the peer's figures differ from chaingraph's JSON for the same command (empty: they agree).

    ``kind`` is one of :data:`KINDS`; ``peer`` the peer's JSON for it (for ``gaps`` also its list of rows, as the
    first peer was called), ``ours`` chaingraph's ``-f json`` output of that command.
    """
    if kind == "gaps":
        return _gaps(peer["gaps"] if isinstance(peer, dict) else peer, ours)
    if kind == "closure":
        return _closure(peer, ours)
    if kind == "savings":
        return _savings(peer, ours)
    if kind == "analyze":
        return (
            _closure(peer["closure"], ours["closure"])
            + _savings(peer["savings"], ours["savings"])
            + _gaps(peer["gaps"]["gaps"], ours["gaps"])
        )
    if kind == "all-zones":
        return _all_zones(peer, ours)
    raise ValueError(f"no peer for {kind!r}: one of {', '.join(KINDS)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source")
    ap.add_argument("zone", nargs="?", help="the zone (every kind but all-zones)")
    ap.add_argument("--kind", choices=KINDS, default="gaps")
    ap.add_argument("--rate", type=float, default=0.05, help="the local saving rate (definition 5)")
    ap.add_argument("--memory-limit")
    ap.add_argument("--temp-directory")
    args = ap.parse_args()
    if args.kind != "all-zones" and not args.zone:
        ap.error(f"--kind {args.kind} needs a ZONE")
    if args.kind == "gaps":  # the first peer, as measured in issue 20: one query over the raw files
        out: dict[str, Any] = {"zone": args.zone, "gaps": gaps(args.source, args.zone, memory_limit=args.memory_limit,
                                                               temp=args.temp_directory)}  # fmt: skip
    else:
        peer = Peer(args.source, memory_limit=args.memory_limit, temp=args.temp_directory)
        if args.kind == "closure":
            out = peer.closure(args.zone)
        elif args.kind == "savings":
            out = peer.savings(args.zone, rate=args.rate)
        elif args.kind == "analyze":
            out = peer.analyze(args.zone, rate=args.rate)
        else:
            out = peer.all_zones(rate=args.rate)
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")  # dumps: json.dump encodes in pure Python


if __name__ == "__main__":
    main()
