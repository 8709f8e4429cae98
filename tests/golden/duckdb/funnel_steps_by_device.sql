-- case: funnel_steps_by_device
-- question: 各设备的漏斗各步骤会话数（2025年12月）
-- dialect: duckdb
-- as_of: 2025-12-31
SELECT
  events.device AS device,
  COUNT(DISTINCT CASE WHEN events.event_name = 'visit' THEN events.session_id END) AS visit_sessions,
  COUNT(DISTINCT CASE WHEN events.event_name = 'view_product' THEN events.session_id END) AS product_view_sessions,
  COUNT(DISTINCT CASE WHEN events.event_name = 'add_to_cart' THEN events.session_id END) AS add_to_cart_sessions,
  COUNT(DISTINCT CASE WHEN events.event_name = 'checkout' THEN events.session_id END) AS checkout_sessions,
  COUNT(DISTINCT CASE WHEN events.event_name = 'purchase' THEN events.session_id END) AS purchase_sessions
FROM events
WHERE
  events.event_at >= CAST('2025-12-01 00:00:00' AS TIMESTAMP)
  AND events.event_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  AND (
    events.event_name = 'visit'
    OR events.event_name = 'view_product'
    OR events.event_name = 'add_to_cart'
    OR events.event_name = 'checkout'
    OR events.event_name = 'purchase'
  )
GROUP BY
  events.device
ORDER BY
  device ASC
