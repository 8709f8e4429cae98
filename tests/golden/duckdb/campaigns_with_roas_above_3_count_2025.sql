-- case: campaigns_with_roas_above_3_count_2025
-- question: How many campaigns had ROAS above 3 in 2025 (the count of the rows meeting a condition on a fanned-out ratio; the CTEs stay on the outer query)
-- dialect: duckdb
-- as_of: 2025-12-31
WITH orders_agg AS (
  SELECT
    campaigns.campaign_name AS campaign_name,
    SUM(orders.revenue) AS attributed_revenue
  FROM orders
  LEFT JOIN campaigns
    ON orders.campaign_id = campaigns.campaign_id
  WHERE
    orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
    AND NOT campaigns.campaign_name IS NULL
    AND NOT orders.campaign_id IS NULL
  GROUP BY
    campaigns.campaign_name
), ad_spend_agg AS (
  SELECT
    campaigns.campaign_name AS campaign_name,
    SUM(ad_spend.spend) AS spend
  FROM ad_spend
  LEFT JOIN campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
  WHERE
    ad_spend.date >= CAST('2025-01-01' AS DATE)
    AND ad_spend.date < CAST('2026-01-01' AS DATE)
    AND NOT campaigns.campaign_name IS NULL
  GROUP BY
    campaigns.campaign_name
), group_keys AS (
  SELECT
    campaign_name
  FROM orders_agg
  UNION
  SELECT
    campaign_name
  FROM ad_spend_agg
)
SELECT
  COUNT(*) AS campaign_name__count
FROM (
  SELECT
    group_keys.campaign_name AS campaign_name,
    CAST(COALESCE(orders_agg.attributed_revenue, 0) AS DOUBLE) / NULLIF(COALESCE(ad_spend_agg.spend, 0), 0) AS roas
  FROM group_keys
  LEFT JOIN orders_agg
    ON group_keys.campaign_name IS NOT DISTINCT FROM orders_agg.campaign_name
  LEFT JOIN ad_spend_agg
    ON group_keys.campaign_name IS NOT DISTINCT FROM ad_spend_agg.campaign_name
  WHERE
    CAST(COALESCE(orders_agg.attributed_revenue, 0) AS DOUBLE) / NULLIF(COALESCE(ad_spend_agg.spend, 0), 0) > 3
) AS counted
