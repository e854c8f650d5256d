-- closure_into.sql: definition 1, what the firms of :zone buy on the considered links, per buyer,
-- product and whether the supplier is in :zone, summed exactly; the engine adds the groups up
-- (integer chunk sums: still exact) into the zone's, each buyer's, product's and chain's ratio.
SELECT buyer_id, product, COALESCE(s_zone = :zone, FALSE) AS s_in, EXACT_SUM(value) AS value
FROM zl
WHERE b_zone = :zone AND (status = 'active' OR (:planned AND status = 'planned'))
GROUP BY 1, 2, 3
