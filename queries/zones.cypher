// zones.cypher — the zones (or cities, provinces with $scope) in the database.
// Neo4j Browser:  :param scope => 'zone'   then run this file.
MATCH (e:Enterprise)
WHERE e[$scope] IS NOT NULL AND e[$scope] <> ''
RETURN DISTINCT e[$scope] AS zone
ORDER BY zone
