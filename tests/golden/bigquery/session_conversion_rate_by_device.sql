-- case: session_conversion_rate_by_device
-- question: Session conversion rate by device
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  events.device AS device,
  CAST(COUNT(DISTINCT CASE WHEN events.event_name = 'purchase' THEN events.session_id END) AS FLOAT64) / NULLIF(
    COUNT(DISTINCT CASE WHEN events.event_name = 'visit' THEN events.session_id END),
    0
  ) AS session_conversion_rate
FROM events
WHERE
  events.event_name = 'purchase' OR events.event_name = 'visit'
GROUP BY
  device
ORDER BY
  device ASC NULLS LAST
