// peer_makers.cypher — 对标: which firms of the peer zones make the zone's gap products
// (docs/analysis.md, "Peer zones"): makers(P) of each peer — listed in products (MAKES) or
// selling P on a counted link — makers, not traders (kind trader / logistics left out), with
// what each sells of P (any buyer).
//
// Neo4j Browser:  :param zone => ({name: '高平经开区', peers: ['晋城经开区', '临猗现代农业产业示范区'],
//                                  products: ['包装盒', 'LED芯片']})   then paste and run this whole file.
// Options: scope ('zone', 'city', 'province'), statuses (['active'] by default).
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses,
     coalesce(opt.peers, []) AS peers, coalesce(opt.products, []) AS products
CALL (scope, statuses, peers, products) {
  MATCH (m:Enterprise)-[:MAKES]->(p:Product)
  WHERE m[scope] IN peers AND p.name IN products
  RETURN m, p.name AS product, 0.0 AS sold
  UNION ALL
  MATCH (m:Enterprise)-[x:SUPPLIES]->()
  WHERE m[scope] IN peers AND x.product IN products AND x.status IN statuses
  RETURN m, x.product AS product, x.value AS sold
}
WITH scope, m, product, sum(sold) AS sold
WHERE NOT coalesce(m.kind, 'manufacturer') IN ['trader', 'logistics']
RETURN m[scope] AS peer, product, m.id AS id, m.name AS name, m.kind AS kind, sold
ORDER BY peer, product, sold DESC, id
