// One batch of (enterprise, product) pairs from the products column.
UNWIND $rows AS r
MATCH (e:Enterprise {id: r.id})
MERGE (p:Product {name: r.product})
MERGE (e)-[:MAKES]->(p)
