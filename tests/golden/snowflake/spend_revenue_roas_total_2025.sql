-- case: spend_revenue_roas_total_2025
-- question: Total spend, revenue and ROAS in 2025
-- dialect: snowflake
-- as_of: 2025-12-31
WITH ad_spend_agg AS (
  SELECT
    SUM(ad_spend.spend) AS spend
  FROM ad_spend
  WHERE
    ad_spend.date >= CAST('2025-01-01' AS DATE)
    AND ad_spend.date < CAST('2026-01-01' AS DATE)
), orders_agg AS (
  SELECT
    SUM(orders.revenue) AS revenue,
    SUM(CASE WHEN NOT orders.campaign_id IS NULL THEN orders.revenue END) AS attributed_revenue
  FROM orders
  WHERE
    orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
)
SELECT
  ad_spend_agg.spend AS spend,
  orders_agg.revenue AS revenue,
  CAST(orders_agg.attributed_revenue AS DOUBLE) / NULLIF(ad_spend_agg.spend, 0) AS roas
FROM ad_spend_agg
CROSS JOIN orders_agg
