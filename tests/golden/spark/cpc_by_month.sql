-- case: cpc_by_month
-- question: CPC by month
-- dialect: spark
-- as_of: 2025-12-31
SELECT
  CAST(TRUNC(ad_spend.date, 'MONTH') AS DATE) AS metric_time__month,
  CAST(SUM(ad_spend.spend) AS DOUBLE) / NULLIF(SUM(ad_spend.clicks), 0) AS cpc
FROM ad_spend
GROUP BY
  CAST(TRUNC(ad_spend.date, 'MONTH') AS DATE)
ORDER BY
  metric_time__month ASC NULLS LAST
