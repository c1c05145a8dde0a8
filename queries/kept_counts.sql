-- name: kept_counts
-- The rows of kpi_counts and procedure_counts kept per quarter (reform/kept.py) for the whole province,
-- joined as reform.compute joins them: the same columns, for the quarters from $p_start to $p_last,
-- grouped as $by says, with the level filter $level (kept for the rankings by peer), in the lens $lens;
-- without $procedure_kpis only the rows kpi_counts gives (the procedure columns are then not read).
-- grain: one row per (quarter, grp), in reform.compute's order (no group first, then groups by text).
-- params: $p_start, $p_last (first days of the first and last month, whole quarters), $by (null | level |
--         field | procedure | peer), $level (null, or a level with by = peer), $lens (null or 'recorded' |
--         'restated'), $procedure_kpis (boolean).
-- ignores: $bucket (always quarters), $unit, $field, $procedure, $channel (kept rows have none)
select * exclude (lens, by_key, level_key, from_dossiers) from kept_counts
where lens = coalesce($lens, 'recorded') and by_key = coalesce($by, '') and level_key = coalesce($level, '')
  and b_start between $p_start and $p_last
  and (from_dossiers or $procedure_kpis)
order by b_start, grp nulls first;
