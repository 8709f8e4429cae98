-- case: units_sold_by_category
-- question: Units sold by product category in 2025
-- dialect: spark
-- as_of: 2025-12-31
SELECT
  products.category AS category,
  SUM(order_items.quantity) AS units_sold
FROM order_items
LEFT JOIN products
  ON order_items.product_id = products.product_id
LEFT JOIN orders
  ON order_items.order_id = orders.order_id
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
GROUP BY
  products.category
ORDER BY
  category ASC NULLS LAST
