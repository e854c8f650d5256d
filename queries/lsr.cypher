// lsr.cypher — 本地配套率明细: what a zone's buyers buy, per buyer and product, split
// into local and outside supply (docs/analysis.md definition 1), with the chains each row
// counts for (the chain map's, else the buyer's industry).
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active', 'planned']})
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
WHERE b[scope] = zone AND r.status IN statuses
WITH b, r.product AS product, s[scope] = zone AS local, sum(r.value) AS value
WITH b, product, local, value,
     CASE WHEN EXISTS { MATCH (:Chain) }
          THEN COLLECT { MATCH (:Product {name: product})-[:IN_CHAIN]->(c:Chain) RETURN DISTINCT c.name }
          ELSE coalesce(b.industry, []) END AS chains
RETURN b.id AS buyer_id, b.name AS name, product, local, value, chains
ORDER BY buyer_id, product, local
