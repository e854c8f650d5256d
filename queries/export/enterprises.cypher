// The enterprises as loaded, in file order: the graph read back into tables so that the
// analyses that recompute the chain in memory (gaps --rank, whatif) can run on a Neo4j SOURCE.
MATCH (e:Enterprise)
RETURN e.id AS id, e.name AS name, e.zone AS zone, e.park AS park, e.city AS city, e.province AS province,
       e.industry AS industry, e.products AS products, e.kind AS kind, e.output_value AS output_value,
       e.employees AS employees, e.chain_leader AS chain_leader, e.lat AS lat, e.lon AS lon, e.line AS line
ORDER BY e.line, e.id
