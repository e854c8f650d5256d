-- zs_held_makers_cte.sql (included): `all_makers`, every maker of every zone as zs_makers.sql held it
-- (the relation `zs_all_makers`), and `mcount`, the makers per zone and product.
all_makers AS (SELECT zone, product, maker FROM zs_all_makers),
mcount AS (SELECT zone, product, COUNT(*) AS n_makers FROM zs_all_makers GROUP BY zone, product)
