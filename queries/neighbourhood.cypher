// neighbourhood.cypher — 上下游: one firm's suppliers and buyers within $hops links.
// Neo4j Browser:  :param id => 'JC-FSK'   then run this whole file (graph view).
:param hops => 2;
MATCH (e:Enterprise {id: $id})
MATCH p = (e)-[:SUPPLIES*1..5]-(other:Enterprise)
WHERE length(p) <= $hops AND all(r IN relationships(p) WHERE r.status <> 'former')
RETURN p
LIMIT 300
