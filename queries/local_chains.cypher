// local_chains.cypher — 本地链条: a zone's local supply subgraph (docs/analysis.md definition 3):
// links with supplier and buyer both in the zone. Browser's graph view shows the chains
// (晋钢 → 富士康 → 英特丽); chaingraph lists the maximal paths from these edges (cycle
// and size bounds in docs/analysis.md).
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active', 'planned']})
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
WHERE s[scope] = zone AND b[scope] = zone AND r.status IN statuses
RETURN s, r, b, s.id AS supplier_id, b.id AS buyer_id, r.product AS product
ORDER BY supplier_id, buyer_id, product
