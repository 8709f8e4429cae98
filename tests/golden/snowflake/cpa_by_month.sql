-- case: cpa_by_month
-- question: 每月单次转化成本
-- dialect: snowflake
-- as_of: 2025-12-31
WITH ad_spend_agg AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE) AS metric_time__month,
    SUM(ad_spend.spend) AS spend
  FROM ad_spend
  GROUP BY
    CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE)
), orders_agg AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE) AS metric_time__month,
    COUNT(orders.order_id) AS attributed_orders
  FROM orders
  WHERE
    NOT orders.campaign_id IS NULL
  GROUP BY
    CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE)
), group_keys AS (
  SELECT
    metric_time__month
  FROM ad_spend_agg
  UNION
  SELECT
    metric_time__month
  FROM orders_agg
)
SELECT
  group_keys.metric_time__month AS metric_time__month,
  CAST(COALESCE(ad_spend_agg.spend, 0) AS DOUBLE) / NULLIF(COALESCE(orders_agg.attributed_orders, 0), 0) AS cpa
FROM group_keys
LEFT JOIN ad_spend_agg
  ON group_keys.metric_time__month IS NOT DISTINCT FROM ad_spend_agg.metric_time__month
LEFT JOIN orders_agg
  ON group_keys.metric_time__month IS NOT DISTINCT FROM orders_agg.metric_time__month
ORDER BY
  metric_time__month ASC
