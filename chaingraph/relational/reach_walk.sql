-- reach_walk.sql: the whole walk of reach_seed.sql, reach_hop.sql and reach_pairs.sql in ONE query, for
-- the engines with a recursive query keyed by a column (DuckDB's WITH RECURSIVE ... USING KEY; Spark SQL
-- has none and walks one query per step). Over the coded graph `reach_g(a, b)` (`reach_n(product, code)`)
-- from the :n products of `reach_from(product, i)`, i = 0 .. :n - 1, all at once: one row per product x
-- reached, `seen` a bit string whose bit i is set when x is reached from the i-th product, `new` the bits
-- the last step added. A step goes on from the new bits only (what each asked product reaches for the
-- first time, as reach_hop.sql's frontier) and keeps a product only when it adds bits, so the walk ends
-- when a step adds none. What comes back is reach_pairs.sql's: (s, x), x reached from s (s itself only
-- on a cycle), only the x in `reach_among(product)` unless :every.
WITH RECURSIVE w(x, seen, new) USING KEY (x) AS (
  SELECT g.b AS x, bit_or(set_bit(CAST(repeat('0', :n) AS BIT), f.i, 1)) AS seen,
         bit_or(set_bit(CAST(repeat('0', :n) AS BIT), f.i, 1)) AS new
  FROM reach_from f JOIN reach_n c ON c.product = f.product JOIN reach_g g ON g.a = c.code
  GROUP BY g.b
  UNION
  SELECT step.b AS x,
         CASE WHEN r.x IS NULL THEN step.m ELSE r.seen | step.m END AS seen,
         CASE WHEN r.x IS NULL THEN step.m ELSE step.m & ~r.seen END AS new
  FROM (SELECT g.b, bit_or(w.new) AS m FROM w JOIN reach_g g ON g.a = w.x GROUP BY g.b) step
  LEFT JOIN recurring.w r ON r.x = step.b
  WHERE r.x IS NULL OR bit_count(step.m & ~r.seen) > 0
)
SELECT f.product AS s, n.product AS x
FROM w
JOIN reach_n n ON n.code = w.x
LEFT JOIN reach_among a ON a.product = n.product
JOIN reach_from f ON get_bit(w.seen, f.i) = 1
WHERE :every OR a.product IS NOT NULL
