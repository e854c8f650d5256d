// savings_potential.cypher — 潜在节约 (docs/analysis.md definition 5): active links into a zone
// from outside for a product that another firm of the zone makes. reference = the
// value-weighted mean landed cost of the zone's priced sales of the product; without
// one, landed × (1 − rate); a link without unit price saves value × rate.
// candidates: the zone's makers other than the buyer, largest local sales first (10 at most).
// One pass over the zone's links, grouped by product: makers and reference once per product.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active'], rate: 0.05})
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses,
     toFloat(coalesce(opt.rate, 0.05)) AS rate
CALL (zone, scope, statuses) {
  // one pass over the zone's links, one row per fact: makers with what they sold and their priced
  // sales (tag m), and the links into the zone from outside (tag l)
  MATCH (m:Enterprise)-[:MAKES]->(p:Product) WHERE m[scope] = zone
  RETURN p.name AS product, 'm' AS tag, m.id AS id, 0.0 AS sold, null AS priced, null AS link
  UNION ALL
  MATCH (m:Enterprise)-[x:SUPPLIES]->() WHERE m[scope] = zone AND x.status IN statuses
  RETURN x.product AS product, 'm' AS tag, m.id AS id, x.value AS sold,
         CASE WHEN x.landed IS NULL THEN null ELSE [x.value, x.landed] END AS priced, null AS link
  UNION ALL
  MATCH (s:Enterprise)-[l:SUPPLIES]->(b:Enterprise)
  WHERE b[scope] = zone AND NOT s[scope] = zone AND l.status IN statuses
  RETURN l.product AS product, 'l' AS tag, elementId(l) AS id, 0.0 AS sold, null AS priced, {s: s, l: l, b: b} AS link
}
WITH zone, scope, statuses, rate, product, tag, id, sum(sold) AS sold, collect(priced) AS priced,
     head(collect(link)) AS link
ORDER BY sold DESC, id
WITH rate, product, collect(CASE tag WHEN 'm' THEN id END) AS makers, collect(priced) AS priced,
     collect(link) AS links
WHERE size(makers) > 0 AND size(links) > 0
WITH rate, product, makers, links, reduce(a = [], x IN priced | a + x) AS priced
// market: the value-weighted mean landed cost of the zone's priced sales (the plain mean where values sum to 0)
WITH rate, makers, links,
     CASE WHEN size(priced) = 0 THEN null
          WHEN reduce(v = 0.0, x IN priced | v + x[0]) > 0
            THEN reduce(w = 0.0, x IN priced | w + x[0] * x[1]) / reduce(v = 0.0, x IN priced | v + x[0])
          ELSE reduce(t = 0.0, x IN priced | t + x[1]) / size(priced) END AS market
UNWIND links AS x
WITH rate, x.s AS s, x.l AS l, x.b AS b, market, [m IN makers WHERE m <> x.b.id] AS candidates
WHERE size(candidates) > 0
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
