// One batch of chain-map rows (chains.csv): stages IN_CHAIN, inputs FEEDS products.
UNWIND $rows AS r
MERGE (c:Chain {name: r.chain})
MERGE (p:Product {name: r.product})
MERGE (p)-[pc:IN_CHAIN]->(c)
SET pc.segment = CASE WHEN r.segment = '' THEN pc.segment ELSE r.segment END, pc.listed = true
WITH r, c, p
WHERE r.input <> ''
MERGE (i:Product {name: r.input})
MERGE (i)-[:IN_CHAIN]->(c)
MERGE (i)-[:FEEDS {chain: r.chain}]->(p)
