-- name: import_history
-- The latest imports (Data page), newest first: when, what kind, which file, rows (new, updated, unchanged),
-- by whom; not the content's digest (sha256, for reform.watch).
-- grain: one row per imported file. Every column the file has: one from before a column existed has none.
select columns(lambda c: c <> 'sha256' and c <> 'imported_by'), columns(lambda c: c = 'imported_by')
from import_log order by imported_at desc limit 50;
