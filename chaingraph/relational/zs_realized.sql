-- zs_realized.sql: definition 4 for every zone at once, per (buyer, product): the exact sums of
-- the former outside side and of the considered local side, as realized.sql gives them per zone.
WITH former AS (
  SELECT buyer_id, product, value, landed FROM zl
  WHERE status = 'former' AND b_zone IS NOT NULL AND (s_zone IS NULL OR s_zone <> b_zone) AND landed IS NOT NULL
),
now AS (
  SELECT b_zone, buyer_id, product, value, landed, vol FROM zl
  WHERE (status = 'active' OR (:planned AND status = 'planned')) AND b_zone IS NOT NULL AND s_zone = b_zone
    AND landed IS NOT NULL
),
f AS (
  SELECT buyer_id, product, EXACT_SUM(value * landed) AS fw, EXACT_SUM(value) AS fv, EXACT_SUM(landed) AS fm,
         COUNT(*) AS fn
  FROM former GROUP BY buyer_id, product
),
n AS (
  SELECT b_zone, buyer_id, product, EXACT_SUM(value * landed) AS nw, EXACT_SUM(value) AS nv,
         EXACT_SUM(landed) AS nm, COUNT(*) AS nn, EXACT_SUM(vol) AS vol
  FROM now GROUP BY b_zone, buyer_id, product
)
SELECT n.b_zone AS zone, f.buyer_id, f.product, EXACT(f.fw), EXACT(f.fv), EXACT(f.fm), f.fn,
       EXACT(n.nw), EXACT(n.nv), EXACT(n.nm), n.nn, EXACT(n.vol)
FROM f JOIN n ON n.buyer_id = f.buyer_id AND n.product = f.product
