-- case: roas_cvr_cpa_spend_by_channel_and_month
-- question: Spend, ROAS, CVR and CPA by channel and month in Q4 2025
-- dialect: bigquery
-- as_of: 2025-12-31
WITH ad_spend_agg AS (
  SELECT
    campaigns.channel AS channel,
    CAST(DATE_TRUNC(ad_spend.date, MONTH) AS DATE) AS metric_time__month,
    SUM(ad_spend.spend) AS spend,
    SUM(ad_spend.clicks) AS clicks
  FROM ad_spend
  LEFT JOIN campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
  WHERE
    ad_spend.date >= CAST('2025-10-01' AS DATE)
    AND ad_spend.date < CAST('2026-01-01' AS DATE)
  GROUP BY
    campaigns.channel,
    CAST(DATE_TRUNC(ad_spend.date, MONTH) AS DATE)
), orders_agg AS (
  SELECT
    campaigns.channel AS channel,
    CAST(DATE_TRUNC(CAST(orders.ordered_at AS DATE), MONTH) AS DATE) AS metric_time__month,
    SUM(orders.revenue) AS attributed_revenue,
    COUNT(orders.order_id) AS attributed_orders
  FROM orders
  LEFT JOIN campaigns
    ON orders.campaign_id = campaigns.campaign_id
  WHERE
    orders.ordered_at >= CAST('2025-10-01 00:00:00' AS DATETIME)
    AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS DATETIME)
    AND NOT orders.campaign_id IS NULL
  GROUP BY
    campaigns.channel,
    CAST(DATE_TRUNC(CAST(orders.ordered_at AS DATE), MONTH) AS DATE)
), group_keys AS (
  SELECT
    channel,
    metric_time__month
  FROM ad_spend_agg
  UNION DISTINCT
  SELECT
    channel,
    metric_time__month
  FROM orders_agg
)
SELECT
  group_keys.channel AS channel,
  group_keys.metric_time__month AS metric_time__month,
  COALESCE(ad_spend_agg.spend, 0) AS spend,
  CAST(COALESCE(orders_agg.attributed_revenue, 0) AS FLOAT64) / NULLIF(COALESCE(ad_spend_agg.spend, 0), 0) AS roas,
  CAST(COALESCE(orders_agg.attributed_orders, 0) AS FLOAT64) / NULLIF(COALESCE(ad_spend_agg.clicks, 0), 0) AS cvr,
  CAST(COALESCE(ad_spend_agg.spend, 0) AS FLOAT64) / NULLIF(COALESCE(orders_agg.attributed_orders, 0), 0) AS cpa
FROM group_keys
LEFT JOIN ad_spend_agg
  ON group_keys.channel IS NOT DISTINCT FROM ad_spend_agg.channel
  AND group_keys.metric_time__month IS NOT DISTINCT FROM ad_spend_agg.metric_time__month
LEFT JOIN orders_agg
  ON group_keys.channel IS NOT DISTINCT FROM orders_agg.channel
  AND group_keys.metric_time__month IS NOT DISTINCT FROM orders_agg.metric_time__month
ORDER BY
  channel ASC NULLS LAST,
  metric_time__month ASC NULLS LAST
