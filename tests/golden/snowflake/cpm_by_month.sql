-- case: cpm_by_month
-- question: CPM by month in 2025
-- dialect: snowflake
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE) AS metric_time__month,
  CAST(SUM(ad_spend.spend) AS DOUBLE) / NULLIF(SUM(ad_spend.impressions), 0) * 1000 AS cpm
FROM ad_spend
WHERE
  ad_spend.date >= CAST('2025-01-01' AS DATE)
  AND ad_spend.date < CAST('2026-01-01' AS DATE)
GROUP BY
  CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE)
ORDER BY
  metric_time__month ASC
