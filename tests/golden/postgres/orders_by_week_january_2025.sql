-- case: orders_by_week_january_2025
-- question: Orders by week in January 2025 (weeks start on Monday)
-- dialect: postgres
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC('WEEK', orders.ordered_at) AS DATE) AS metric_time__week,
  COUNT(orders.order_id) AS orders
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2025-02-01 00:00:00' AS TIMESTAMP)
GROUP BY
  CAST(DATE_TRUNC('WEEK', orders.ordered_at) AS DATE)
ORDER BY
  metric_time__week ASC
