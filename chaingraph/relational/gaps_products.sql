-- gaps_products.sql: definition 6 for :zone, per product :zone buys on the considered links: the
-- purchases and the external demand (bought from outside), summed exactly.
SELECT product, EXACT_SUM(value) AS purchase,
       EXACT_SUM(CASE WHEN COALESCE(s_zone = :zone, FALSE) THEN NULL ELSE value END) AS demand
FROM zl
WHERE b_zone = :zone AND (status = 'active' OR (:planned AND status = 'planned'))
GROUP BY product
