// One batch of downstream lists: everything reachable from the product over FEEDS and FLOWS
// (down_active: FLOWS on active links only; down_planned: every FLOWS), for gaps.cypher's dependents.
UNWIND $rows AS r
MATCH (p:Product {name: r.name})
SET p.down_active = r.active, p.down_planned = r.planned
