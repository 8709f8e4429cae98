-- case: roas_by_month
-- question: ROAS by month in 2025
-- dialect: snowflake
-- as_of: 2025-12-31
WITH orders_agg AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE) AS metric_time__month,
    SUM(orders.revenue) AS attributed_revenue
  FROM orders
  WHERE
    orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
    AND NOT orders.campaign_id IS NULL
  GROUP BY
    CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE)
), ad_spend_agg AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE) AS metric_time__month,
    SUM(ad_spend.spend) AS spend
  FROM ad_spend
  WHERE
    ad_spend.date >= CAST('2025-01-01' AS DATE)
    AND ad_spend.date < CAST('2026-01-01' AS DATE)
  GROUP BY
    CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE)
), group_keys AS (
  SELECT
    metric_time__month
  FROM orders_agg
  UNION
  SELECT
    metric_time__month
  FROM ad_spend_agg
)
SELECT
  group_keys.metric_time__month AS metric_time__month,
  CAST(COALESCE(orders_agg.attributed_revenue, 0) AS DOUBLE) / NULLIF(COALESCE(ad_spend_agg.spend, 0), 0) AS roas
FROM group_keys
LEFT JOIN orders_agg
  ON group_keys.metric_time__month IS NOT DISTINCT FROM orders_agg.metric_time__month
LEFT JOIN ad_spend_agg
  ON group_keys.metric_time__month IS NOT DISTINCT FROM ad_spend_agg.metric_time__month
ORDER BY
  metric_time__month ASC
