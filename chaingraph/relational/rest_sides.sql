-- rest_sides.sql: what the firms in `slice_keys(fid)` buy (side 'b') and sell ('s') on `rest`
-- (rest_cte.sql), each (firm, product, side) once: with their links after a what-if landing, their
-- part of the product flow graph.
WITH @include(rest_cte)
SELECT DISTINCT buyer_id AS firm, product, 'b' AS side FROM rest WHERE buyer_id IN (SELECT fid FROM slice_keys)
UNION ALL
SELECT DISTINCT supplier_id AS firm, product, 's' AS side FROM rest WHERE supplier_id IN (SELECT fid FROM slice_keys)
