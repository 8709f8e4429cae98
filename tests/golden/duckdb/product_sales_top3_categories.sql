-- case: product_sales_top3_categories
-- question: Top 3 categories by product sales last year
-- dialect: duckdb
-- as_of: 2025-06-30
SELECT
  products.category AS category,
  SUM(order_items.quantity * order_items.unit_price) AS product_sales
FROM order_items
LEFT JOIN products
  ON order_items.product_id = products.product_id
LEFT JOIN orders
  ON order_items.order_id = orders.order_id
WHERE
  orders.ordered_at >= CAST('2024-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND NOT products.category IS NULL
GROUP BY
  products.category
ORDER BY
  product_sales DESC,
  category ASC
LIMIT 3
