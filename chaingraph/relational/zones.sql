-- zones.sql: the zones (or cities, provinces: :scope) the enterprises name, each once.
SELECT DISTINCT CASE :scope WHEN 'city' THEN city WHEN 'province' THEN province ELSE zone END AS zone
FROM enterprises
