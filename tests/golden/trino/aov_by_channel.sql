-- case: aov_by_channel
-- question: Average order value by marketing channel in 2025
-- dialect: trino
-- as_of: 2025-12-31
SELECT
  campaigns.channel AS channel,
  CAST(SUM(orders.revenue) AS DOUBLE) / NULLIF(COUNT(orders.order_id), 0) AS aov
FROM orders
LEFT JOIN campaigns
  ON orders.campaign_id = campaigns.campaign_id
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
GROUP BY
  campaigns.channel
ORDER BY
  channel ASC
