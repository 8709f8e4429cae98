-- case: top_channels_by_revenue_with_3500_orders_2025
-- question: Top 3 sales channels by revenue among those with more than 3,500 orders in 2025 (the condition applies before the cut, so two rows, not three)
-- dialect: trino
-- as_of: 2025-12-31
SELECT
  orders.sales_channel AS sales_channel,
  SUM(orders.revenue) AS revenue,
  COUNT(orders.order_id) AS orders
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  AND NOT orders.sales_channel IS NULL
GROUP BY
  orders.sales_channel
HAVING
  COUNT(orders.order_id) > 3500
ORDER BY
  revenue DESC,
  sales_channel ASC
LIMIT 3
