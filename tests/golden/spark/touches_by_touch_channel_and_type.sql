-- case: touches_by_touch_channel_and_type
-- question: 各触达渠道、触达类型的触达次数和触达人数（近7天）
-- dialect: spark
-- as_of: 2025-12-31
SELECT
  touchpoints.channel AS touch_channel,
  touchpoints.touch_type AS touch_type,
  COUNT(touchpoints.touchpoint_id) AS touches,
  COUNT(DISTINCT touchpoints.customer_id) AS touched_customers
FROM touchpoints
WHERE
  touchpoints.touched_at >= CAST('2025-12-25 00:00:00' AS TIMESTAMP)
  AND touchpoints.touched_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
GROUP BY
  touchpoints.channel,
  touchpoints.touch_type
ORDER BY
  touch_channel ASC NULLS LAST,
  touch_type ASC NULLS LAST
