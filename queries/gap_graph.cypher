// gap_graph.cypher — 缺链图: a zone's missing and weak links as a graph. Each gap product (red: missing
// 缺, yellow: weak 弱) with the outside suppliers to invite (orange, 招商对象) and the zone's buyers
// (blue) they sell it to; the SUPPLIES arrows carry the product and yearly value. Same kinds and
// figures as gaps.cypher (docs/analysis.md definition 6); empty stages (空白, nothing bought) are shown by
// panorama_graph.cypher. By default the 5 largest gaps by outside demand.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then run this whole file (graph view), with
// queries/chaingraph.grass as the style. Options:
//   :param zone => ({name: '晋城经开区', product: '功率模块'})     one gap only
//   :param zone => ({name: '晋城经开区', top: 10, statuses: ['active', 'planned'], scope: 'zone'})
// It labels the nodes it returns (Local/Outside/Invitee, Gap/Weak) so that chaingraph.grass colours
// them: it needs a user who may write labels.
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt, opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
WHERE b[scope] = zone AND r.status IN statuses AND (opt.product IS NULL OR r.product = opt.product)
// sums in full precision; the weak rule compares them as shown, to the fen (docs/analysis.md)
WITH opt, zone, scope, statuses, r.product AS product, sum(r.value) AS purchase,
     sum(CASE WHEN s[scope] = zone THEN 0.0 ELSE r.value END) AS demand
WHERE demand > 0
WITH opt, zone, scope, statuses, product, demand, toInteger(round(purchase * 100)) AS purchase_fen,
     toInteger(round(demand * 100)) AS demand_fen, COUNT {
  MATCH (m:Enterprise)-[:MAKES]->(:Product {name: product}) WHERE m[scope] = zone RETURN m
  UNION
  MATCH (m:Enterprise)-[x:SUPPLIES]->() WHERE m[scope] = zone AND x.product = product AND x.status IN statuses
  RETURN m
} AS makers
WITH opt, zone, scope, statuses, product, demand,
     CASE WHEN makers = 0 THEN 'missing' WHEN makers = 1 AND purchase_fen > 0 AND 2 * demand_fen >= purchase_fen THEN 'weak'
     END AS kind
WHERE kind IS NOT NULL
ORDER BY demand DESC, CASE kind WHEN 'missing' THEN 0 ELSE 1 END, product
WITH opt, zone, scope, statuses, collect({product: product, kind: kind}) AS found
UNWIND found[0..toInteger(coalesce(opt.top, 5))] AS gap
MATCH (p:Product {name: gap.product})
FOREACH (_ IN CASE WHEN gap.kind = 'missing' THEN [1] ELSE [] END | SET p:Gap REMOVE p:Weak:Strong:Empty)
FOREACH (_ IN CASE WHEN gap.kind = 'weak' THEN [1] ELSE [] END | SET p:Weak REMOVE p:Gap:Strong:Empty)
WITH zone, scope, statuses, gap, p
MATCH link = (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
WHERE r.product = gap.product AND r.status IN statuses AND b[scope] = zone AND NOT s[scope] = zone
SET s:Outside:Invitee, b:Local
REMOVE s:Local, b:Outside:Invitee
WITH gap, p, link, r, s, b
OPTIONAL MATCH made = (s)-[:MAKES]->(p)
RETURN gap.product AS gap, gap.kind AS kind, p AS product, link, made, r.value AS value
ORDER BY gap, s.id, b.id
