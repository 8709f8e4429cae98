-- case: spend_and_revenue_share_by_channel_2025
-- question: Share of ad spend and of revenue by marketing channel in 2025
-- dialect: postgres
-- as_of: 2025-12-31
WITH ad_spend_agg AS (
  SELECT
    campaigns.channel AS channel,
    SUM(ad_spend.spend) AS spend
  FROM ad_spend
  LEFT JOIN campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
  WHERE
    ad_spend.date >= CAST('2025-01-01' AS DATE)
    AND ad_spend.date < CAST('2026-01-01' AS DATE)
  GROUP BY
    campaigns.channel
), orders_agg AS (
  SELECT
    campaigns.channel AS channel,
    SUM(orders.revenue) AS revenue
  FROM orders
  LEFT JOIN campaigns
    ON orders.campaign_id = campaigns.campaign_id
  WHERE
    orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    campaigns.channel
), group_keys AS (
  SELECT
    channel
  FROM ad_spend_agg
  UNION
  SELECT
    channel
  FROM orders_agg
)
SELECT
  group_keys.channel AS channel,
  COALESCE(ad_spend_agg.spend, 0) AS spend,
  CAST(COALESCE(ad_spend_agg.spend, 0) AS DOUBLE PRECISION) / NULLIF(SUM(COALESCE(ad_spend_agg.spend, 0)) OVER (), 0) AS spend__share,
  orders_agg.revenue AS revenue,
  CAST(orders_agg.revenue AS DOUBLE PRECISION) / NULLIF(SUM(orders_agg.revenue) OVER (), 0) AS revenue__share
FROM group_keys
LEFT JOIN ad_spend_agg
  ON group_keys.channel IS NOT DISTINCT FROM ad_spend_agg.channel
LEFT JOIN orders_agg
  ON group_keys.channel IS NOT DISTINCT FROM orders_agg.channel
ORDER BY
  channel ASC
