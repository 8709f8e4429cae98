-- case: customers_total
-- question: How many customers do we have?
-- dialect: postgres
-- as_of: 2025-12-31
SELECT
  COUNT(customers.customer_id) AS customers
FROM customers
