-- chains.sql: the chain map as loaded, in file order (small: the engine keeps it in memory).
SELECT chain, product, input, segment FROM chains ORDER BY line
