-- reach_graph.sql: the graph a reachability walks, held as `reach_g(a, b)`: a step goes from a to b.
-- Downstream (P -> Q) or, with :up, upstream (Q -> P); the whole data's graph or, with :landed, the
-- graph after a what-if landing.
SELECT CASE WHEN :up THEN q ELSE p END AS a, CASE WHEN :up THEN p ELSE q END AS b
FROM (
  SELECT p, q FROM reach_flow WHERE NOT :landed
  UNION ALL
  SELECT p, q FROM reach_landed WHERE :landed
) g
