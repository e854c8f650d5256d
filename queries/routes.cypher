// routes.cypher — 贸易路径 (docs/analysis.md definition 7): for a zone's routed links (with `via`),
// the yearly value that passes each intermediary, and the routes it is on.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active', 'planned']})
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
CALL (zone, scope, statuses) {
  // the zone's routed links, from its firms' side (each firm's own links, not a scan of every link)
  MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
  WHERE s[scope] = zone AND r.status IN statuses AND size(coalesce(r.via, [])) > 0
  RETURN s, r, b
  UNION
  MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
  WHERE b[scope] = zone AND r.status IN statuses AND size(coalesce(r.via, [])) > 0
  RETURN s, r, b
}
CALL (r) {
  UNWIND r.via AS v
  OPTIONAL MATCH (e:Enterprise {id: v})
  RETURN collect(coalesce(e.name, v)) AS middle
}
WITH r, [s.name] + middle + [b.name] AS hops
WITH r, reduce(t = '', h IN hops | t + CASE WHEN t = '' THEN '' ELSE ' → ' END + toString(h)) AS route
UNWIND r.via AS via
MATCH (x:Enterprise {id: via})
WITH x, sum(r.value) AS value, count(r) AS links, collect(DISTINCT route) AS routes
RETURN x.id AS id, x.name AS name, x.zone AS zone, value, links,
       COLLECT { UNWIND routes AS t RETURN t ORDER BY t } AS routes
ORDER BY value DESC, id
