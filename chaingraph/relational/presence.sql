-- presence.sql: which zones (of :scope) make which products, over the whole data: M of the gap
-- matrix's relatedness density (docs/analysis.md, "Where to invest"). Zones times products: small.
WITH @include(zs_makers_cte)
SELECT DISTINCT zone, product FROM all_makers WHERE zone <> ''
