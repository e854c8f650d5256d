-- members.sql: the firms of zone :zone (docs/analysis.md, "The definitions"), id and name.
SELECT id, name FROM enterprises
WHERE CASE :scope WHEN 'city' THEN city WHEN 'province' THEN province ELSE zone END = :zone
