-- case: experiment_revenue_per_user_by_experiment_and_variant
-- question: 各实验各组的人均收入
-- dialect: spark
-- as_of: 2025-12-31
SELECT
  experiment_assignments.experiment_id AS experiment_id,
  experiment_assignments.variant AS variant,
  AVG(experiment_assignments.revenue) AS experiment_revenue_per_user,
  SUM(CAST(experiment_assignments.converted AS INT)) AS experiment_conversions
FROM experiment_assignments
GROUP BY
  experiment_assignments.experiment_id,
  experiment_assignments.variant
ORDER BY
  experiment_id ASC NULLS LAST,
  variant ASC NULLS LAST
