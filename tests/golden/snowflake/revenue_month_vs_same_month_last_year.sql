-- case: revenue_month_vs_same_month_last_year
-- question: Revenue last month vs the same month last year (one row per period, with the change)
-- dialect: snowflake
-- as_of: 2025-12-31
SELECT
  CASE
    WHEN orders.ordered_at >= CAST('2024-11-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2024-12-01 00:00:00' AS TIMESTAMP)
    THEN CAST('2024-11-01' AS DATE)
    WHEN orders.ordered_at >= CAST('2025-11-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2025-12-01 00:00:00' AS TIMESTAMP)
    THEN CAST('2025-11-01' AS DATE)
  END AS period,
  SUM(orders.revenue) AS revenue,
  (
    SUM(orders.revenue)
  ) - LAG(SUM(orders.revenue)) OVER (
    ORDER BY CASE
      WHEN orders.ordered_at >= CAST('2024-11-01 00:00:00' AS TIMESTAMP)
      AND orders.ordered_at < CAST('2024-12-01 00:00:00' AS TIMESTAMP)
      THEN CAST('2024-11-01' AS DATE)
      WHEN orders.ordered_at >= CAST('2025-11-01 00:00:00' AS TIMESTAMP)
      AND orders.ordered_at < CAST('2025-12-01 00:00:00' AS TIMESTAMP)
      THEN CAST('2025-11-01' AS DATE)
    END
  ) AS revenue__change,
  CAST(SUM(orders.revenue) AS DOUBLE) / NULLIF(
    LAG(SUM(orders.revenue)) OVER (
      ORDER BY CASE
        WHEN orders.ordered_at >= CAST('2024-11-01 00:00:00' AS TIMESTAMP)
        AND orders.ordered_at < CAST('2024-12-01 00:00:00' AS TIMESTAMP)
        THEN CAST('2024-11-01' AS DATE)
        WHEN orders.ordered_at >= CAST('2025-11-01 00:00:00' AS TIMESTAMP)
        AND orders.ordered_at < CAST('2025-12-01 00:00:00' AS TIMESTAMP)
        THEN CAST('2025-11-01' AS DATE)
      END
    ),
    0
  ) - 1 AS revenue__change_pct
FROM orders
WHERE
  (
    orders.ordered_at >= CAST('2024-11-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2024-12-01 00:00:00' AS TIMESTAMP)
  )
  OR (
    orders.ordered_at >= CAST('2025-11-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2025-12-01 00:00:00' AS TIMESTAMP)
  )
GROUP BY
  CASE
    WHEN orders.ordered_at >= CAST('2024-11-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2024-12-01 00:00:00' AS TIMESTAMP)
    THEN CAST('2024-11-01' AS DATE)
    WHEN orders.ordered_at >= CAST('2025-11-01 00:00:00' AS TIMESTAMP)
    AND orders.ordered_at < CAST('2025-12-01 00:00:00' AS TIMESTAMP)
    THEN CAST('2025-11-01' AS DATE)
  END
ORDER BY
  period ASC
