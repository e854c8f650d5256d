-- view_links.sql: the links the graph page reads, all columns, in file order: with :focus empty the links
-- touching :zone (:scope), else the links among the firms of `slice_keys(fid)` (the focus's
-- neighbourhood); and the active and planned purchases of the products in `traced(product)` by the
-- traders and logistics firms in `behind_firms(fid)` (the makers behind a gap's intermediary supplier).
WITH members AS (
  SELECT id FROM enterprises
  WHERE CASE :scope WHEN 'city' THEN city WHEN 'province' THEN province ELSE zone END = :zone
)
SELECT l.* FROM links_all l
WHERE (:focus = '' AND (l.supplier_id IN (SELECT id FROM members) OR l.buyer_id IN (SELECT id FROM members)))
   OR (:focus <> '' AND l.supplier_id IN (SELECT fid FROM slice_keys) AND l.buyer_id IN (SELECT fid FROM slice_keys))
   OR (l.status IN ('active', 'planned') AND l.buyer_id IN (SELECT fid FROM behind_firms)
       AND l.product IN (SELECT product FROM traced))
ORDER BY l.rn
