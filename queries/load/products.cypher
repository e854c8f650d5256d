// One batch of product names (every product a link names), created once.
UNWIND $rows AS r
MERGE (:Product {name: r.name})
