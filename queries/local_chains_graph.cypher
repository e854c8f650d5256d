// local_chains_graph.cypher — 本地链条图: a zone's local supply subgraph as paths (docs/analysis.md
// definition 3): every link with supplier and buyer both in the zone, so the Browser draws the
// chains (晋钢 → 富士康 → 英特丽). The same links as local_chains.cypher, from which chaingraph
// lists the maximal paths.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then run this whole file (graph view), with
// queries/chaingraph.grass as the style.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active', 'planned']})
// It labels the firms it returns Local (blue in chaingraph.grass): it needs a user who may write labels.
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
MATCH link = (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
WHERE s[scope] = zone AND b[scope] = zone AND r.status IN statuses
SET s:Local, b:Local
REMOVE s:Outside:Invitee, b:Outside:Invitee
RETURN link, s.id AS supplier_id, b.id AS buyer_id, r.product AS product, r.value AS value
ORDER BY supplier_id, buyer_id, product
