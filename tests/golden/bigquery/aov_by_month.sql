-- case: aov_by_month
-- question: AOV by month in 2025
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC(CAST(orders.ordered_at AS DATE), MONTH) AS DATE) AS metric_time__month,
  CAST(SUM(orders.revenue) AS FLOAT64) / NULLIF(COUNT(orders.order_id), 0) AS aov
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS DATETIME)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS DATETIME)
GROUP BY
  metric_time__month
ORDER BY
  metric_time__month ASC NULLS LAST
