-- case: revenue_by_month_of_2025_signups
-- question: Monthly revenue from customers who signed up in 2025
-- dialect: trino
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE) AS metric_time__month,
  SUM(orders.revenue) AS revenue
FROM orders
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
WHERE
  customers.signup_date >= CAST('2025-01-01' AS DATE)
GROUP BY
  CAST(DATE_TRUNC('MONTH', orders.ordered_at) AS DATE)
ORDER BY
  metric_time__month ASC
