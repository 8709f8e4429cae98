-- case: orders_offline_and_tmall_by_city_tier
-- question: 线下门店和天猫的订单数，按城市等级
-- dialect: postgres
-- as_of: 2025-12-31
SELECT
  customers.city_tier AS city_tier,
  COUNT(orders.order_id) AS orders
FROM orders
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
WHERE
  orders.sales_channel IN ('offline_store', 'tmall')
GROUP BY
  customers.city_tier
ORDER BY
  city_tier ASC
