// matrix_zones.cypher — how many zones of the scope make something (the rows of the gap matrix's
// co-location matrix M, docs/analysis.md "Where to invest"): firms listing a product or selling one
// on a counted link, outside regions included.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
CALL (scope, statuses) {
  MATCH (e:Enterprise) WHERE EXISTS { (e)-[:MAKES]->() }
  RETURN e[scope] AS place
  UNION
  MATCH (e:Enterprise)-[r:SUPPLIES]->() WHERE r.status IN statuses
  RETURN e[scope] AS place
}
WITH place WHERE place IS NOT NULL AND place <> ''
RETURN count(DISTINCT place) AS zones
