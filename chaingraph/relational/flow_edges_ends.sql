-- flow_edges_ends.sql: flow_edges.sql over a validated copy, its firms the integer link ends (the row of the
-- supplier and of the buyer in enterprises, `link_ends`, read beside the links row for row) instead of the text
-- ids: the same pairs (an id names one row; -1, no row, only for an empty id), joined on integers. DuckDB only.
WITH a AS (
  SELECT e.supplier, e.buyer, l.product
  FROM (SELECT product, status FROM links) l POSITIONAL JOIN link_ends e
  WHERE l.status = 'active' OR (:planned AND l.status = 'planned')
),
bought AS (SELECT DISTINCT buyer AS firm, product AS p FROM a),
sold AS (SELECT DISTINCT supplier AS firm, product AS q FROM a)
SELECT DISTINCT b.p, s.q FROM bought b JOIN sold s ON s.firm = b.firm WHERE b.p <> s.q
