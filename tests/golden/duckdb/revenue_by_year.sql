-- case: revenue_by_year
-- question: Revenue by year
-- dialect: duckdb
-- as_of: 2025-12-31
SELECT
  CAST(DATE_TRUNC('YEAR', orders.ordered_at) AS DATE) AS metric_time__year,
  SUM(orders.revenue) AS revenue,
  SUM(orders.gross_amount) AS gross_amount,
  SUM(orders.discount) AS discount
FROM orders
GROUP BY
  CAST(DATE_TRUNC('YEAR', orders.ordered_at) AS DATE)
ORDER BY
  metric_time__year ASC
