-- name: period_bounds
-- The first and last month with any dossier (the range the period pickers offer).
select min(month) as first_month, max(month) as last_month from kpi_month_unit;
