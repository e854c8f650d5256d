// One batch of supply links. r.key identifies a link row: an existing relationship
// with that key is updated, a new one created (a relationship-index lookup, cheaper
// than MERGE on the pattern), so loading twice, or again after a failure, writes once.
UNWIND $rows AS r
MATCH (s:Enterprise {id: r.supplier_id})
MATCH (b:Enterprise {id: r.buyer_id})
OPTIONAL MATCH ()-[old:SUPPLIES {key: r.key}]->()
WITH r, s, b, old,
     {key: r.key, product: r.product, value: r.value, volume: r.annual_volume, unit_price: r.unit_price,
      logistics_cost: r.logistics_cost, landed: r.landed, vol: r.vol, status: r.status, via: r.via,
      note: r.note, line: r.line} AS props
FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END | CREATE (s)-[l:SUPPLIES]->(b) SET l = props)
FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END | SET old = props)
