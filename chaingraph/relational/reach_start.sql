-- reach_start.sql: what is reached after the first step: the first frontier (`reach_new`) itself.
SELECT s, x FROM reach_new
