-- case: repeat_rate_and_revenue_by_region
-- question: Repeat purchase rate and revenue by region in the first half of 2025
-- dialect: snowflake
-- as_of: 2025-12-31
WITH orders_agg AS (
  SELECT
    customers.region AS region,
    SUM(orders.revenue) AS revenue
  FROM orders
  LEFT JOIN customers
    ON orders.customer_id = customers.customer_id
  WHERE
    orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2025-07-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    customers.region
), repeat_purchase_rate_members AS (
  SELECT
    customers.region AS region,
    orders.customer_id AS customer_id,
    COUNT(orders.order_id) AS order_count
  FROM orders
  LEFT JOIN customers
    ON orders.customer_id = customers.customer_id
  WHERE
    orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2025-07-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    customers.region,
    orders.customer_id
), repeat_purchase_rate_agg AS (
  SELECT
    repeat_purchase_rate_members.region AS region,
    COUNT(
      CASE
        WHEN repeat_purchase_rate_members.order_count >= 2
        THEN repeat_purchase_rate_members.customer_id
      END
    ) AS repeat_purchase_rate__matching,
    COUNT(repeat_purchase_rate_members.customer_id) AS repeat_purchase_rate__members
  FROM repeat_purchase_rate_members
  GROUP BY
    repeat_purchase_rate_members.region
), group_keys AS (
  SELECT
    region
  FROM orders_agg
  UNION
  SELECT
    region
  FROM repeat_purchase_rate_agg
)
SELECT
  group_keys.region AS region,
  CAST(COALESCE(repeat_purchase_rate_agg.repeat_purchase_rate__matching, 0) AS DOUBLE) / NULLIF(COALESCE(repeat_purchase_rate_agg.repeat_purchase_rate__members, 0), 0) AS repeat_purchase_rate,
  orders_agg.revenue AS revenue
FROM group_keys
LEFT JOIN orders_agg
  ON group_keys.region IS NOT DISTINCT FROM orders_agg.region
LEFT JOIN repeat_purchase_rate_agg
  ON group_keys.region IS NOT DISTINCT FROM repeat_purchase_rate_agg.region
ORDER BY
  region ASC
