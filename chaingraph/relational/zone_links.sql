-- zone_links.sql: every link with the zone (or city, province: :scope) of its supplier and of its
-- buyer, NULL for an id with no enterprise row. Each engine keeps it as the relation `zl` that
-- every other query reads (one join of links with enterprises per scope, not one per query).
SELECT l.rn, l.supplier_id, l.buyer_id, l.product, l.status, l.value, l.landed, l.vol,
       CASE :scope WHEN 'city' THEN s.city WHEN 'province' THEN s.province ELSE s.zone END AS s_zone,
       CASE :scope WHEN 'city' THEN b.city WHEN 'province' THEN b.province ELSE b.zone END AS b_zone
FROM links l
LEFT JOIN enterprises s ON s.id = l.supplier_id
LEFT JOIN enterprises b ON b.id = l.buyer_id
