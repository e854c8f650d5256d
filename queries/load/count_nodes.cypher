// Nodes per label after a load.
UNWIND ['Enterprise', 'Product', 'Zone', 'Chain'] AS label
CALL (label) { MATCH (n) WHERE label IN labels(n) RETURN count(n) AS n }
RETURN label, n
