-- name: stock_day
-- The day a period's stocks are read (reform/sql/scope.sql stock_day): its last day, or the data's.
-- grain: one row; params: $p_end (the period's last day).
select stock_day($p_end) as day;
