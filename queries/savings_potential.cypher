// savings_potential.cypher — 潜在节约 (docs/analysis.md definition 5): active links into a zone
// from outside for a product that another firm of the zone makes. reference = the
// value-weighted mean landed cost of the zone's priced sales of the product; without
// one, landed × (1 − rate); a link without unit price saves value × rate.
// candidates: the zone's makers other than the buyer, largest local sales first (10 at most).
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active'], rate: 0.05})
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses,
     toFloat(coalesce(opt.rate, 0.05)) AS rate
MATCH (s:Enterprise)-[l:SUPPLIES]->(b:Enterprise)
WHERE b[scope] = zone AND NOT s[scope] = zone AND l.status IN statuses
WITH zone, scope, statuses, rate, s, l, b, COLLECT {
  CALL (l, zone, scope, statuses) {
    MATCH (m:Enterprise)-[:MAKES]->(:Product {name: l.product}) WHERE m[scope] = zone RETURN m
    UNION
    MATCH (m:Enterprise)-[x:SUPPLIES]->() WHERE m[scope] = zone AND x.product = l.product AND x.status IN statuses
    RETURN m
  }
  WITH m, COLLECT { MATCH (m)-[x:SUPPLIES]->() WHERE x.product = l.product AND x.status IN statuses
                    RETURN x.value } AS sales
  WITH m, reduce(t = 0.0, v IN sales | t + v) AS sold
  ORDER BY sold DESC, m.id
  RETURN m.id
} AS makers
WITH zone, scope, statuses, rate, s, l, b, [m IN makers WHERE m <> b.id] AS candidates
WHERE size(candidates) > 0
CALL (l, zone, scope, statuses) {
  OPTIONAL MATCH (z:Enterprise)-[x:SUPPLIES]->()
  WHERE z[scope] = zone AND x.product = l.product AND x.status IN statuses AND x.landed IS NOT NULL
  RETURN CASE WHEN count(x) = 0 THEN null
              WHEN sum(x.value) > 0 THEN sum(x.value * x.landed) / sum(x.value)
              ELSE avg(x.landed) END AS market
}
WITH rate, s, l, b, candidates, market,
     CASE WHEN l.landed IS NULL THEN null ELSE coalesce(market, l.landed * (1 - rate)) END AS reference
WITH rate, s, l, b, candidates, market, reference,
     CASE WHEN l.landed IS NULL THEN null
          WHEN l.landed - reference > 0 THEN l.landed - reference ELSE 0.0 END AS unit_saving
RETURN b.id AS buyer_id, l.product AS product, s.id AS supplier_id, s.zone AS supplier_zone, l.value AS value,
       l.landed AS landed, reference,
       CASE WHEN l.landed IS NULL THEN 'no_price' WHEN market IS NULL THEN 'rate' ELSE 'local_market' END
         AS reference_basis,
       unit_saving,
       CASE WHEN l.landed IS NULL THEN rate WHEN l.landed = 0 THEN null ELSE unit_saving / l.landed END
         AS saving_rate,
       CASE WHEN l.landed IS NULL THEN null ELSE coalesce(l.vol, 0.0) END AS volume,
       CASE WHEN l.landed IS NULL THEN l.value * rate ELSE unit_saving * coalesce(l.vol, 0.0) END AS annual_saving,
       candidates[0..10] AS candidates, size(candidates) AS candidate_count
ORDER BY annual_saving DESC, buyer_id, product, supplier_id
