-- case: aov_by_channel
-- question: Average order value by marketing channel in 2025
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  campaigns.channel AS channel,
  CAST(SUM(orders.revenue) AS FLOAT64) / NULLIF(COUNT(orders.order_id), 0) AS aov
FROM orders
LEFT JOIN campaigns
  ON orders.campaign_id = campaigns.campaign_id
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS DATETIME)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS DATETIME)
GROUP BY
  channel
ORDER BY
  channel ASC NULLS LAST
