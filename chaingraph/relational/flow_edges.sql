-- flow_edges.sql: the product flow graph's links P -> Q (a firm buys P and sells Q on a considered
-- link, P <> Q), each once, over the whole data. Products number thousands where links number
-- millions: this is the one graph the engine brings into memory, for what is up- and downstream.
WITH a AS (
  SELECT supplier_id, buyer_id, product FROM links
  WHERE status = 'active' OR (:planned AND status = 'planned')
),
bought AS (SELECT DISTINCT buyer_id AS firm, product AS p FROM a),
sold AS (SELECT DISTINCT supplier_id AS firm, product AS q FROM a)
SELECT DISTINCT b.p, s.q FROM bought b JOIN sold s ON s.firm = b.firm WHERE b.p <> s.q
