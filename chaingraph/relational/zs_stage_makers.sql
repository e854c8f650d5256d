-- zs_stage_makers.sql: per zone, how many of the chain map's stages (products and inputs) it makes.
WITH @include(zs_held_makers_cte),
stages AS (SELECT product FROM chains UNION SELECT input AS product FROM chains WHERE input <> '')
SELECT a.zone, COUNT(DISTINCT a.product) AS made
FROM all_makers a JOIN stages s ON s.product = a.product
GROUP BY a.zone
