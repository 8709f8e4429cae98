-- case: cpc_by_month
-- question: CPC by month
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC(ad_spend.date, MONTH) AS DATE) AS metric_time__month,
  CAST(SUM(ad_spend.spend) AS FLOAT64) / NULLIF(SUM(ad_spend.clicks), 0) AS cpc
FROM ad_spend
GROUP BY
  metric_time__month
ORDER BY
  metric_time__month ASC NULLS LAST
