-- case: ctr_by_channel
-- question: CTR by channel
-- dialect: trino
-- as_of: 2025-12-31
SELECT
  campaigns.channel AS channel,
  CAST(SUM(ad_spend.clicks) AS DOUBLE) / NULLIF(SUM(ad_spend.impressions), 0) AS ctr
FROM ad_spend
LEFT JOIN campaigns
  ON ad_spend.campaign_id = campaigns.campaign_id
GROUP BY
  campaigns.channel
ORDER BY
  channel ASC
