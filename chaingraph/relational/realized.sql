-- realized.sql: definition 4 for :zone. Per (buyer, product): the former outside links with a
-- unit price (`f`) and the considered local ones with a price (`n`), each side's exact sums of
-- value x landed, value and landed (the value-weighted landed cost, or the plain mean where the
-- values sum to 0) and of the local volume; the largest local link's supplier, and both sides' ids.
WITH former AS (
  SELECT buyer_id, product, supplier_id, value, landed FROM zl
  WHERE status = 'former' AND b_zone = :zone AND NOT COALESCE(s_zone = :zone, FALSE) AND landed IS NOT NULL
),
now AS (
  SELECT buyer_id, product, supplier_id, value, landed, vol FROM zl
  WHERE (status = 'active' OR (:planned AND status = 'planned')) AND b_zone = :zone AND s_zone = :zone
    AND landed IS NOT NULL
),
f AS (
  SELECT buyer_id, product, EXACT_SUM(value * landed) AS fw, EXACT_SUM(value) AS fv, EXACT_SUM(landed) AS fm,
         COUNT(*) AS fn, array_agg(DISTINCT supplier_id) AS olds
  FROM former GROUP BY buyer_id, product
),
n AS (
  SELECT buyer_id, product, EXACT_SUM(value * landed) AS nw, EXACT_SUM(value) AS nv, EXACT_SUM(landed) AS nm,
         COUNT(*) AS nn, EXACT_SUM(vol) AS vol, array_agg(DISTINCT supplier_id) AS locals
  FROM now GROUP BY buyer_id, product
),
main AS (
  SELECT buyer_id, product, supplier_id AS main FROM (
    SELECT buyer_id, product, supplier_id,
           row_number() OVER (PARTITION BY buyer_id, product ORDER BY value DESC, supplier_id) AS k
    FROM now
  ) t WHERE k = 1
)
SELECT f.buyer_id, f.product, main.main, n.locals, f.olds, EXACT(f.fw), EXACT(f.fv), EXACT(f.fm), f.fn,
       EXACT(n.nw), EXACT(n.nv), EXACT(n.nm), n.nn, EXACT(n.vol)
FROM f
JOIN n ON n.buyer_id = f.buyer_id AND n.product = f.product
JOIN main ON main.buyer_id = f.buyer_id AND main.product = f.product
