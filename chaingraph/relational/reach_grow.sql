-- reach_grow.sql: what is reached so far (`reach_seen`) with the last frontier (`reach_new`) added.
SELECT s, x FROM reach_seen UNION ALL SELECT s, x FROM reach_new
