-- rest_edges.sql: flow_edges.sql over `rest` (rest_cte.sql) for the firms not in `slice_keys(fid)` (the
-- firms whose links a what-if landing changes): their part of the product flow graph after it, as pairs.
WITH @include(rest_cte),
bought AS (SELECT DISTINCT buyer_id AS firm, product AS p FROM rest WHERE buyer_id NOT IN (SELECT fid FROM slice_keys)),
sold AS (SELECT DISTINCT supplier_id AS firm, product AS q FROM rest WHERE supplier_id NOT IN (SELECT fid FROM slice_keys))
SELECT DISTINCT b.p, s.q FROM bought b JOIN sold s ON s.firm = b.firm WHERE b.p <> s.q
