-- case: spend_by_channel_metric_time_between
-- question: Spend by channel between 2025-06-01 and 2025-06-18 (6.18)
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  campaigns.channel AS channel,
  SUM(ad_spend.spend) AS spend
FROM ad_spend
LEFT JOIN campaigns
  ON ad_spend.campaign_id = campaigns.campaign_id
WHERE
  ad_spend.date BETWEEN CAST('2025-06-01' AS DATE) AND CAST('2025-06-18' AS DATE)
GROUP BY
  channel
ORDER BY
  channel ASC NULLS LAST
