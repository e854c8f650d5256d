// reroute.cypher — 改道: the zone's links routed through intermediary Y, which X would
// handle instead (--reroute-via X --replacing Y). The seed case: 香港 → 深圳 → 晋城 moved
// to 香港 → 兰花保税 → 晋城.
//
// Neo4j Browser:  :param zone => ({name: '晋城经开区', replacing: 'SZ-TC'})   then run this file.
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses,
     opt.replacing AS replacing
CALL (zone, scope, statuses, replacing) {
  MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
  WHERE s[scope] = zone AND r.status IN statuses AND replacing IN coalesce(r.via, [])
  RETURN s, r, b
  UNION
  MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
  WHERE b[scope] = zone AND r.status IN statuses AND replacing IN coalesce(r.via, [])
  RETURN s, r, b
}
RETURN s.id AS supplier_id, b.id AS buyer_id, r.product AS product, r.value AS value, r.line AS line
ORDER BY value DESC, line
