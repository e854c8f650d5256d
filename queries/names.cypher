// names.cypher — every enterprise's id and name (for tables that show names).
MATCH (e:Enterprise)
RETURN e.id AS id, e.name AS name
ORDER BY id
