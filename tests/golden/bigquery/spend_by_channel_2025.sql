-- case: spend_by_channel_2025
-- question: 2025年各渠道的投放花费
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  campaigns.channel AS channel,
  SUM(ad_spend.spend) AS spend
FROM ad_spend
LEFT JOIN campaigns
  ON ad_spend.campaign_id = campaigns.campaign_id
WHERE
  ad_spend.date >= CAST('2025-01-01' AS DATE)
  AND ad_spend.date < CAST('2026-01-01' AS DATE)
GROUP BY
  channel
ORDER BY
  channel ASC NULLS LAST
