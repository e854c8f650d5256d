-- reach_landed.sql: the product flow graph after a what-if landing, held as `reach_landed`: the pairs
-- of the firms no changed link touches (rest_edges.sql, `slice_keys` the changed links' firms), the
-- pairs of those firms after the landing (`reach_mine(p, q)`, computed from their own rows), and the
-- chain map's input -> product rows.
SELECT DISTINCT p, q FROM (
  SELECT p, q FROM (@include(rest_edges)) r
  UNION ALL
  SELECT p, q FROM reach_mine
  UNION ALL
  SELECT input AS p, product AS q FROM chains WHERE input IS NOT NULL AND input <> '' AND input <> product
) e
