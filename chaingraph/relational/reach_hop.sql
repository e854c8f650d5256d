-- reach_hop.sql: the next frontier: one step in `reach_g` from the last frontier `reach_new(s, x)`,
-- keeping only the (s, x) not yet reached (`reach_seen`); held as the next `reach_new`. Empty when
-- the walk is done.
SELECT DISTINCT n.s, g.b AS x
FROM reach_new n
JOIN reach_g g ON g.a = n.x
LEFT JOIN reach_seen r ON r.s = n.s AND r.x = g.b
WHERE r.s IS NULL
