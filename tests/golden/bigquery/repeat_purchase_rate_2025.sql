-- case: repeat_purchase_rate_2025
-- question: What was the repeat purchase rate in 2025?
-- dialect: bigquery
-- as_of: 2025-12-31
WITH repeat_purchase_rate_members AS (
  SELECT
    orders.customer_id AS customer_id,
    COUNT(orders.order_id) AS order_count
  FROM orders
  WHERE
    orders.ordered_at >= CAST('2025-01-01 00:00:00' AS DATETIME)
    AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS DATETIME)
  GROUP BY
    orders.customer_id
)
SELECT
  CAST(COUNT(
    CASE
      WHEN repeat_purchase_rate_members.order_count >= 2
      THEN repeat_purchase_rate_members.customer_id
    END
  ) AS FLOAT64) / NULLIF(COUNT(repeat_purchase_rate_members.customer_id), 0) AS repeat_purchase_rate
FROM repeat_purchase_rate_members
