-- counts.sql: how many rows each table has (what a report says it analysed).
SELECT (SELECT COUNT(*) FROM enterprises) AS enterprises, (SELECT COUNT(*) FROM links) AS links,
       (SELECT COUNT(*) FROM chains) AS chains
