-- case: cvr_by_month
-- question: CVR by month
-- dialect: spark
-- as_of: 2025-12-31
WITH orders_agg AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE) AS metric_time__month,
    COUNT(orders.order_id) AS attributed_orders
  FROM orders
  WHERE
    NOT orders.campaign_id IS NULL
  GROUP BY
    CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE)
), ad_spend_agg AS (
  SELECT
    CAST(TRUNC(ad_spend.date, 'MONTH') AS DATE) AS metric_time__month,
    SUM(ad_spend.clicks) AS clicks
  FROM ad_spend
  GROUP BY
    CAST(TRUNC(ad_spend.date, 'MONTH') AS DATE)
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
  CAST(COALESCE(orders_agg.attributed_orders, 0) AS DOUBLE) / NULLIF(COALESCE(ad_spend_agg.clicks, 0), 0) AS cvr
FROM group_keys
LEFT JOIN orders_agg
  ON group_keys.metric_time__month IS NOT DISTINCT FROM orders_agg.metric_time__month
LEFT JOIN ad_spend_agg
  ON group_keys.metric_time__month IS NOT DISTINCT FROM ad_spend_agg.metric_time__month
ORDER BY
  metric_time__month ASC NULLS LAST
