-- reach_next.sql: reach_seed.sql over the coded graph (the DuckDB engine's walk, reach_walk.sql): one
-- step in `reach_g(a, b)` from each product of `reach_from(product)`, as (s, x) product names.
SELECT DISTINCT f.product AS s, x.product AS x
FROM reach_from f
JOIN reach_n c ON c.product = f.product
JOIN reach_g g ON g.a = c.code
JOIN reach_n x ON x.code = g.b
