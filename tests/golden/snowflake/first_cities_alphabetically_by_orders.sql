-- case: first_cities_alphabetically_by_orders
-- question: Orders for the first 3 cities in alphabetical order
-- dialect: snowflake
-- as_of: 2025-12-31
SELECT
  customers.city AS city,
  COUNT(orders.order_id) AS orders
FROM orders
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
GROUP BY
  customers.city
ORDER BY
  city ASC
LIMIT 3
