-- case: cpm_by_channel
-- question: 各渠道千次曝光成本
-- dialect: trino
-- as_of: 2025-12-31
SELECT
  campaigns.channel AS channel,
  CAST(SUM(ad_spend.spend) AS DOUBLE) / NULLIF(SUM(ad_spend.impressions), 0) * 1000 AS cpm
FROM ad_spend
LEFT JOIN campaigns
  ON ad_spend.campaign_id = campaigns.campaign_id
GROUP BY
  campaigns.channel
ORDER BY
  channel ASC
