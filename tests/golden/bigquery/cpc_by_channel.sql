-- case: cpc_by_channel
-- question: Cost per click by channel in 2024
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  campaigns.channel AS channel,
  CAST(SUM(ad_spend.spend) AS FLOAT64) / NULLIF(SUM(ad_spend.clicks), 0) AS cpc
FROM ad_spend
LEFT JOIN campaigns
  ON ad_spend.campaign_id = campaigns.campaign_id
WHERE
  ad_spend.date >= CAST('2024-01-01' AS DATE)
  AND ad_spend.date < CAST('2025-01-01' AS DATE)
GROUP BY
  channel
ORDER BY
  channel ASC NULLS LAST
