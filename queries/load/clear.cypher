// Remove everything chaingraph loaded (used by `chaingraph neo4j load --replace`).
MATCH (n) WHERE n:Enterprise OR n:Product OR n:Zone OR n:Chain
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
