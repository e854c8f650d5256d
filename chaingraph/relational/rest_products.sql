-- rest_products.sql: the products of `rest` (rest_cte.sql), each once: nodes of the flow graph after a landing.
WITH @include(rest_cte)
SELECT DISTINCT product FROM rest
