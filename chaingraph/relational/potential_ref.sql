-- potential_ref.sql: definition 5's reference for :zone, one row per product: the exact sums of the
-- value-weighted landed cost of :zone's own considered sales of the product with a unit price. A few
-- rows (one per product), mapped by the engine onto potential.sql's rows by product.
SELECT product, EXACT_SUM(value * landed) AS rw, EXACT_SUM(value) AS rv, EXACT_SUM(landed) AS rm, COUNT(*) AS rn_
FROM zl
WHERE (status = 'active' OR (:planned AND status = 'planned')) AND s_zone = :zone AND landed IS NOT NULL
GROUP BY product
