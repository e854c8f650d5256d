-- reach_hop.sql: the next frontier: one step in `reach_g` from the last frontier `reach_front(s, x)`,
-- keeping only the (s, x) not yet reached (`reach_seen`). Empty when the walk is done.
SELECT DISTINCT n.s, g.b AS x
FROM reach_front n
JOIN reach_g g ON g.a = n.x
LEFT JOIN reach_seen r ON r.s = n.s AND r.x = g.b
WHERE r.s IS NULL
