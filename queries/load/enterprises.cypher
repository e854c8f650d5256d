// One batch of enterprises: $rows from enterprises.csv.
UNWIND $rows AS r
MERGE (e:Enterprise {id: r.id})
SET e.name = r.name, e.zone = r.zone, e.park = r.park, e.city = r.city, e.province = r.province,
    e.industry = r.industry, e.products = r.products, e.kind = r.kind, e.output_value = r.output_value,
    e.employees = r.employees, e.chain_leader = r.chain_leader, e.lat = r.lat, e.lon = r.lon,
    e.line = r.line
MERGE (z:Zone {name: r.zone})
MERGE (e)-[:IN_ZONE]->(z)
