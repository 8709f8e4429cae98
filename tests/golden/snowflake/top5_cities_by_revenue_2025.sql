-- case: top5_cities_by_revenue_2025
-- question: Top 5 cities by revenue in 2025
-- dialect: snowflake
-- as_of: 2025-12-31
SELECT
  customers.city AS city,
  SUM(orders.revenue) AS revenue,
  COUNT(DISTINCT orders.customer_id) AS buyers
FROM orders
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  AND NOT customers.city IS NULL
GROUP BY
  customers.city
ORDER BY
  revenue DESC NULLS LAST,
  city ASC
LIMIT 5
