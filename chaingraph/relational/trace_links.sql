-- trace_links.sql: the links the invitation tracer (analysis/invite.py) follows behind a zone's outside
-- suppliers: considered links of the products in the small relation `traced(product)` (what the zone
-- buys from outside) bought by a trader or logistics firm, or routed through intermediaries (`via`).
SELECT l.* FROM links_all l
WHERE (l.status = 'active' OR (:planned AND l.status = 'planned'))
  AND l.product IN (SELECT product FROM traced)
  AND (l.via <> '' OR l.buyer_id IN (SELECT id FROM enterprises_all WHERE kind IN ('trader', 'logistics')))
ORDER BY l.rn
