-- reach_walk.sql: the whole walk of reach_seed.sql, reach_hop.sql and reach_pairs.sql in ONE query, for
-- the engines with a recursive query keyed by a column (DuckDB's WITH RECURSIVE ... USING KEY; Spark SQL
-- has none and walks one query per step). Over the coded graph `reach_g(a, b)` (`reach_n(product, code)`)
-- from the products of `reach_from(product, i)`, i = 0, 1, ..., all at once, in groups of 128: one row
-- per product x reached and group g, `seen` a 128-bit mask whose bit j is set when x is reached from
-- the product i = 128 g + j, `new` the bits the last step added (integer masks: twice as fast as a
-- BIT string at 2M links). A step goes on from the new bits only (what each asked product reaches for
-- the first time, as reach_hop.sql's frontier) and keeps a row only when it adds bits, so the walk
-- ends when a step adds none. What comes back is reach_pairs.sql's: (s, x), x reached from s (s itself
-- only on a cycle), only the x in `reach_among(product)` unless :every.
WITH RECURSIVE w(x, g, seen, new) USING KEY (x, g) AS (
  SELECT e.b AS x, f.i // 128 AS g, bit_or(CAST(1 AS UHUGEINT) << CAST(f.i % 128 AS UHUGEINT)) AS seen,
         bit_or(CAST(1 AS UHUGEINT) << CAST(f.i % 128 AS UHUGEINT)) AS new
  FROM reach_from f JOIN reach_n c ON c.product = f.product JOIN reach_g e ON e.a = c.code
  GROUP BY e.b, f.i // 128
  UNION
  SELECT step.b AS x, step.g,
         CASE WHEN r.x IS NULL THEN step.m ELSE r.seen | step.m END AS seen,
         CASE WHEN r.x IS NULL THEN step.m ELSE step.m & ~r.seen END AS new
  FROM (SELECT e.b, w.g, bit_or(w.new) AS m FROM w JOIN reach_g e ON e.a = w.x GROUP BY e.b, w.g) step
  LEFT JOIN recurring.w r ON r.x = step.b AND r.g = step.g
  WHERE r.x IS NULL OR (step.m & ~r.seen) <> 0
)
SELECT f.product AS s, n.product AS x
FROM w
JOIN reach_n n ON n.code = w.x
LEFT JOIN reach_among a ON a.product = n.product
JOIN reach_from f ON f.i // 128 = w.g AND ((w.seen >> CAST(f.i % 128 AS UHUGEINT)) & 1) = 1
WHERE :every OR a.product IS NOT NULL
