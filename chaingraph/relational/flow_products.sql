-- flow_products.sql: the products of the considered links: the product flow graph's nodes.
SELECT DISTINCT product FROM links WHERE status = 'active' OR (:planned AND status = 'planned')
