-- name: import_history
-- The latest imports (Data page), newest first: when, what kind, which file, rows, new rows, by whom.
-- grain: one row per imported file. Every column: a file from before imported_by existed has none.
select * from import_log order by imported_at desc limit 50;
