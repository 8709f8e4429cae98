-- case: repeat_purchase_rate_by_loyalty_tier
-- question: 各会员等级的复购率（2025年）
-- dialect: postgres
-- as_of: 2025-12-31
WITH repeat_purchase_rate_members AS (
  SELECT
    customers.loyalty_tier AS loyalty_tier,
    orders.customer_id AS customer_id,
    COUNT(orders.order_id) AS order_count
  FROM orders
  LEFT JOIN customers
    ON orders.customer_id = customers.customer_id
  WHERE
    orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    customers.loyalty_tier,
    orders.customer_id
)
SELECT
  repeat_purchase_rate_members.loyalty_tier AS loyalty_tier,
  CAST(COUNT(
    CASE
      WHEN repeat_purchase_rate_members.order_count >= 2
      THEN repeat_purchase_rate_members.customer_id
    END
  ) AS DOUBLE PRECISION) / NULLIF(COUNT(repeat_purchase_rate_members.customer_id), 0) AS repeat_purchase_rate
FROM repeat_purchase_rate_members
GROUP BY
  repeat_purchase_rate_members.loyalty_tier
ORDER BY
  loyalty_tier ASC
