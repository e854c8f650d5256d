// has_chain_map.cypher — whether a chain map (chains.csv) was loaded.
RETURN EXISTS { MATCH (:Chain) } AS has_chain_map
