-- case: spend_by_week_year_to_date
-- question: Spend by week, year to date, asked on 2025-03-05
-- dialect: duckdb
-- as_of: 2025-03-05
SELECT
  CAST(DATE_TRUNC('WEEK', ad_spend.date) AS DATE) AS metric_time__week,
  SUM(ad_spend.spend) AS spend
FROM ad_spend
WHERE
  ad_spend.date >= CAST('2025-01-01' AS DATE)
  AND ad_spend.date < CAST('2025-03-06' AS DATE)
GROUP BY
  CAST(DATE_TRUNC('WEEK', ad_spend.date) AS DATE)
ORDER BY
  metric_time__week ASC
