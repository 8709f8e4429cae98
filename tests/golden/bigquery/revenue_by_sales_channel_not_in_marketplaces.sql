-- case: revenue_by_sales_channel_not_in_marketplaces
-- question: Revenue by sales channel excluding Tmall and JD in 2025
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  orders.sales_channel AS sales_channel,
  SUM(orders.revenue) AS revenue
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS DATETIME)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS DATETIME)
  AND (
    NOT orders.sales_channel IN ('tmall', 'jd') OR orders.sales_channel IS NULL
  )
GROUP BY
  sales_channel
ORDER BY
  sales_channel ASC NULLS LAST
