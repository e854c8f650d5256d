// One batch of supply links; r.key makes the MERGE idempotent.
UNWIND $rows AS r
MATCH (s:Enterprise {id: r.supplier_id})
MATCH (b:Enterprise {id: r.buyer_id})
MERGE (p:Product {name: r.product})
MERGE (s)-[l:SUPPLIES {key: r.key}]->(b)
SET l.product = r.product, l.value = r.value, l.volume = r.annual_volume, l.unit_price = r.unit_price,
    l.logistics_cost = r.logistics_cost, l.landed = r.landed, l.vol = r.vol, l.status = r.status,
    l.via = r.via, l.note = r.note, l.line = r.line
