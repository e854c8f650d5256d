-- names.sql: every enterprise's id and name.
SELECT id, name FROM enterprises
