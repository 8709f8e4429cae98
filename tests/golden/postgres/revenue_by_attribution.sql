-- case: revenue_by_attribution
-- question: Revenue split by whether the order was attributed to a campaign
-- dialect: postgres
-- as_of: 2025-12-31
SELECT
  NOT orders.campaign_id IS NULL AS is_attributed,
  SUM(orders.revenue) AS revenue
FROM orders
GROUP BY
  NOT orders.campaign_id IS NULL
ORDER BY
  is_attributed ASC
