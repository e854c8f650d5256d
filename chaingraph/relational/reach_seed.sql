-- reach_seed.sql: one step from each product of `reach_from(product)` in `reach_g`: (s, x) with s the
-- product and x one step from it (its successors, or its predecessors upstream). The first frontier
-- of a reachability, and what a product's neighbours are.
SELECT DISTINCT f.product AS s, g.b AS x FROM reach_from f JOIN reach_g g ON g.a = f.product
