-- reach_hop.sql: the next frontier: one step in `reach_g` from the last frontier `reach_new(s, x)`,
-- keeping only the (s, x) not yet reached (`reach_seen`). Empty when the walk is done.
SELECT DISTINCT n.s, g.b AS x FROM reach_new n JOIN reach_g g ON g.a = n.x
WHERE NOT EXISTS (SELECT 1 FROM reach_seen r WHERE r.s = n.s AND r.x = g.b)
