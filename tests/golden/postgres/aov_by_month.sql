-- case: aov_by_month
-- question: AOV by month in 2025
-- dialect: postgres
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE) AS metric_time__month,
  CAST(SUM(orders.revenue) AS DOUBLE PRECISION) / NULLIF(COUNT(orders.order_id), 0) AS aov
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
GROUP BY
  CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE)
ORDER BY
  metric_time__month ASC
