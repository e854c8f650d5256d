// closure.cypher — 链条闭环: local sourcing ratio and stage coverage of a zone
// (docs/analysis.md definitions 1 and 2). One row per (chain, end product).
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: make $zone a map, e.g.
//   :param zone => ({name: '晋城市', scope: 'city', statuses: ['active', 'planned']})
// (scope 'zone' | 'city' | 'province', default 'zone'; statuses default ['active']).
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
MATCH (b:Enterprise)
WHERE b[scope] = zone
OPTIONAL MATCH (s:Enterprise)-[r:SUPPLIES]->(b)
WHERE r.status IN statuses
WITH zone, scope, statuses, coalesce(sum(r.value), 0.0) AS total_value,
     sum(CASE WHEN s[scope] = zone THEN r.value ELSE 0.0 END) AS local_value
WITH zone, scope, statuses, total_value, local_value, COLLECT {
  MATCH (m:Enterprise)-[:MAKES]->(p:Product) WHERE m[scope] = zone RETURN p.name AS made
  UNION
  MATCH (m:Enterprise)-[x:SUPPLIES]->() WHERE m[scope] = zone AND x.status IN statuses RETURN x.product AS made
} AS made
OPTIONAL CALL (zone, scope, statuses) {
  // with a chain map: end products feed no other product of their chain; U inside the chain
  MATCH (q:Product)-[:IN_CHAIN]->(c:Chain)
  WHERE NOT EXISTS { MATCH (q)-[f:FEEDS]->(:Product) WHERE f.chain = c.name }
  MATCH (u:Product)-[fs:FEEDS*0..]->(q)
  WHERE all(f IN fs WHERE f.chain = c.name)
  RETURN c.name AS chain, q.name AS end_product, collect(DISTINCT u.name) AS upstream
  UNION ALL
  // without one: products the zone sells that no zone firm turns into another product; U over FLOWS
  MATCH (s:Enterprise)-[x:SUPPLIES]->()
  WHERE NOT EXISTS { MATCH (:Chain) } AND s[scope] = zone AND x.status IN statuses
  WITH DISTINCT x.product AS q
  WHERE NOT EXISTS {
    MATCH ()-[r1:SUPPLIES]->(e:Enterprise)-[r2:SUPPLIES]->()
    WHERE e[scope] = zone AND r1.product = q AND r2.product <> q AND r1.status IN statuses AND r2.status IN statuses
  }
  MATCH (qn:Product {name: q})
  MATCH (u:Product)-[fs:FLOWS*0..]->(qn)
  WHERE all(f IN fs WHERE 'planned' IN statuses OR NOT f.planned_only)
  RETURN null AS chain, q AS end_product, collect(DISTINCT u.name) AS upstream
}
WITH zone, total_value, local_value, made, chain, end_product, upstream,
     size([p IN upstream WHERE p IN made]) AS covered
RETURN zone,
       CASE WHEN total_value = 0 THEN null ELSE local_value / total_value END AS local_sourcing_ratio,
       local_value, total_value,
       chain, end_product, size(upstream) AS stages, covered,
       CASE WHEN upstream IS NULL THEN null ELSE toFloat(covered) / size(upstream) END AS stage_coverage,
       covered = size(upstream) AS closed,
       [p IN upstream WHERE NOT p IN made] AS missing_stages
ORDER BY chain, end_product
