// Relationships per type after a load.
UNWIND ['SUPPLIES', 'MAKES', 'IN_ZONE', 'IN_CHAIN', 'FEEDS', 'FLOWS'] AS type
CALL (type) { MATCH ()-[r]->() WHERE type(r) = type RETURN count(r) AS n }
RETURN type, n
