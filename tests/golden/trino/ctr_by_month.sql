-- case: ctr_by_month
-- question: 2025年每月点击率
-- dialect: trino
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE) AS metric_time__month,
  CAST(SUM(ad_spend.clicks) AS DOUBLE) / NULLIF(SUM(ad_spend.impressions), 0) AS ctr
FROM ad_spend
WHERE
  ad_spend.date >= CAST('2025-01-01' AS DATE)
  AND ad_spend.date < CAST('2026-01-01' AS DATE)
GROUP BY
  CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE)
ORDER BY
  metric_time__month ASC
