-- case: buyers_by_city_tier_this_year
-- question: 今年各线级城市的购买人数
-- dialect: bigquery
-- as_of: 2025-12-31
SELECT
  customers.city_tier AS city_tier,
  COUNT(DISTINCT orders.customer_id) AS buyers
FROM orders
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS DATETIME)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS DATETIME)
GROUP BY
  city_tier
ORDER BY
  city_tier ASC NULLS LAST
