-- makers_cte.sql (included): `sold`, the value each firm of :zone sold of each product on the
-- considered links, and `makers`, every (product, maker) of :zone: a product listed in the firm's
-- `products` cell or sold on a considered link (definition 2).
members AS (
  SELECT id FROM enterprises
  WHERE CASE :scope WHEN 'city' THEN city WHEN 'province' THEN province ELSE zone END = :zone
),
sold AS (
  SELECT product, supplier_id AS maker, EXACT_SUM(value) AS sold
  FROM zl
  WHERE s_zone = :zone AND (status = 'active' OR (:planned AND status = 'planned'))
  GROUP BY product, supplier_id
),
makers AS (
  SELECT li.product, li.id AS maker FROM listed li JOIN members m ON m.id = li.id
  UNION
  SELECT product, maker FROM sold
)
