-- case: discount_rate_by_sales_channel
-- question: Discount rate by sales channel
-- dialect: postgres
-- as_of: 2025-12-31
SELECT
  orders.sales_channel AS sales_channel,
  CAST(SUM(orders.discount) AS DOUBLE PRECISION) / NULLIF(SUM(orders.gross_amount), 0) AS discount_rate
FROM orders
GROUP BY
  orders.sales_channel
ORDER BY
  discount_rate DESC NULLS LAST,
  sales_channel ASC
