-- case: roas_by_channel
-- question: 各渠道投产比
-- dialect: trino
-- as_of: 2025-12-31
WITH orders_agg AS (
  SELECT
    campaigns.channel AS channel,
    SUM(orders.revenue) AS attributed_revenue
  FROM orders
  LEFT JOIN campaigns
    ON orders.campaign_id = campaigns.campaign_id
  WHERE
    NOT orders.campaign_id IS NULL
  GROUP BY
    campaigns.channel
), ad_spend_agg AS (
  SELECT
    campaigns.channel AS channel,
    SUM(ad_spend.spend) AS spend
  FROM ad_spend
  LEFT JOIN campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
  GROUP BY
    campaigns.channel
), group_keys AS (
  SELECT
    channel
  FROM orders_agg
  UNION
  SELECT
    channel
  FROM ad_spend_agg
)
SELECT
  group_keys.channel AS channel,
  CAST(COALESCE(orders_agg.attributed_revenue, 0) AS DOUBLE) / NULLIF(COALESCE(ad_spend_agg.spend, 0), 0) AS roas
FROM group_keys
LEFT JOIN orders_agg
  ON group_keys.channel IS NOT DISTINCT FROM orders_agg.channel
LEFT JOIN ad_spend_agg
  ON group_keys.channel IS NOT DISTINCT FROM ad_spend_agg.channel
ORDER BY
  channel ASC
