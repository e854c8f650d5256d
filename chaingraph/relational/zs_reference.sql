-- zs_reference.sql: definition 5's local reference for every zone at once: per (zone, product),
-- the exact sums of the zone's own priced sales (value x landed, value, landed).
SELECT s_zone AS zone, product, EXACT_SUM(value * landed) AS rw, EXACT_SUM(value) AS rv, EXACT_SUM(landed) AS rm,
       COUNT(*) AS rn_
FROM zl
WHERE (status = 'active' OR (:planned AND status = 'planned')) AND s_zone IS NOT NULL AND landed IS NOT NULL
GROUP BY s_zone, product
