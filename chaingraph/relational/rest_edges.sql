-- rest_edges.sql: flow_edges.sql for the firms not in `slice_keys(fid)` (the firms at the ends of the
-- links a what-if landing adds or ends): their part of the product flow graph, unchanged by it, as pairs.
WITH a AS (
  SELECT supplier_id, buyer_id, product FROM links
  WHERE status = 'active' OR (:planned AND status = 'planned')
),
bought AS (SELECT DISTINCT buyer_id AS firm, product AS p FROM a WHERE buyer_id NOT IN (SELECT fid FROM slice_keys)),
sold AS (SELECT DISTINCT supplier_id AS firm, product AS q FROM a WHERE supplier_id NOT IN (SELECT fid FROM slice_keys))
SELECT DISTINCT b.p, s.q FROM bought b JOIN sold s ON s.firm = b.firm WHERE b.p <> s.q
