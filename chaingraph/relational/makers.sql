-- makers.sql: every maker of each product in :zone with the value it sold of it (0 when only
-- listed): the engine orders them by product, value sold (largest first), then id.
WITH @include(makers_cte)
SELECT m.product, m.maker, EXACT(s.sold)
FROM makers m LEFT JOIN sold s ON s.product = m.product AND s.maker = m.maker
