// matrix_scale.cypher — the zone's own output and employment, for the gap matrix's multiplier
// (docs/analysis.md, "Where to invest"): the output_value of each firm of the zone that reports one,
// and (output_value, employees) of each firm reporting both. chaingraph sums them exactly.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope
MATCH (e:Enterprise)
WHERE e[scope] = zone
WITH e.output_value AS o, e.employees AS n
RETURN [x IN collect(o) WHERE x IS NOT NULL AND x > 0] AS outputs,
       [x IN collect(CASE WHEN o > 0 AND n > 0 THEN [o, n] END) WHERE x IS NOT NULL] AS both
