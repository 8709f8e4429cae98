-- case: revenue_share_by_sales_channel_top3_2025
-- question: Top 3 sales channels by share of revenue in 2025
-- dialect: spark
-- as_of: 2025-12-31
SELECT
  orders.sales_channel AS sales_channel,
  SUM(orders.revenue) AS revenue,
  CAST(SUM(orders.revenue) AS DOUBLE) / NULLIF(SUM(SUM(orders.revenue)) OVER (), 0) AS revenue__share
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
GROUP BY
  orders.sales_channel
ORDER BY
  revenue__share DESC,
  sales_channel ASC NULLS LAST
LIMIT 3
