-- case: buyers_by_gender_not_unknown
-- question: Buyers by gender, excluding unknown, platinum and gold members
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  customers.gender AS gender,
  COUNT(DISTINCT orders.customer_id) AS buyers
FROM orders
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
WHERE
  (
    customers.gender <> 'unknown' OR customers.gender IS NULL
  )
  AND customers.loyalty_tier IN ('platinum', 'gold')
GROUP BY
  gender
ORDER BY
  gender ASC NULLS LAST
