// Derive the product flow graph (docs/analysis.md): P -> Q when some enterprise buys P
// and sells Q on an active link.  f.planned_only marks flows that exist only
// through a planned link (used with --include-planned).  Rebuilt on each load.
MATCH ()-[f:FLOWS]->()
CALL (f) { DELETE f } IN TRANSACTIONS OF 10000 ROWS;
MATCH (e:Enterprise)
WHERE EXISTS { ()-[:SUPPLIES]->(e) } AND EXISTS { (e)-[:SUPPLIES]->() }
CALL (e) {
  MATCH ()-[r1:SUPPLIES]->(e)-[r2:SUPPLIES]->()
  WHERE r1.status IN ['active', 'planned'] AND r2.status IN ['active', 'planned'] AND r1.product <> r2.product
  WITH r1.product AS p, r2.product AS q,
       min(CASE WHEN r1.status = 'active' AND r2.status = 'active' THEN 0 ELSE 1 END) AS via_planned
  MATCH (a:Product {name: p}), (b:Product {name: q})
  MERGE (a)-[f:FLOWS]->(b)
  ON CREATE SET f.planned_only = via_planned = 1
  ON MATCH SET f.planned_only = f.planned_only AND via_planned = 1
} IN TRANSACTIONS OF 1000 ROWS
