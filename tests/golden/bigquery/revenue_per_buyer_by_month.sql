-- case: revenue_per_buyer_by_month
-- question: Revenue per buyer by month, last quarter
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC(CAST(orders.ordered_at AS DATE), MONTH) AS DATE) AS metric_time__month,
  CAST(SUM(orders.revenue) AS FLOAT64) / NULLIF(COUNT(DISTINCT orders.customer_id), 0) AS revenue_per_buyer
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-07-01 00:00:00' AS DATETIME)
  AND orders.ordered_at < CAST('2025-10-01 00:00:00' AS DATETIME)
GROUP BY
  metric_time__month
ORDER BY
  metric_time__month ASC NULLS LAST
