-- reach_empty.sql: no pairs, held as `reach_landed` until a what-if landing holds its graph there.
SELECT CAST(NULL AS STRING) AS p, CAST(NULL AS STRING) AS q FROM chains WHERE 1 = 0
