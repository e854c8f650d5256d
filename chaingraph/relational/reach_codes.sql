-- reach_codes.sql (the DuckDB engine's walk, reach_walk.sql): every product of the text pairs
-- `reach_text(p, q)` (the product flow graph, or the graph after a what-if landing) numbered 0, 1, ...
-- in text order, held as `reach_n(product, code)`: the walk joins integers, not text.
SELECT product, CAST(row_number() OVER (ORDER BY product) - 1 AS INTEGER) AS code
FROM (SELECT p AS product FROM reach_text UNION SELECT q AS product FROM reach_text) n
