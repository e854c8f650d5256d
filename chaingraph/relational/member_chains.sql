-- member_chains.sql: without chains.csv, the chains of the firms of :zone: each item of their
-- `industry` cell (definition 1's per-chain ratio counts a purchase for its buyer's chains).
SELECT i.id, i.chain
FROM industries i JOIN enterprises e ON e.id = i.id
WHERE CASE :scope WHEN 'city' THEN e.city WHEN 'province' THEN e.province ELSE e.zone END = :zone
