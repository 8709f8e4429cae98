-- case: cvr_by_channel
-- question: Conversion rate by channel in 2025
-- dialect: bigquery
-- as_of: 2025-12-31
WITH orders_agg AS (
  SELECT
    campaigns.channel AS channel,
    COUNT(orders.order_id) AS attributed_orders
  FROM orders
  LEFT JOIN campaigns
    ON orders.campaign_id = campaigns.campaign_id
  WHERE
    orders.ordered_at >= CAST('2025-01-01 00:00:00' AS DATETIME)
    AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS DATETIME)
    AND NOT orders.campaign_id IS NULL
  GROUP BY
    campaigns.channel
), ad_spend_agg AS (
  SELECT
    campaigns.channel AS channel,
    SUM(ad_spend.clicks) AS clicks
  FROM ad_spend
  LEFT JOIN campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
  WHERE
    ad_spend.date >= CAST('2025-01-01' AS DATE)
    AND ad_spend.date < CAST('2026-01-01' AS DATE)
  GROUP BY
    campaigns.channel
), group_keys AS (
  SELECT
    channel
  FROM orders_agg
  UNION DISTINCT
  SELECT
    channel
  FROM ad_spend_agg
)
SELECT
  group_keys.channel AS channel,
  CAST(COALESCE(orders_agg.attributed_orders, 0) AS FLOAT64) / NULLIF(COALESCE(ad_spend_agg.clicks, 0), 0) AS cvr
FROM group_keys
LEFT JOIN orders_agg
  ON group_keys.channel IS NOT DISTINCT FROM orders_agg.channel
LEFT JOIN ad_spend_agg
  ON group_keys.channel IS NOT DISTINCT FROM ad_spend_agg.channel
ORDER BY
  channel ASC NULLS LAST
