-- case: revenue_2025
-- question: What was total revenue in 2025?
-- dialect: spark
-- as_of: 2025-12-31
SELECT
  SUM(orders.revenue) AS revenue
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
