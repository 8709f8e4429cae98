-- case: buyers_by_age_band_under_35_2025
-- question: Buyers under 35 by age band in 2025 (age on the as-of date, bound into the SQL)
-- dialect: postgres
-- as_of: 2025-12-31
SELECT
  CASE
    WHEN customers.birth_year IS NULL
    THEN NULL
    WHEN EXTRACT(YEAR FROM CAST('2025-12-31' AS DATE)) - customers.birth_year < 25
    THEN 'under 25'
    WHEN EXTRACT(YEAR FROM CAST('2025-12-31' AS DATE)) - customers.birth_year < 35
    THEN '25-34'
    WHEN EXTRACT(YEAR FROM CAST('2025-12-31' AS DATE)) - customers.birth_year < 45
    THEN '35-44'
    WHEN EXTRACT(YEAR FROM CAST('2025-12-31' AS DATE)) - customers.birth_year < 55
    THEN '45-54'
    ELSE '55+'
  END AS age_band,
  COUNT(DISTINCT orders.customer_id) AS buyers
FROM orders
LEFT JOIN customers
  ON orders.customer_id = customers.customer_id
WHERE
  orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)
  AND orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)
  AND (
    EXTRACT(YEAR FROM CAST('2025-12-31' AS DATE)) - customers.birth_year
  ) < 35
GROUP BY
  CASE
    WHEN customers.birth_year IS NULL
    THEN NULL
    WHEN EXTRACT(YEAR FROM CAST('2025-12-31' AS DATE)) - customers.birth_year < 25
    THEN 'under 25'
    WHEN EXTRACT(YEAR FROM CAST('2025-12-31' AS DATE)) - customers.birth_year < 35
    THEN '25-34'
    WHEN EXTRACT(YEAR FROM CAST('2025-12-31' AS DATE)) - customers.birth_year < 45
    THEN '35-44'
    WHEN EXTRACT(YEAR FROM CAST('2025-12-31' AS DATE)) - customers.birth_year < 55
    THEN '45-54'
    ELSE '55+'
  END
ORDER BY
  age_band ASC
