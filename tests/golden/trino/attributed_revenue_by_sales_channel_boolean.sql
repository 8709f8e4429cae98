-- case: attributed_revenue_by_sales_channel_boolean
-- question: Revenue of campaign-attributed orders by sales channel
-- dialect: trino
-- as_of: 2025-12-31
SELECT
  orders.sales_channel AS sales_channel,
  SUM(orders.revenue) AS revenue,
  COUNT(orders.order_id) AS orders
FROM orders
WHERE
  NOT orders.campaign_id IS NULL
GROUP BY
  orders.sales_channel
ORDER BY
  sales_channel ASC
