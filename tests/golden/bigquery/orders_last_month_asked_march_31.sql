-- case: orders_last_month_asked_march_31
-- question: Orders last month, asked on 2024-03-31 (February of a leap year)
-- dialect: bigquery
-- as_of: 2024-03-31
SELECT
  COUNT(orders.order_id) AS orders,
  COUNT(DISTINCT orders.customer_id) AS buyers
FROM orders
WHERE
  orders.ordered_at >= CAST('2024-02-01 00:00:00' AS DATETIME)
  AND orders.ordered_at < CAST('2024-03-01 00:00:00' AS DATETIME)
