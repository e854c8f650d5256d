// The product graph's edges for the downstream lists (chaingraph/neo4j/downstream.py): FEEDS of any
// chain, and FLOWS with planned_only (true where the flow exists only through planned links).
MATCH (a:Product)-[f:FEEDS|FLOWS]->(b:Product)
RETURN a.name AS p, b.name AS q, type(f) = 'FLOWS' AND f.planned_only AS planned_only
