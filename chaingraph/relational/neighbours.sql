-- neighbours.sql: the firms one active or planned link away from those in `slice_keys(fid)`, each once:
-- one hop of `view --focus`'s walk (the view draws active and planned links).
SELECT buyer_id AS fid FROM links
WHERE status IN ('active', 'planned') AND supplier_id IN (SELECT fid FROM slice_keys)
UNION
SELECT supplier_id AS fid FROM links
WHERE status IN ('active', 'planned') AND buyer_id IN (SELECT fid FROM slice_keys)
