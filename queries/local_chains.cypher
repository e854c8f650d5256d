// local_chains.cypher — 本地链条: zone $zone's local supply subgraph (DOMAIN.md
// definition 3): active links with supplier and buyer both in the zone. In the
// Browser the graph view shows the chains (晋钢 → 富士康 → 英特丽); chaingraph lists
// the maximal paths from these edges (cycle and explosion bounds in docs/analysis.md).
//
// Neo4j Browser: :param zone => '晋城经开区'   then run this whole file.
:param scope => 'zone';
:param statuses => ['active'];
MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
WHERE s[$scope] = $zone AND b[$scope] = $zone AND r.status IN $statuses
RETURN s, r, b, s.id AS supplier_id, b.id AS buyer_id, r.product AS product
ORDER BY supplier_id, buyer_id, product
