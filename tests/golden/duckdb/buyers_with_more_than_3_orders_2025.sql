-- case: buyers_with_more_than_3_orders_2025
-- question: How many customers placed more than 3 orders in 2025 (a condition on each customer's own orders in the period)
-- dialect: duckdb
-- as_of: 2025-12-31
SELECT
  COUNT(DISTINCT orders.customer_id) AS buyers
FROM orders
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  AND orders.customer_id IN (
    SELECT
      orders.customer_id
    FROM orders
    WHERE
      orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
      AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
      AND NOT orders.customer_id IS NULL
    GROUP BY
      orders.customer_id
    HAVING
      COUNT(orders.order_id) > 3
  )
