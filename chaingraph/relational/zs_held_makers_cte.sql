-- zs_held_makers_cte.sql (included): `all_makers`, every maker of every zone as zs_makers.sql held it
-- (the relation `zs_all_makers`), and `mcount`, the makers per zone and product with the least of
-- them, `a_maker`: a buyer has a candidate (definition 5: a maker other than itself) exactly when
-- n_makers > 1 or a_maker is not the buyer, so no join on the buyer is needed (zs_potential.sql).
all_makers AS (SELECT zone, product, maker FROM zs_all_makers),
mcount AS (SELECT zone, product, COUNT(*) AS n_makers, MIN(maker) AS a_maker FROM zs_all_makers GROUP BY zone, product)
