-- name: kept_at_risk
-- The rows of at_risk kept for the whole province with no filter (reform/kept.py), for the lens $lens
-- and the horizon $due_days: the same columns, the same order.
-- grain: one row per unit with any dossier due soon or overdue.
-- params: $due_days (one of the catalogue's [records] due_days), $lens (null or 'recorded' | 'restated').
-- ignores: $level, $unit, $field, $procedure, $channel (kept rows have none)
select * exclude (lens, horizon) from kept_at_risk
where lens = coalesce($lens, 'recorded') and horizon = $due_days
order by overdue desc, due_soon desc, unit_code;
