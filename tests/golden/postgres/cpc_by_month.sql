-- case: cpc_by_month
-- question: CPC by month
-- dialect: postgres
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE) AS metric_time__month,
  CAST(SUM(ad_spend.spend) AS DOUBLE PRECISION) / NULLIF(SUM(ad_spend.clicks), 0) AS cpc
FROM ad_spend
GROUP BY
  CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE)
ORDER BY
  metric_time__month ASC
