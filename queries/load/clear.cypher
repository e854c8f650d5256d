// Remove everything chaingraph loaded (`chaingraph neo4j load --replace`): relationships
// first, in batches, so that no node with many relationships is deleted in one go.
MATCH (:Enterprise|Product|Zone|Chain)-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Enterprise|Product|Zone|Chain)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
