-- reach_pairs.sql: what comes back of a reachability: (s, x), x reached from s, only the x in
-- `reach_among(product)` unless :every (one zone's made products: its gaps' dependents).
SELECT r.s, r.x FROM reach_seen r LEFT JOIN reach_among a ON a.product = r.x
WHERE :every OR a.product IS NOT NULL
