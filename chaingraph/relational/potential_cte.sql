-- potential_cte.sql (included): `outside`, definition 5's rows for :zone: every considered outside
-- link into :zone whose product a firm of :zone makes (`zone_made`: the products of makers.sql,
-- registered by the engine, which counts each row's candidates, the makers less the buyer itself,
-- and keeps those with one).
outside AS (
  SELECT o.rn, o.buyer_id, o.product, o.supplier_id, o.s_zone, o.value, o.landed, o.vol
  FROM zl o
  JOIN zone_made m ON m.product = o.product
  WHERE (o.status = 'active' OR (:planned AND o.status = 'planned')) AND o.b_zone = :zone
    AND NOT COALESCE(o.s_zone = :zone, FALSE)
)
