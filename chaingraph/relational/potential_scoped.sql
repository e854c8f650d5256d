-- potential_scoped.sql: potential.sql for a :scope of `city` or `province`, whose s_zone is the
-- supplier's city or province: the supplier's zone from its enterprise row.
WITH @include(potential_cte)
SELECT o.rn, o.buyer_id, o.product, o.supplier_id, COALESCE(e.zone, '') AS supplier_zone, o.value, o.landed, o.vol
FROM outside o
LEFT JOIN enterprises e ON e.id = o.supplier_id
ORDER BY o.rn
