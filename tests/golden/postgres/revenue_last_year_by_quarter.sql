-- case: revenue_last_year_by_quarter
-- question: 去年每季度的营收, asked on 2025-01-01
-- dialect: postgres
-- as_of: 2025-01-01
SELECT
  CAST(DATE_TRUNC('QUARTER', orders.ordered_at) AS DATE) AS metric_time__quarter,
  SUM(orders.revenue) AS revenue
FROM orders
WHERE
  orders.ordered_at >= CAST('2024-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2025-01-01 00:00:00' AS TIMESTAMP)
GROUP BY
  CAST(DATE_TRUNC('QUARTER', orders.ordered_at) AS DATE)
ORDER BY
  metric_time__quarter ASC
