-- case: revenue_trailing_month_leap_day
-- question: Revenue in the past month, asked on 2024-02-29
-- dialect: spark
-- as_of: 2024-02-29
SELECT
  SUM(orders.revenue) AS revenue
FROM orders
WHERE
  orders.ordered_at >= CAST('2024-01-30 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2024-03-01 00:00:00' AS TIMESTAMP)
