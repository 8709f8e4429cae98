-- case: roas_by_channel_q3_vs_q4
-- question: ROAS by channel, Q3 vs Q4 2025 (each part on its own clock)
-- dialect: trino
-- as_of: 2025-12-31
WITH orders_agg AS (
  SELECT
    CASE
      WHEN orders.ordered_at >= CAST('2025-07-01 00:00:00' AS TIMESTAMP)
      AND orders.ordered_at < CAST('2025-10-01 00:00:00' AS TIMESTAMP)
      THEN CAST('2025-07-01' AS DATE)
      WHEN orders.ordered_at >= CAST('2025-10-01 00:00:00' AS TIMESTAMP)
      AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
      THEN CAST('2025-10-01' AS DATE)
    END AS period,
    campaigns.channel AS channel,
    SUM(orders.revenue) AS attributed_revenue
  FROM orders
  LEFT JOIN campaigns
    ON orders.campaign_id = campaigns.campaign_id
  WHERE
    (
      (
        orders.ordered_at >= CAST('2025-07-01 00:00:00' AS TIMESTAMP)
        AND orders.ordered_at < CAST('2025-10-01 00:00:00' AS TIMESTAMP)
      )
      OR (
        orders.ordered_at >= CAST('2025-10-01 00:00:00' AS TIMESTAMP)
        AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
      )
    )
    AND NOT orders.campaign_id IS NULL
  GROUP BY
    CASE
      WHEN orders.ordered_at >= CAST('2025-07-01 00:00:00' AS TIMESTAMP)
      AND orders.ordered_at < CAST('2025-10-01 00:00:00' AS TIMESTAMP)
      THEN CAST('2025-07-01' AS DATE)
      WHEN orders.ordered_at >= CAST('2025-10-01 00:00:00' AS TIMESTAMP)
      AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
      THEN CAST('2025-10-01' AS DATE)
    END,
    campaigns.channel
), ad_spend_agg AS (
  SELECT
    CASE
      WHEN ad_spend.date >= CAST('2025-07-01' AS DATE)
      AND ad_spend.date < CAST('2025-10-01' AS DATE)
      THEN CAST('2025-07-01' AS DATE)
      WHEN ad_spend.date >= CAST('2025-10-01' AS DATE)
      AND ad_spend.date < CAST('2026-01-01' AS DATE)
      THEN CAST('2025-10-01' AS DATE)
    END AS period,
    campaigns.channel AS channel,
    SUM(ad_spend.spend) AS spend
  FROM ad_spend
  LEFT JOIN campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
  WHERE
    (
      ad_spend.date >= CAST('2025-07-01' AS DATE)
      AND ad_spend.date < CAST('2025-10-01' AS DATE)
    )
    OR (
      ad_spend.date >= CAST('2025-10-01' AS DATE)
      AND ad_spend.date < CAST('2026-01-01' AS DATE)
    )
  GROUP BY
    CASE
      WHEN ad_spend.date >= CAST('2025-07-01' AS DATE)
      AND ad_spend.date < CAST('2025-10-01' AS DATE)
      THEN CAST('2025-07-01' AS DATE)
      WHEN ad_spend.date >= CAST('2025-10-01' AS DATE)
      AND ad_spend.date < CAST('2026-01-01' AS DATE)
      THEN CAST('2025-10-01' AS DATE)
    END,
    campaigns.channel
), group_keys AS (
  SELECT
    period,
    channel
  FROM orders_agg
  UNION
  SELECT
    period,
    channel
  FROM ad_spend_agg
)
SELECT
  group_keys.period AS period,
  group_keys.channel AS channel,
  CAST(COALESCE(orders_agg.attributed_revenue, 0) AS DOUBLE) / NULLIF(COALESCE(ad_spend_agg.spend, 0), 0) AS roas,
  (
    CAST(COALESCE(orders_agg.attributed_revenue, 0) AS DOUBLE) / NULLIF(COALESCE(ad_spend_agg.spend, 0), 0)
  ) - LAG(
    CAST(COALESCE(orders_agg.attributed_revenue, 0) AS DOUBLE) / NULLIF(COALESCE(ad_spend_agg.spend, 0), 0)
  ) OVER (PARTITION BY group_keys.channel ORDER BY group_keys.period) AS roas__change,
  CAST(CAST(COALESCE(orders_agg.attributed_revenue, 0) AS DOUBLE) / NULLIF(COALESCE(ad_spend_agg.spend, 0), 0) AS DOUBLE) / NULLIF(
    LAG(
      CAST(COALESCE(orders_agg.attributed_revenue, 0) AS DOUBLE) / NULLIF(COALESCE(ad_spend_agg.spend, 0), 0)
    ) OVER (PARTITION BY group_keys.channel ORDER BY group_keys.period),
    0
  ) - 1 AS roas__change_pct
FROM group_keys
LEFT JOIN orders_agg
  ON group_keys.period IS NOT DISTINCT FROM orders_agg.period
  AND group_keys.channel IS NOT DISTINCT FROM orders_agg.channel
LEFT JOIN ad_spend_agg
  ON group_keys.period IS NOT DISTINCT FROM ad_spend_agg.period
  AND group_keys.channel IS NOT DISTINCT FROM ad_spend_agg.channel
ORDER BY
  period ASC,
  channel ASC
