// gaps.cypher — 缺链清单 / a zone's promotion list (docs/analysis.md definition 6).
// missing: bought from outside, no maker in the zone; weak: one maker in the zone while
// at least half the zone's purchases still come from outside; empty: a chain-map stage
// with no maker in the zone. suppliers (with their share) are the invitation targets.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active', 'planned']})
//
// One pass over the zone's links gives every product's purchases, makers, buyers and suppliers
// (rows tagged by what they count, grouped by product), and the products downstream of a gap
// come from the lists `chaingraph neo4j load` keeps on each Product (down_active, down_planned:
// everything reachable over FEEDS and FLOWS), not from a walk of the flow graph per gap.
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
CALL (zone, scope, statuses) {
  // one pass over the zone's links, one row per fact: purchases (tag p), outside buyers (b) and
  // suppliers (s) of a product, makers with what they sold (m), the chain map's stages (c)
  MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
  WHERE b[scope] = zone AND r.status IN statuses
  WITH zone, scope, r, s, b, s[scope] = zone AS local
  UNWIND CASE WHEN local THEN ['p'] ELSE ['p', 'b', 's'] END AS tag
  RETURN r.product AS product, tag,
         CASE tag WHEN 'b' THEN b.id WHEN 's' THEN s.id END AS id,
         CASE tag WHEN 'b' THEN b.name WHEN 's' THEN s.name END AS name,
         CASE tag WHEN 's' THEN s.zone END AS home,
         CASE tag WHEN 'p' THEN r.value ELSE 0.0 END AS purchase,
         CASE WHEN tag = 'p' AND NOT local THEN r.value ELSE 0.0 END AS demand,
         CASE tag WHEN 'p' THEN 0.0 ELSE r.value END AS v, 0 AS staged
  UNION ALL
  MATCH (m:Enterprise)-[:MAKES]->(p:Product) WHERE m[scope] = zone
  RETURN p.name AS product, 'm' AS tag, m.id AS id, null AS name, null AS home, 0.0 AS purchase, 0.0 AS demand,
         0.0 AS v, 0 AS staged
  UNION ALL
  MATCH (m:Enterprise)-[x:SUPPLIES]->() WHERE m[scope] = zone AND x.status IN statuses
  RETURN x.product AS product, 'm' AS tag, m.id AS id, null AS name, null AS home, 0.0 AS purchase, 0.0 AS demand,
         x.value AS v, 0 AS staged
  UNION ALL
  MATCH (p:Product)-[:IN_CHAIN]->(:Chain)
  RETURN DISTINCT p.name AS product, 'c' AS tag, null AS id, null AS name, null AS home, 0.0 AS purchase,
         0.0 AS demand, 0.0 AS v, 1 AS staged
}
WITH zone, scope, statuses, product, tag, id, name, home, sum(purchase) AS purchase, sum(demand) AS demand,
     sum(v) AS v, max(staged) AS staged
ORDER BY v DESC, id
// sums in full precision; the weak rule compares them as shown, to the fen (docs/analysis.md)
WITH zone, scope, statuses, product, sum(purchase) AS purchase, sum(demand) AS demand,
     collect(CASE tag WHEN 'm' THEN id END) AS makers,
     collect(CASE tag WHEN 'b' THEN {id: id, name: name, value: v} END) AS buyers,
     collect(CASE tag WHEN 's' THEN {id: id, name: name, zone: home, value: v} END) AS suppliers,
     max(staged) = 1 AS in_chain_map
WITH zone, scope, statuses, collect({product: product, purchase: purchase, demand: demand, makers: makers,
     buyers: buyers, suppliers: suppliers, in_chain_map: in_chain_map}) AS rows
WITH zone, scope, statuses, rows, [x IN rows WHERE size(x.makers) > 0 | x.product] AS made
UNWIND rows AS row
WITH zone, scope, statuses, made, row, row.product AS product, row.purchase AS purchase, row.demand AS demand,
     row.makers AS makers, row.in_chain_map AS in_chain_map,
     toInteger(round(row.purchase * 100)) AS purchase_fen, toInteger(round(row.demand * 100)) AS demand_fen
WITH zone, scope, statuses, made, row, product, purchase, demand, makers, in_chain_map,
     CASE WHEN demand > 0 AND size(makers) = 0 THEN 'missing'
          WHEN size(makers) = 1 AND purchase_fen > 0 AND 2 * demand_fen >= purchase_fen THEN 'weak'
          WHEN size(makers) = 0 AND in_chain_map THEN 'empty' END AS kind
WHERE kind IS NOT NULL
WITH zone, scope, statuses, made, product, purchase, demand, makers, in_chain_map, kind, row.buyers AS buyers,
     [x IN row.suppliers | x {.*, share: x.value / demand}] AS suppliers
MATCH (p:Product {name: product})
CALL (p, product, in_chain_map, made, statuses) {
  // downstream products made in the zone: in the chain map when the product is in it, else in the flow graph
  WITH CASE WHEN in_chain_map THEN COLLECT { MATCH (p)-[:FEEDS]->+(q:Product) RETURN DISTINCT q.name }
            WHEN 'planned' IN statuses THEN coalesce(p.down_planned, [])
            ELSE coalesce(p.down_active, []) END AS down
  UNWIND down AS d
  WITH DISTINCT d WHERE d IN made AND d <> product
  ORDER BY d
  RETURN collect(d) AS dependents
}
RETURN product, kind, demand AS external_demand, purchase AS local_purchase,
       CASE WHEN purchase = 0 THEN null ELSE demand / purchase END AS outside_share,
       makers AS local_makers, buyers, suppliers, dependents,
       COLLECT { MATCH (p)-[:IN_CHAIN]->(c:Chain) RETURN DISTINCT c.name ORDER BY c.name } AS chains
ORDER BY external_demand DESC, CASE kind WHEN 'missing' THEN 0 WHEN 'weak' THEN 1 ELSE 2 END, product
