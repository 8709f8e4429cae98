-- case: product_sales_top5_skincare_products
-- question: Top 5 skincare products by sales in 2025
-- dialect: postgres
-- as_of: 2025-12-31
SELECT
  products.product_name AS product_name,
  SUM(order_items.quantity * order_items.unit_price) AS product_sales,
  SUM(order_items.quantity) AS units_sold
FROM order_items
LEFT JOIN products
  ON order_items.product_id = products.product_id
LEFT JOIN orders
  ON order_items.order_id = orders.order_id
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  AND products.category = 'skincare'
  AND NOT products.product_name IS NULL
GROUP BY
  products.product_name
ORDER BY
  product_sales DESC NULLS LAST,
  product_name ASC
LIMIT 5
