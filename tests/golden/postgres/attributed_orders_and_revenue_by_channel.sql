-- case: attributed_orders_and_revenue_by_channel
-- question: Attributed orders and attributed revenue by channel in 2025
-- dialect: postgres
-- as_of: 2025-12-31
SELECT
  campaigns.channel AS channel,
  COUNT(orders.order_id) AS attributed_orders,
  SUM(orders.revenue) AS attributed_revenue
FROM orders
LEFT JOIN campaigns
  ON orders.campaign_id = campaigns.campaign_id
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  AND NOT orders.campaign_id IS NULL
GROUP BY
  campaigns.channel
ORDER BY
  channel ASC
