-- case: revenue_last_30_days
-- question: 近30天销售额
-- dialect: spark
-- as_of: 2025-12-31
SELECT
  SUM(orders.revenue) AS revenue
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-12-02 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
