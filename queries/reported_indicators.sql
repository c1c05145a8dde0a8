-- name: reported_indicators
-- Reported indicators (VIC use, asset regulations, PAR INDEX…) from the indicators table, newest first,
-- for a unit (null = province-wide rows).
-- grain: one row per reported value.
-- params: $unit
select indicator_code, unit_code, period, value, source, as_of
from indicators
where unit_code is not distinct from $unit
order by as_of desc nulls last, indicator_code;
