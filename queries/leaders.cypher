// leaders.cypher — 链主: a zone's firms ranked by the supply value they anchor
// (docs/analysis.md definition 8). anchored_value = all of the firm's purchases + its sales
// to firms in the zone; share = anchored_value / the zone's total anchored value.
// Each row lists the firm's largest local and outside suppliers and buyers (10 each).
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active', 'planned']})
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
MATCH (f:Enterprise)
WHERE f[scope] = zone
CALL (f, zone, scope, statuses) {
  OPTIONAL MATCH (s:Enterprise)-[r:SUPPLIES]->(f)
  WHERE r.status IN statuses
  RETURN coalesce(sum(r.value), 0.0) AS purchases,
         coalesce(sum(CASE WHEN s[scope] = zone THEN r.value ELSE 0.0 END), 0.0) AS local_purchases
}
CALL (f, zone, scope, statuses) {
  OPTIONAL MATCH (f)-[r:SUPPLIES]->(b:Enterprise)
  WHERE r.status IN statuses
  RETURN coalesce(sum(CASE WHEN b[scope] = zone THEN r.value ELSE 0.0 END), 0.0) AS local_sales,
         coalesce(sum(CASE WHEN b[scope] = zone THEN 0.0 ELSE r.value END), 0.0) AS outside_sales
}
WITH zone, scope, statuses, f, purchases, local_purchases, local_sales, outside_sales,
     purchases + local_sales AS anchored
WHERE anchored > 0
WITH zone, scope, statuses, collect({f: f, purchases: purchases, local_purchases: local_purchases,
     local_sales: local_sales, outside_sales: outside_sales, anchored: anchored}) AS rows, sum(anchored) AS grand
UNWIND rows AS row
WITH zone, scope, statuses, grand, row, row.f AS f
RETURN f.id AS id, f.name AS name, coalesce(f.chain_leader, false) AS declared, row.anchored AS anchored_value,
       row.anchored / grand AS share, row.purchases AS purchases, row.local_purchases AS local_purchases,
       row.local_sales AS local_sales, row.outside_sales AS outside_sales,
       COLLECT { MATCH (p:Enterprise)-[r:SUPPLIES]->(f) WHERE r.status IN statuses AND p[scope] = zone
                 WITH p, sum(r.value) AS v ORDER BY v DESC, p.id LIMIT 10
                 RETURN {id: p.id, name: p.name, zone: p.zone, value: v} } AS local_suppliers,
       COLLECT { MATCH (p:Enterprise)-[r:SUPPLIES]->(f) WHERE r.status IN statuses AND NOT p[scope] = zone
                 WITH p, sum(r.value) AS v ORDER BY v DESC, p.id LIMIT 10
                 RETURN {id: p.id, name: p.name, zone: p.zone, value: v} } AS outside_suppliers,
       COLLECT { MATCH (f)-[r:SUPPLIES]->(p:Enterprise) WHERE r.status IN statuses AND p[scope] = zone
                 WITH p, sum(r.value) AS v ORDER BY v DESC, p.id LIMIT 10
                 RETURN {id: p.id, name: p.name, zone: p.zone, value: v} } AS local_buyers,
       COLLECT { MATCH (f)-[r:SUPPLIES]->(p:Enterprise) WHERE r.status IN statuses AND NOT p[scope] = zone
                 WITH p, sum(r.value) AS v ORDER BY v DESC, p.id LIMIT 10
                 RETURN {id: p.id, name: p.name, zone: p.zone, value: v} } AS outside_buyers
ORDER BY anchored_value DESC, id
