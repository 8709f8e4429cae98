-- case: new_customers_by_acquisition_channel_last_quarter
-- question: 上季度各获客渠道的新客数
-- dialect: spark
-- as_of: 2025-12-31
SELECT
  customers.acquisition_channel AS acquisition_channel,
  COUNT(customers.customer_id) AS new_customers
FROM customers
WHERE
  customers.signup_date >= CAST('2025-07-01' AS DATE)
  AND customers.signup_date < CAST('2025-10-01' AS DATE)
GROUP BY
  customers.acquisition_channel
ORDER BY
  acquisition_channel ASC NULLS LAST
