-- case: new_customers_by_signup_quarter_young
-- question: New customers by signup quarter, born after 2000, before 2025
-- dialect: spark
-- as_of: 2025-12-31
SELECT
  CAST(TRUNC(customers.signup_date, 'QUARTER') AS DATE) AS signup_date__quarter,
  COUNT(customers.customer_id) AS new_customers
FROM customers
WHERE
  customers.birth_year > 2000
  AND customers.signup_date < CAST('2025-01-01' AS DATE)
GROUP BY
  CAST(TRUNC(customers.signup_date, 'QUARTER') AS DATE)
ORDER BY
  signup_date__quarter ASC NULLS LAST
