-- firms_named.sql: id, name and kind of the firms in the small relation `slice_keys(fid)` (the peer
-- zones' makers of a zone's gaps, for the benchmark).
SELECT id, name, kind FROM enterprises_all WHERE id IN (SELECT fid FROM slice_keys)
