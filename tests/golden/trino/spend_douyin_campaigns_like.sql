-- case: spend_douyin_campaigns_like
-- question: Spend of campaigns whose name mentions Douyin, by objective
-- dialect: trino
-- as_of: 2025-12-31
SELECT
  campaigns.objective AS objective,
  SUM(ad_spend.spend) AS spend,
  SUM(ad_spend.clicks) AS clicks
FROM ad_spend
LEFT JOIN campaigns
  ON ad_spend.campaign_id = campaigns.campaign_id
WHERE
  campaigns.campaign_name LIKE '%Douyin%'
GROUP BY
  campaigns.objective
ORDER BY
  objective ASC
