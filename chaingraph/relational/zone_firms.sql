-- zone_firms.sql: the firms of :zone with what they report of their size (output value, employees).
SELECT id, name, zone, city, province, CAST(output_value AS DOUBLE) AS output_value,
       CAST(employees AS DOUBLE) AS employees
FROM enterprises
WHERE CASE :scope WHEN 'city' THEN city WHEN 'province' THEN province ELSE zone END = :zone
