-- case: tmall_revenue_by_tier_from_customers_spending_2000
-- question: Tmall revenue and buyers by city tier from customers who spent at least 2000 on tmall (filters apply inside the condition too)
-- dialect: snowflake
-- as_of: 2025-12-31
SELECT
  customers.city_tier AS city_tier,
  SUM(orders.revenue) AS revenue,
  COUNT(DISTINCT orders.customer_id) AS buyers
FROM orders
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
WHERE
  orders.sales_channel = 'tmall'
  AND orders.customer_id IN (
    SELECT
      orders.customer_id
    FROM orders
    WHERE
      orders.sales_channel = 'tmall' AND NOT orders.customer_id IS NULL
    GROUP BY
      orders.customer_id
    HAVING
      SUM(orders.revenue) >= 2000
  )
GROUP BY
  customers.city_tier
ORDER BY
  city_tier ASC
