-- potential.sql: definition 5 for :zone. Every considered outside link into :zone whose product a
-- firm of :zone makes (`zone_made`: the products of makers.sql, registered by the engine, which
-- counts each row's candidates, the makers less the buyer itself, and keeps those with one). The
-- reference each row is priced against is one row per product (potential_ref.sql), mapped on by product.
SELECT o.rn, o.buyer_id, o.product, o.supplier_id, COALESCE(e.zone, '') AS supplier_zone, o.value, o.landed, o.vol
FROM zl o
JOIN zone_made m ON m.product = o.product
LEFT JOIN enterprises e ON e.id = o.supplier_id
WHERE (o.status = 'active' OR (:planned AND o.status = 'planned')) AND o.b_zone = :zone
  AND NOT COALESCE(o.s_zone = :zone, FALSE)
ORDER BY o.rn
