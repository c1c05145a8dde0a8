-- name: unit_restated
-- Every unit code resolved to today's units (reform/sql/restate.sql, docs/restructuring.md).
-- grain: one row per (old_code, today_code); the weights of an old_code sum to 1.
-- params: none
select old_code, today_code, weight, approximate from unit_restated order by old_code, today_code;
