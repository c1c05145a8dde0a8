-- name: import_history
-- The latest imports (Data page), newest first.
-- grain: one row per imported file.
select imported_at, kind, file, rows_in, rows_new from import_log order by imported_at desc limit 50;
