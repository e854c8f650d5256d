// zones.cypher — the zones (or cities, provinces) in the database, for --zone.
:param scope => 'zone';
MATCH (e:Enterprise)
WHERE e[$scope] IS NOT NULL AND e[$scope] <> ''
RETURN DISTINCT e[$scope] AS zone
ORDER BY zone
