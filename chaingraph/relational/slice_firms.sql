-- slice_firms.sql: the enterprises of one zone's slice, all their columns, in file order: the firms of
-- :zone (:scope) and every firm whose id (or name: a firm named on the command line) is in the small
-- relation `slice_keys(fid)` that the engine registers (the ends and intermediaries of the slice's links).
SELECT e.* FROM enterprises_all e
WHERE CASE :scope WHEN 'city' THEN e.city WHEN 'province' THEN e.province ELSE e.zone END = :zone
   OR e.id IN (SELECT fid FROM slice_keys) OR e.name IN (SELECT fid FROM slice_keys)
ORDER BY e.rn
