// Every product's name (the downstream lists are written for each).
MATCH (p:Product)
RETURN p.name AS name
ORDER BY name
