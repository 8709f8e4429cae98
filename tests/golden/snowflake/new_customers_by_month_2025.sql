-- case: new_customers_by_month_2025
-- question: New customers per month in 2025
-- dialect: snowflake
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC('MONTH', customers.signup_date) AS DATE) AS metric_time__month,
  COUNT(customers.customer_id) AS new_customers
FROM customers
WHERE
  customers.signup_date >= CAST('2025-01-01' AS DATE)
  AND customers.signup_date < CAST('2026-01-01' AS DATE)
GROUP BY
  CAST(DATE_TRUNC('MONTH', customers.signup_date) AS DATE)
ORDER BY
  metric_time__month ASC
