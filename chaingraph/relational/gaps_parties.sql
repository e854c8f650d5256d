-- gaps_parties.sql: definition 6 for :zone, who buys each product from outside (side 'b', the
-- firms of :zone) and who sells it to them (side 's', the invitation targets), with the value; of
-- the zone's gap products only (the relation gap_list, registered by the engine).
WITH outside AS (
  SELECT buyer_id, supplier_id, product, value FROM zl
  WHERE b_zone = :zone AND NOT COALESCE(s_zone = :zone, FALSE)
    AND product IN (SELECT product FROM gap_list)
    AND (status = 'active' OR (:planned AND status = 'planned'))
),
parties AS (
  SELECT 'b' AS side, product, buyer_id AS id, EXACT_SUM(value) AS value FROM outside GROUP BY product, buyer_id
  UNION ALL
  SELECT 's' AS side, product, supplier_id AS id, EXACT_SUM(value) AS value FROM outside GROUP BY product, supplier_id
)
SELECT p.side, p.product, p.id, COALESCE(e.name, '') AS name, COALESCE(e.zone, '') AS home, EXACT(p.value)
FROM parties p LEFT JOIN enterprises e ON e.id = p.id
