// resilience.cypher — 供应韧性: per product a zone buys, its suppliers' shares of the zone's
// purchases, their Herfindahl index (HHI) and whether the supply rests on one supplier
// (docs/analysis.md, "Resilience"). Suppliers are counted by firm, local and outside alike
// (a trader too), shares by yearly value; highly concentrated = HHI above the threshold
// (default 0.25 = 2500 points, U.S. Horizontal Merger Guidelines 2010, §5.3).
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active', 'planned'], threshold: 0.18})
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses,
     coalesce(opt.threshold, 0.25) AS threshold
MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
WHERE b[scope] = zone AND r.status IN statuses
WITH threshold, r.product AS product, s, s[scope] = zone AS local, sum(r.value) AS value
WHERE value > 0
ORDER BY product, value DESC, s.id
WITH threshold, product, collect({id: s.id, name: s.name, zone: s.zone, local: local, value: value}) AS sups,
     sum(value) AS purchases
WITH threshold, product, purchases, [x IN sups | x {.*, share: x.value / purchases}] AS suppliers
WITH threshold, product, purchases, suppliers, reduce(h = 0.0, x IN suppliers | h + x.share * x.share) AS hhi
RETURN product, purchases, size(suppliers) AS supplier_count,
       size([x IN suppliers WHERE x.local]) AS local_suppliers, hhi,
       size(suppliers) = 1 AS single_point, round(hhi, 6) > threshold AS concentrated, suppliers
ORDER BY hhi DESC, purchases DESC, product
