-- zs_potential.sql: definition 5 for every zone at once: each zone's potential annual saving,
-- summed exactly over its considered outside links that another firm of the zone could supply.
-- `refs` (zone, product, reference) holds the references the engine computed from zs_reference.
WITH @include(zs_held_makers_cte),
outside AS (
  SELECT b_zone, buyer_id, product, value, landed, vol FROM zl
  WHERE (status = 'active' OR (:planned AND status = 'planned')) AND b_zone IS NOT NULL
    AND (s_zone IS NULL OR s_zone <> b_zone)
),
cand AS (
  SELECT o.b_zone, o.product, o.value, o.landed, o.vol
  FROM outside o
  JOIN mcount m ON m.zone = o.b_zone AND m.product = o.product
  WHERE m.n_makers > 1 OR m.a_maker IS DISTINCT FROM o.buyer_id
)
SELECT c.b_zone AS zone,
       EXACT_SUM(CASE WHEN c.landed IS NULL THEN c.value * :rate
                      ELSE GREATEST(0.0E0, c.landed - COALESCE(r.reference, c.landed * (1.0E0 - :rate)))
                           * COALESCE(c.vol, 0.0E0) END) AS annual
FROM cand c LEFT JOIN refs r ON r.zone = c.b_zone AND r.product = c.product
GROUP BY c.b_zone
