-- case: spend_and_revenue_by_month
-- question: Spend and revenue by month in 2024
-- dialect: bigquery
-- as_of: 2025-12-31
WITH ad_spend_agg AS (
  SELECT
    CAST(DATE_TRUNC(ad_spend.date, MONTH) AS DATE) AS metric_time__month,
    SUM(ad_spend.spend) AS spend
  FROM ad_spend
  WHERE
    ad_spend.date >= CAST('2024-01-01' AS DATE)
    AND ad_spend.date < CAST('2025-01-01' AS DATE)
  GROUP BY
    CAST(DATE_TRUNC(ad_spend.date, MONTH) AS DATE)
), orders_agg AS (
  SELECT
    CAST(DATE_TRUNC(CAST(orders.ordered_at AS DATE), MONTH) AS DATE) AS metric_time__month,
    SUM(orders.revenue) AS revenue
  FROM orders
  WHERE
    orders.ordered_at >= CAST('2024-01-01 00:00:00' AS DATETIME)
    AND orders.ordered_at < CAST('2025-01-01 00:00:00' AS DATETIME)
  GROUP BY
    CAST(DATE_TRUNC(CAST(orders.ordered_at AS DATE), MONTH) AS DATE)
), group_keys AS (
  SELECT
    metric_time__month
  FROM ad_spend_agg
  UNION DISTINCT
  SELECT
    metric_time__month
  FROM orders_agg
)
SELECT
  group_keys.metric_time__month AS metric_time__month,
  COALESCE(ad_spend_agg.spend, 0) AS spend,
  orders_agg.revenue AS revenue
FROM group_keys
LEFT JOIN ad_spend_agg
  ON group_keys.metric_time__month IS NOT DISTINCT FROM ad_spend_agg.metric_time__month
LEFT JOIN orders_agg
  ON group_keys.metric_time__month IS NOT DISTINCT FROM orders_agg.metric_time__month
ORDER BY
  metric_time__month ASC NULLS LAST
