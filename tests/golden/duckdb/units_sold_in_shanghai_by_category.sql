-- case: units_sold_in_shanghai_by_category
-- question: 上海各品类的销量 (filter through order_items -> orders -> customers)
-- dialect: duckdb
-- as_of: 2025-12-31
SELECT
  products.category AS category,
  SUM(order_items.quantity) AS units_sold
FROM order_items
LEFT JOIN products
  ON order_items.product_id = products.product_id
LEFT JOIN orders
  ON order_items.order_id = orders.order_id
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
WHERE
  customers.city = 'Shanghai'
GROUP BY
  products.category
ORDER BY
  category ASC
