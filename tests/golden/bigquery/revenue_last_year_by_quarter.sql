-- case: revenue_last_year_by_quarter
-- question: 去年每季度的营收, asked on 2025-01-01
-- dialect: bigquery
-- as_of: 2025-01-01
SELECT
  CAST(DATE_TRUNC(CAST(orders.ordered_at AS DATE), QUARTER) AS DATE) AS metric_time__quarter,
  SUM(orders.revenue) AS revenue
FROM orders
WHERE
  orders.ordered_at >= CAST('2024-01-01 00:00:00' AS DATETIME)
  AND orders.ordered_at < CAST('2025-01-01 00:00:00' AS DATETIME)
GROUP BY
  metric_time__quarter
ORDER BY
  metric_time__quarter ASC NULLS LAST
