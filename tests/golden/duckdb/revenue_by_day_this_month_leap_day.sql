-- case: revenue_by_day_this_month_leap_day
-- question: Daily revenue this month, asked on 2024-02-29
-- dialect: duckdb
-- as_of: 2024-02-29
SELECT
  CAST(orders.ordered_at AS DATE) AS metric_time__day,
  SUM(orders.revenue) AS revenue
FROM orders
WHERE
  orders.ordered_at >= CAST('2024-02-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2024-03-01 00:00:00' AS TIMESTAMP)
GROUP BY
  CAST(orders.ordered_at AS DATE)
ORDER BY
  metric_time__day ASC
