-- slice_links.sql: one zone's slice of the links: every link (of any status) with its supplier or its
-- buyer in :zone (:scope), all its columns, in file order. What the analyses computed in memory on a
-- SQL engine (leaders, routes, resilience, rank, panorama, whatif, report) read of the links.
WITH members AS (
  SELECT id FROM enterprises
  WHERE CASE :scope WHEN 'city' THEN city WHEN 'province' THEN province ELSE zone END = :zone
)
SELECT l.* FROM links_all l
WHERE l.supplier_id IN (SELECT id FROM members) OR l.buyer_id IN (SELECT id FROM members)
ORDER BY l.rn
