-- potential.sql: definition 5 for :zone. Every considered outside link into :zone whose product
-- another firm of :zone makes (candidates = makers less the buyer itself), with the exact sums of
-- the reference: the value-weighted landed cost of :zone's own priced sales of the product.
WITH @include(makers_cte),
cnt AS (SELECT product, COUNT(*) AS n_makers FROM makers GROUP BY product),
outside AS (
  SELECT rn, buyer_id, product, supplier_id, value, landed, vol FROM zl
  WHERE (status = 'active' OR (:planned AND status = 'planned')) AND b_zone = :zone
    AND NOT COALESCE(s_zone = :zone, FALSE)
),
ref AS (
  SELECT product, EXACT_SUM(value * landed) AS rw, EXACT_SUM(value) AS rv, EXACT_SUM(landed) AS rm,
         COUNT(*) AS rn_
  FROM zl
  WHERE (status = 'active' OR (:planned AND status = 'planned')) AND s_zone = :zone AND landed IS NOT NULL
  GROUP BY product
)
SELECT o.rn, o.buyer_id, o.product, o.supplier_id, COALESCE(e.zone, '') AS supplier_zone, o.value, o.landed, o.vol,
       c.n_makers - CASE WHEN bm.maker IS NULL THEN 0 ELSE 1 END AS n_cand,
       EXACT(r.rw), EXACT(r.rv), EXACT(r.rm), r.rn_
FROM outside o
JOIN cnt c ON c.product = o.product
LEFT JOIN makers bm ON bm.product = o.product AND bm.maker = o.buyer_id
LEFT JOIN ref r ON r.product = o.product
LEFT JOIN enterprises e ON e.id = o.supplier_id
WHERE c.n_makers - CASE WHEN bm.maker IS NULL THEN 0 ELSE 1 END > 0
ORDER BY o.rn
