-- potential.sql: definition 5 for :zone when :scope is `zone`: the rows of `outside`
-- (potential_cte.sql) with the supplier's zone, which is then the link's s_zone (zone_links.sql),
-- no join. Any other scope: potential_scoped.sql. The reference each row is priced against is one
-- row per product (potential_ref.sql), mapped on by product.
WITH @include(potential_cte)
SELECT rn, buyer_id, product, supplier_id, COALESCE(s_zone, '') AS supplier_zone, value, landed, vol
FROM outside
ORDER BY rn
