"""The DuckDB peer: what a data analyst would write instead of ``chaingraph gaps`` (issue 20).

Sixty lines of SQL over the raw files (CSV or Parquet), no validation: the zone's missing and weak links
(definition 6 of docs/analysis.md) with their external demand and outside suppliers, without the
dependents.  ``agree`` checks the gap set and demand against chaingraph's JSON.

    python benchmarks/duckdb_peer.py SOURCE ZONE [--memory-limit 8GB] > peer.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

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


def _table(folder: Path, stem: str) -> str | None:
    for ext, reader in ((".parquet", "read_parquet"), (".csv", "read_csv")):
        if (folder / f"{stem}{ext}").is_file():
            return f"{reader}('{folder / (stem + ext)}')"
    return None


def gaps(source: str, zone: str, *, memory_limit: str | None = None, temp: str | None = None) -> list[dict[str, Any]]:
    import duckdb

    folder = Path(source)
    config: dict[str, Any] = {"threads": 2}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp:
        config["temp_directory"] = temp
    con = duckdb.connect(config=config)
    chains = _table(folder, "chains")
    chain_products = (
        f"SELECT DISTINCT p AS product FROM (SELECT product AS p FROM {chains} UNION ALL SELECT input FROM {chains})"
        " c WHERE p IS NOT NULL AND p <> ''"
        if chains
        else "SELECT ''::VARCHAR AS product WHERE false"
    )
    text = SQL.format(enterprises=_table(folder, "enterprises"), links=_table(folder, "links"),
                      chain_products=chain_products)  # fmt: skip
    cols = ["product", "kind", "external_demand", "suppliers", "shares"]
    return [dict(zip(cols, row, strict=True)) for row in con.execute(text, {"zone": zone}).fetchall()]


def agree(peer: list[dict[str, Any]], ours: dict[str, Any]) -> list[str]:
    """Differences between the peer's missing/weak gaps and chaingraph's (kind, demand to the fen)."""

    def key(rows: list[dict[str, Any]]) -> dict[str, tuple[str, float]]:
        return {str(r["product"]): (str(r["kind"]), round(float(r["external_demand"]), 2)) for r in rows
                if r["kind"] in ("missing", "weak")}  # fmt: skip

    a, b = key(peer), key(ours["gaps"])
    return [f"{p}: peer {a.get(p)} chaingraph {b.get(p)}" for p in sorted(set(a) | set(b)) if a.get(p) != b.get(p)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source")
    ap.add_argument("zone")
    ap.add_argument("--memory-limit")
    ap.add_argument("--temp-directory")
    args = ap.parse_args()
    rows = gaps(args.source, args.zone, memory_limit=args.memory_limit, temp=args.temp_directory)
    json.dump({"zone": args.zone, "gaps": rows}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
