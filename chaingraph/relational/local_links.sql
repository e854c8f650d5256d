-- local_links.sql: definition 3's local supply subgraph of :zone, each (supplier, buyer) once.
SELECT DISTINCT supplier_id, buyer_id
FROM zl
WHERE s_zone = :zone AND b_zone = :zone AND (status = 'active' OR (:planned AND status = 'planned'))
