// The supply links as loaded, in file order (see export/enterprises.cypher).
MATCH (s:Enterprise)-[l:SUPPLIES]->(b:Enterprise)
RETURN s.id AS supplier_id, b.id AS buyer_id, l.product AS product, l.value AS value, l.volume AS annual_volume,
       l.unit_price AS unit_price, l.logistics_cost AS logistics_cost, l.landed AS landed, l.vol AS vol,
       l.status AS status, l.via AS via, l.note AS note, l.line AS line
ORDER BY l.line, l.key
