-- reach_flow.sql: the product flow graph's links P -> Q as the engine keeps them for reachability
-- (held as `reach_flow`, never brought back): flow_edges.sql's pairs (a firm buys P and sells Q on a
-- considered link) and the chain map's input -> product rows, each once, no self-loop.
SELECT DISTINCT p, q FROM (
  SELECT p, q FROM (@include(flow_edges)) f
  UNION ALL
  SELECT input AS p, product AS q FROM chains WHERE input IS NOT NULL AND input <> '' AND input <> product
) e
