-- case: revenue_this_quarter_asked_march_31
-- question: Revenue this quarter by month, asked on 2024-03-31
-- dialect: bigquery
-- as_of: 2024-03-31
SELECT
  CAST(DATE_TRUNC(CAST(orders.ordered_at AS DATE), MONTH) AS DATE) AS metric_time__month,
  SUM(orders.revenue) AS revenue
FROM orders
WHERE
  orders.ordered_at >= CAST('2024-01-01 00:00:00' AS DATETIME)
  AND orders.ordered_at < CAST('2024-04-01 00:00:00' AS DATETIME)
GROUP BY
  metric_time__month
ORDER BY
  metric_time__month ASC NULLS LAST
