-- case: revenue_per_buyer_by_channel
-- question: Revenue per buyer by marketing channel
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  campaigns.channel AS channel,
  CAST(SUM(orders.revenue) AS FLOAT64) / NULLIF(COUNT(DISTINCT orders.customer_id), 0) AS revenue_per_buyer
FROM orders
LEFT JOIN campaigns
  ON orders.campaign_id = campaigns.campaign_id
GROUP BY
  channel
ORDER BY
  channel ASC NULLS LAST
