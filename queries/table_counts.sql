-- name: table_counts
-- Row counts of the data tables and the summaries (Data page).
-- grain: one row per table.
select 'dossiers' as table_name, count(*) as n_rows from dossiers
union all select 'units', count(*) from units
union all select 'procedures', count(*) from procedures
union all select 'indicators', count(*) from indicators
union all select 'holidays', count(*) from holidays
union all select 'import_log', count(*) from import_log
union all select 'kpi_month', count(*) from kpi_month
union all select 'stock_month', count(*) from stock_month;
