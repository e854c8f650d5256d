-- rest_cte.sql (included): `rest`, the considered links with neither end in :zone (:scope): the part of
-- the data a what-if landing in the zone leaves as it is.
members AS (
  SELECT id FROM enterprises
  WHERE CASE :scope WHEN 'city' THEN city WHEN 'province' THEN province ELSE zone END = :zone
),
rest AS (
  SELECT supplier_id, buyer_id, product FROM links
  WHERE (status = 'active' OR (:planned AND status = 'planned'))
    AND supplier_id NOT IN (SELECT id FROM members) AND buyer_id NOT IN (SELECT id FROM members)
)
