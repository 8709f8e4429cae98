-- case: revenue_per_buyer_by_month
-- question: Revenue per buyer by month, last quarter
-- dialect: snowflake
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE) AS metric_time__month,
  CAST(SUM(orders.revenue) AS DOUBLE) / NULLIF(COUNT(DISTINCT orders.customer_id), 0) AS revenue_per_buyer
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-07-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2025-10-01 00:00:00' AS TIMESTAMP)
GROUP BY
  CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE)
ORDER BY
  metric_time__month ASC
