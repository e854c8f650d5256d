-- zone_turns.sql: without chains.csv, the products firms of :zone sell (`sold`, turned = FALSE)
-- and those a firm of :zone buys and turns into another product it sells (turned = TRUE): the
-- derived end products are the first less the second (docs/analysis.md, definition 2).
WITH a AS (
  SELECT supplier_id, buyer_id, product, s_zone, b_zone FROM zl
  WHERE (s_zone = :zone OR b_zone = :zone) AND (status = 'active' OR (:planned AND status = 'planned'))
),
zb AS (SELECT DISTINCT buyer_id AS firm, product AS p FROM a WHERE b_zone = :zone),
zs AS (SELECT DISTINCT supplier_id AS firm, product AS q FROM a WHERE s_zone = :zone)
SELECT DISTINCT q AS product, FALSE AS turned FROM zs
UNION ALL
SELECT DISTINCT zb.p AS product, TRUE AS turned FROM zb JOIN zs ON zs.firm = zb.firm WHERE zb.p <> zs.q
