-- case: revenue_not_from_email_or_sms_by_month
-- question: Revenue not from email or SMS campaigns, by month in H2 2025 (unattributed orders count)
-- dialect: duckdb
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE) AS metric_time__month,
  SUM(orders.revenue) AS revenue
FROM orders
LEFT JOIN campaigns
  ON orders.campaign_id = campaigns.campaign_id
WHERE
  orders.ordered_at >= CAST('2025-07-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  AND (
    NOT campaigns.channel IN ('email', 'sms') OR campaigns.channel IS NULL
  )
GROUP BY
  CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE)
ORDER BY
  metric_time__month ASC
