-- zs_lsr.sql: definition 1 for every zone at once: what each zone's firms buy, and buy locally.
SELECT b_zone AS zone, EXACT_SUM(value) AS total, EXACT_SUM(CASE WHEN s_zone = b_zone THEN value END) AS local
FROM zl
WHERE b_zone IS NOT NULL AND (status = 'active' OR (:planned AND status = 'planned'))
GROUP BY b_zone
