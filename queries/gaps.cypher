// gaps.cypher — 缺链清单 / a zone's promotion list (docs/analysis.md definition 6).
// missing: bought from outside, no maker in the zone; weak: one maker in the zone while
// at least half the zone's purchases still come from outside; empty: a chain-map stage
// with no maker in the zone. suppliers (with their share) are the invitation targets.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active', 'planned']})
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
OPTIONAL MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
WHERE b[scope] = zone AND r.status IN statuses
// sums in full precision; the weak rule compares them as shown, to the fen (docs/analysis.md)
WITH zone, scope, statuses, r.product AS product, sum(r.value) AS purchase,
     sum(CASE WHEN s[scope] = zone THEN 0.0 ELSE r.value END) AS demand
WITH zone, scope, statuses,
     collect(CASE WHEN product IS NULL THEN null
                  ELSE {product: product, purchase: purchase, demand: demand} END) AS bought
WITH zone, scope, statuses, bought,
     COLLECT { MATCH (p:Product)-[:IN_CHAIN]->(:Chain) RETURN DISTINCT p.name } AS staged
UNWIND bought + [p IN staged WHERE NOT p IN [x IN bought | x.product] | {product: p, purchase: 0.0, demand: 0.0}] AS row
WITH zone, scope, statuses, staged, row.product AS product, row.purchase AS purchase, row.demand AS demand,
     COLLECT {
       CALL (row, zone, scope, statuses) {
         MATCH (m:Enterprise)-[:MAKES]->(:Product {name: row.product}) WHERE m[scope] = zone RETURN m
         UNION
         MATCH (m:Enterprise)-[x:SUPPLIES]->()
         WHERE m[scope] = zone AND x.product = row.product AND x.status IN statuses RETURN m
       }
       WITH m, COLLECT { MATCH (m)-[x:SUPPLIES]->() WHERE x.product = row.product AND x.status IN statuses
                         RETURN x.value } AS sales
       WITH m, reduce(t = 0.0, v IN sales | t + v) AS sold
       ORDER BY sold DESC, m.id
       RETURN m.id
     } AS makers
WITH zone, scope, statuses, product, purchase, demand, makers, product IN staged AS in_chain_map,
     toInteger(round(purchase * 100)) AS purchase_fen, toInteger(round(demand * 100)) AS demand_fen
WITH zone, scope, statuses, product, purchase, demand, makers, in_chain_map,
     CASE WHEN demand > 0 AND size(makers) = 0 THEN 'missing'
          WHEN size(makers) = 1 AND purchase_fen > 0 AND 2 * demand_fen >= purchase_fen THEN 'weak'
          WHEN size(makers) = 0 AND in_chain_map THEN 'empty' END AS kind
WHERE kind IS NOT NULL
CALL (product, zone, scope, statuses) {
  OPTIONAL MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
  WHERE r.product = product AND r.status IN statuses AND b[scope] = zone AND NOT s[scope] = zone
  WITH b, sum(r.value) AS value ORDER BY value DESC, b.id
  RETURN collect(CASE WHEN b IS NULL THEN null ELSE {id: b.id, name: b.name, value: value} END) AS buyers
}
CALL (product, demand, zone, scope, statuses) {
  OPTIONAL MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
  WHERE r.product = product AND r.status IN statuses AND b[scope] = zone AND NOT s[scope] = zone
  WITH s, sum(r.value) AS value ORDER BY value DESC, s.id
  RETURN collect(CASE WHEN s IS NULL THEN null
                      ELSE {id: s.id, name: s.name, zone: s.zone, value: value, share: value / demand}
                 END) AS suppliers
}
WITH statuses, product, kind, purchase, demand, makers, in_chain_map, buyers, suppliers, COLLECT {
  MATCH (m:Enterprise)-[:MAKES]->(p:Product) WHERE m[scope] = zone RETURN p.name AS made
  UNION
  MATCH (m:Enterprise)-[x:SUPPLIES]->() WHERE m[scope] = zone AND x.status IN statuses RETURN x.product AS made
} AS made
CALL (product, in_chain_map, made, statuses) {
  // downstream products made in the zone: in the chain map when the product is in it, else in the flow graph
  MATCH (p:Product {name: product})
  OPTIONAL MATCH (p)-[fs:FEEDS|FLOWS*1..]->(q:Product)
  WHERE q.name IN made AND q.name <> product
    AND all(f IN fs WHERE CASE WHEN in_chain_map THEN type(f) = 'FEEDS'
                               ELSE type(f) = 'FEEDS' OR 'planned' IN statuses OR NOT f.planned_only END)
  WITH DISTINCT q.name AS d ORDER BY d
  RETURN collect(d) AS dependents
}
RETURN product, kind, demand AS external_demand, purchase AS local_purchase,
       CASE WHEN purchase = 0 THEN null ELSE demand / purchase END AS outside_share,
       makers AS local_makers, buyers, suppliers, dependents,
       COLLECT { MATCH (:Product {name: product})-[:IN_CHAIN]->(c:Chain) RETURN DISTINCT c.name ORDER BY c.name }
         AS chains
ORDER BY external_demand DESC, CASE kind WHEN 'missing' THEN 0 WHEN 'weak' THEN 1 ELSE 2 END, product
