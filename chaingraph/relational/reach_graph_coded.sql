-- reach_graph_coded.sql: reach_graph.sql over the coded pairs `reach_c(p, q)` (the DuckDB engine's walk,
-- reach_walk.sql), held as `reach_g(a, b)`: a step goes from code a to code b; downstream (P -> Q) or,
-- with :up, upstream (Q -> P).
SELECT CASE WHEN :up THEN q ELSE p END AS a, CASE WHEN :up THEN p ELSE q END AS b FROM reach_c
