-- case: units_and_product_orders_by_category_and_sales_channel
-- question: Units sold and orders containing each category, by sales channel, in Double Eleven week
-- dialect: duckdb
-- as_of: 2025-12-31
SELECT
  products.category AS category,
  orders.sales_channel AS sales_channel,
  SUM(order_items.quantity) AS units_sold,
  COUNT(DISTINCT order_items.order_id) AS product_orders
FROM order_items
LEFT JOIN products
  ON order_items.product_id = products.product_id
LEFT JOIN orders
  ON order_items.order_id = orders.order_id
WHERE
  orders.ordered_at >= CAST('2025-11-10 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2025-11-17 00:00:00' AS TIMESTAMP)
GROUP BY
  products.category,
  orders.sales_channel
ORDER BY
  category ASC,
  sales_channel ASC
