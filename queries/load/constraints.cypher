// Constraints and indexes chaingraph's loader creates first (idempotent).
CREATE CONSTRAINT enterprise_id IF NOT EXISTS FOR (e:Enterprise) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT product_name IF NOT EXISTS FOR (p:Product) REQUIRE p.name IS UNIQUE;
CREATE CONSTRAINT zone_name IF NOT EXISTS FOR (z:Zone) REQUIRE z.name IS UNIQUE;
CREATE CONSTRAINT chain_name IF NOT EXISTS FOR (c:Chain) REQUIRE c.name IS UNIQUE;
CREATE INDEX enterprise_zone IF NOT EXISTS FOR (e:Enterprise) ON (e.zone);
CREATE INDEX supplies_key IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.key);
CREATE INDEX supplies_product IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.product)
