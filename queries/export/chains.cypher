// The chain map as loaded: one row per input of a stage, and one per listed stage without
// inputs (IN_CHAIN.listed marks products that had a row of their own in chains.csv).
MATCH (p:Product)-[pc:IN_CHAIN]->(c:Chain)
OPTIONAL MATCH (i:Product)-[:FEEDS {chain: c.name}]->(p)
WITH c, p, pc, i
WHERE i IS NOT NULL OR pc.listed
RETURN c.name AS chain, p.name AS product, coalesce(i.name, '') AS input, coalesce(pc.segment, '') AS segment
ORDER BY chain, product, input
