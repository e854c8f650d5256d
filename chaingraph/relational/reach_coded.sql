-- reach_coded.sql (the DuckDB engine's walk, reach_walk.sql): the pairs of `reach_text(p, q)` with each
-- product replaced by its code in `reach_n(product, code)`, held as `reach_c(p, q)`.
SELECT a.code AS p, b.code AS q
FROM reach_text t JOIN reach_n a ON a.product = t.p JOIN reach_n b ON b.product = t.q
