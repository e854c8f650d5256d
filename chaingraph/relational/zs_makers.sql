-- zs_makers.sql: every maker of every zone (zs_makers_cte.sql's `all_makers`), held on the engine as
-- `zs_all_makers` by the all-zones summary: zs_potential.sql, zs_gaps.sql and zs_stage_makers.sql read it
-- (zs_held_makers_cte.sql) instead of each computing it again (a scan of every link and of the listed
-- products: about 0.2 s at 2M links, each time).
WITH @include(zs_makers_cte)
SELECT zone, product, maker FROM all_makers
