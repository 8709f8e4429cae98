-- case: attributed_orders_not_wechat_by_channel
-- question: Attributed orders by channel except WeChat, last month
-- dialect: snowflake
-- as_of: 2025-12-31
SELECT
  campaigns.channel AS channel,
  COUNT(orders.order_id) AS attributed_orders
FROM orders
LEFT JOIN campaigns
  ON orders.campaign_id = campaigns.campaign_id
WHERE
  orders.ordered_at >= CAST('2025-11-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2025-12-01 00:00:00' AS TIMESTAMP)
  AND (
    campaigns.channel <> 'wechat' OR campaigns.channel IS NULL
  )
  AND NOT orders.campaign_id IS NULL
GROUP BY
  campaigns.channel
ORDER BY
  channel ASC
