-- case: revenue_last_quarter_asked_jan_15
-- question: Revenue last quarter, asked on 2025-01-15 (crosses the year boundary)
-- dialect: snowflake
-- as_of: 2025-01-15
SELECT
  SUM(orders.revenue) AS revenue,
  COUNT(orders.order_id) AS orders
FROM orders
WHERE
  orders.ordered_at >= CAST('2024-10-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2025-01-01 00:00:00' AS TIMESTAMP)
