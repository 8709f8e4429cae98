-- case: orders_by_sales_channel_last_month
-- question: Orders by sales channel last month
-- dialect: snowflake
-- as_of: 2025-12-31
SELECT
  orders.sales_channel AS sales_channel,
  COUNT(orders.order_id) AS orders
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-11-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2025-12-01 00:00:00' AS TIMESTAMP)
GROUP BY
  orders.sales_channel
ORDER BY
  sales_channel ASC
