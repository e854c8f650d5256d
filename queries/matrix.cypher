// matrix.cypher — 招商矩阵的可行性 / feasibility of the zone's gaps (docs/analysis.md, "Where to invest").
// For each gap product p: the relatedness density of the Atlas of Economic Complexity, computed from
// the data's own zones. A zone makes q when a firm of it lists q (MAKES) or sells q on a counted link;
// φ(p, q) = (zones making both) ÷ max(zones making p, zones making q); density = Σ_q φ·[Z makes q] ÷ Σ_q φ.
// Beside it, the chain relatedness inputs: p's inputs and outputs in the product flow graph (FEEDS,
// FLOWS), which of the inputs the zone makes and which of the outputs it buys.
// chaingraph computes the attractiveness, medians and quadrants from these rows and gaps.cypher's.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active'], products: ['MCU芯片']})
// Without `products`: every product the zone buys from outside and makes with at most one firm.
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt, opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
CALL (scope, statuses) {
  // M: which zones make which products (every zone of the scope, outside regions included)
  MATCH (e:Enterprise)-[:MAKES]->(p:Product)
  RETURN e[scope] AS place, p.name AS product
  UNION
  MATCH (e:Enterprise)-[r:SUPPLIES]->()
  WHERE r.status IN statuses
  RETURN e[scope] AS place, r.product AS product
}
WITH opt, zone, scope, statuses, place, product
WHERE place IS NOT NULL AND place <> ''
WITH opt, zone, scope, statuses, product, collect(DISTINCT place) AS places
WITH opt, zone, scope, statuses, collect({product: product, places: places}) AS made
CALL (zone, scope, statuses) {
  MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
  WHERE b[scope] = zone AND r.status IN statuses
  RETURN collect(DISTINCT r.product) AS bought,
         collect(DISTINCT CASE WHEN coalesce(s[scope], '') <> zone THEN r.product END) AS bought_outside
}
WITH opt, zone, scope, statuses, made, bought, bought_outside,
     [x IN made WHERE zone IN x.places | x.product] AS zone_made
CALL (zone, scope, statuses, opt, bought_outside) {
  WITH opt WHERE opt.products IS NOT NULL
  UNWIND opt.products AS gap
  RETURN gap
  UNION
  WITH opt, bought_outside WHERE opt.products IS NULL
  UNWIND bought_outside AS gap
  WITH gap WHERE COUNT { MATCH (m:Enterprise) WHERE m[scope] = zone
                         AND (EXISTS { (m)-[:MAKES]->(:Product {name: gap}) }
                              OR EXISTS { (m)-[x:SUPPLIES]->() WHERE x.product = gap AND x.status IN statuses }) } <= 1
  RETURN gap
}
WITH zone, statuses, made, bought, zone_made, gap, coalesce([x IN made WHERE x.product = gap][0].places, []) AS gp
WITH zone, statuses, bought, zone_made, gap, gp,
     [x IN made WHERE x.product <> gap AND size(gp) > 0 |
      {product: x.product, mine: zone IN x.places,
       phi: toFloat(size([pl IN x.places WHERE pl IN gp]))
            / CASE WHEN size(x.places) > size(gp) THEN size(x.places) ELSE size(gp) END}] AS prox
OPTIONAL MATCH (p:Product {name: gap})
CALL (p, statuses) {
  // the product flow graph around p: the chain map's FEEDS and the derived FLOWS of counted links
  OPTIONAL MATCH (a:Product)-[f:FEEDS|FLOWS]->(p)
  WHERE type(f) = 'FEEDS' OR 'planned' IN statuses OR NOT f.planned_only
  RETURN collect(DISTINCT a.name) AS inputs
}
CALL (p, statuses) {
  OPTIONAL MATCH (p)-[f:FEEDS|FLOWS]->(q:Product)
  WHERE type(f) = 'FEEDS' OR 'planned' IN statuses OR NOT f.planned_only
  RETURN collect(DISTINCT q.name) AS outputs
}
RETURN gap AS product, size(gp) AS zones_making,
       reduce(s = 0.0, x IN [y IN prox WHERE y.mine] | s + x.phi) AS proximity_made,
       reduce(s = 0.0, x IN prox | s + x.phi) AS proximity_total,
       [x IN prox WHERE x.mine AND x.phi > 0 | {product: x.product, proximity: x.phi}] AS drivers,
       inputs, [i IN inputs WHERE i IN zone_made] AS inputs_made,
       outputs, [o IN outputs WHERE o IN bought] AS outputs_bought
ORDER BY product
