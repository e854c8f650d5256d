-- zs_makers_cte.sql (included): every maker of every zone, `all_makers` (zone, product, maker:
-- listed in its `products` cell or sold on a considered link, in the maker's own zone). The
-- all-zones summary holds it once (zs_makers.sql) for the three queries that read it
-- (zs_held_makers_cte.sql); presence.sql reads it here.
firm AS (
  SELECT id, CASE :scope WHEN 'city' THEN city WHEN 'province' THEN province ELSE zone END AS zone FROM enterprises
),
all_makers AS (
  SELECT f.zone, li.product, li.id AS maker FROM listed li JOIN firm f ON f.id = li.id WHERE f.zone IS NOT NULL
  UNION
  SELECT s_zone AS zone, product, supplier_id AS maker FROM zl
  WHERE s_zone IS NOT NULL AND (status = 'active' OR (:planned AND status = 'planned'))
)
