-- reach_start.sql: the frontier the next step starts from: the last step's new pairs (`reach_new`);
-- after the first step also all that is reached so far.
SELECT s, x FROM reach_new
