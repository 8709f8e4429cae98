-- case: revenue_by_generation_vip_2025
-- question: Revenue of VIP customers by birth decade in 2025 (a derived attribute and a tag)
-- dialect: snowflake
-- as_of: 2025-12-31
SELECT
  CASE
    WHEN customers.birth_year IS NULL
    THEN NULL
    ELSE CAST(CAST(FLOOR(customers.birth_year / 10) * 10 AS INT) AS VARCHAR) || 's'
  END AS generation,
  SUM(orders.revenue) AS revenue
FROM orders
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  AND customers.loyalty_tier IN ('gold', 'platinum')
GROUP BY
  CASE
    WHEN customers.birth_year IS NULL
    THEN NULL
    ELSE CAST(CAST(FLOOR(customers.birth_year / 10) * 10 AS INT) AS VARCHAR) || 's'
  END
ORDER BY
  generation ASC
