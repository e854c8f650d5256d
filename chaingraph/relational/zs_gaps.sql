-- zs_gaps.sql: definition 6 for every zone at once: per (zone, product) bought, the purchases and
-- external demand summed exactly, and the number of makers in the zone; `stage_makers` below counts
-- the chain-map stages each zone makes (for the empty links).
WITH @include(zs_held_makers_cte)
SELECT g.zone, g.product, EXACT(g.purchase), EXACT(g.demand), COALESCE(m.n_makers, 0) AS n_makers
FROM (
  SELECT b_zone AS zone, product, EXACT_SUM(value) AS purchase,
         EXACT_SUM(CASE WHEN s_zone = b_zone THEN NULL ELSE value END) AS demand
  FROM zl
  WHERE b_zone IS NOT NULL AND (status = 'active' OR (:planned AND status = 'planned'))
  GROUP BY b_zone, product
) g
LEFT JOIN mcount m ON m.zone = g.zone AND m.product = g.product
