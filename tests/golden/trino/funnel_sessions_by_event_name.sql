-- case: funnel_sessions_by_event_name
-- question: Funnel step counts (sessions by step) in the last 30 days
-- dialect: trino
-- as_of: 2025-12-31
SELECT
  events.event_name AS event_name,
  COUNT(DISTINCT events.session_id) AS sessions
FROM events
WHERE
  events.event_at >= CAST('2025-12-02 00:00:00' AS TIMESTAMP)
  AND events.event_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
GROUP BY
  events.event_name
ORDER BY
  event_name ASC
