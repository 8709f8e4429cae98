-- case: orders_by_gender_born_in_the_1990s
-- question: Orders by gender for customers born between 1990 and 1999
-- dialect: duckdb
-- as_of: 2025-12-31
SELECT
  customers.gender AS gender,
  COUNT(orders.order_id) AS orders
FROM orders
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
WHERE
  customers.birth_year BETWEEN 1990 AND 1999
GROUP BY
  customers.gender
ORDER BY
  gender ASC
