// chain_map.cypher — 产业链图谱: one chain's stages, their inputs, and who makes each stage.
// Neo4j Browser:  :param chain => '充电桩'   then run this whole file (graph view).
MATCH (p:Product)-[:IN_CHAIN]->(c:Chain {name: $chain})
OPTIONAL MATCH (i:Product)-[f:FEEDS {chain: $chain}]->(p)
OPTIONAL MATCH (m:Enterprise)-[mk:MAKES]->(p)
RETURN c, p, f, i, m, mk
