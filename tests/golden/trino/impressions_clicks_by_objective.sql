-- case: impressions_clicks_by_objective
-- question: Impressions and clicks by campaign objective
-- dialect: trino
-- as_of: 2025-12-31
SELECT
  campaigns.objective AS objective,
  SUM(ad_spend.impressions) AS impressions,
  SUM(ad_spend.clicks) AS clicks
FROM ad_spend
LEFT JOIN campaigns
  ON ad_spend.campaign_id = campaigns.campaign_id
GROUP BY
  campaigns.objective
ORDER BY
  objective ASC
