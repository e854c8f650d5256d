// style_zone.cypher — label a zone's firms :Local and all others :Outside, so the
// chaingraph.grass style colours local firms blue and outside firms purple.
// Neo4j Browser:  :param zone => '晋城经开区'   then run this whole file.
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope
MATCH (e:Enterprise)
CALL (e, zone, scope) {
  WITH e WHERE e[scope] = zone
  SET e:Local REMOVE e:Outside
  UNION
  WITH e WHERE e[scope] IS NULL OR e[scope] <> zone
  SET e:Outside REMOVE e:Local
}
RETURN count(e) AS marked
