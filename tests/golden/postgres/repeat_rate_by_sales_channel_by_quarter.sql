-- case: repeat_rate_by_sales_channel_by_quarter
-- question: Repeat purchase rate by sales channel and quarter in 2024
-- dialect: postgres
-- as_of: 2025-12-31
WITH repeat_purchase_rate_members AS (
  SELECT
    orders.sales_channel AS sales_channel,
    CAST(DATE_TRUNC('QUARTER', orders.ordered_at) AS DATE) AS metric_time__quarter,
    orders.customer_id AS customer_id,
    COUNT(orders.order_id) AS order_count
  FROM orders
  WHERE
    orders.ordered_at >= CAST('2024-01-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    orders.sales_channel,
    CAST(DATE_TRUNC('QUARTER', orders.ordered_at) AS DATE),
    orders.customer_id
)
SELECT
  repeat_purchase_rate_members.sales_channel AS sales_channel,
  repeat_purchase_rate_members.metric_time__quarter AS metric_time__quarter,
  CAST(COUNT(
    CASE
      WHEN repeat_purchase_rate_members.order_count >= 2
      THEN repeat_purchase_rate_members.customer_id
    END
  ) AS DOUBLE PRECISION) / NULLIF(COUNT(repeat_purchase_rate_members.customer_id), 0) AS repeat_purchase_rate
FROM repeat_purchase_rate_members
GROUP BY
  repeat_purchase_rate_members.sales_channel,
  repeat_purchase_rate_members.metric_time__quarter
ORDER BY
  sales_channel ASC,
  metric_time__quarter ASC
