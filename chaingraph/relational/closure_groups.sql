-- closure_groups.sql: definition 1 for :zone, what its firms buy on the considered links summed
-- exactly per buyer, per product, per chain and in all (part 'all', 'buyer', 'product', 'chain';
-- `key` the buyer, product or chain), local (supplier in :zone) and total: the zone's, each
-- buyer's, product's and chain's ratio. A purchase counts for every chain of its product
-- (chains.csv, :mapped: the chain's stages and their inputs, each once) or, without chains.csv, for
-- each item of its buyer's `industry` cell. Integer chunk sums: the same figures as summing
-- closure_into.sql's groups.
WITH bought AS (
  SELECT buyer_id, product, COALESCE(s_zone = :zone, FALSE) AS s_in, value
  FROM zl
  WHERE b_zone = :zone AND (status = 'active' OR (:planned AND status = 'planned'))
),
stages AS (
  SELECT chain, product AS tag FROM chains WHERE :mapped
  UNION
  SELECT chain, input AS tag FROM chains WHERE :mapped AND input IS NOT NULL AND input <> ''
),
tags AS (
  SELECT chain, tag FROM stages
  UNION ALL
  SELECT i.chain, i.id AS tag
  FROM industries i JOIN enterprises e ON e.id = i.id
  WHERE NOT :mapped AND CASE :scope WHEN 'city' THEN e.city WHEN 'province' THEN e.province ELSE e.zone END = :zone
),
parts AS (
  SELECT 'buyer' AS part, buyer_id AS key, s_in, value FROM bought WHERE buyer_id IS NOT NULL
  UNION ALL
  SELECT 'product' AS part, product AS key, s_in, value FROM bought WHERE product IS NOT NULL
  UNION ALL
  SELECT 'chain' AS part, t.chain AS key, b.s_in, b.value
  FROM bought b JOIN tags t ON t.tag = CASE WHEN :mapped THEN b.product ELSE b.buyer_id END
  WHERE t.chain IS NOT NULL
  UNION ALL
  SELECT 'all' AS part, '' AS key, s_in, value FROM bought
)
SELECT part, key, EXACT_SUM(CASE WHEN s_in THEN value ELSE 0.0E0 END) AS local, EXACT_SUM(value) AS total
FROM parts
GROUP BY part, key
ORDER BY part, key
