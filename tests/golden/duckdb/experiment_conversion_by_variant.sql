-- case: experiment_conversion_by_variant
-- question: Conversion rate by variant in the checkout coupon experiment
-- dialect: duckdb
-- as_of: 2025-12-31
SELECT
  experiment_assignments.variant AS variant,
  AVG(CAST(experiment_assignments.converted AS DOUBLE)) AS experiment_conversion_rate,
  COUNT(experiment_assignments.customer_id) AS experiment_users
FROM experiment_assignments
WHERE
  experiment_assignments.experiment_id = 'checkout_coupon'
GROUP BY
  experiment_assignments.variant
ORDER BY
  variant ASC
