-- name: unit_mapping_list
-- The mapping from the units before the 2025 restructuring to their successors, as imported, with both
-- names (Data page). grain: one row per (old unit, new unit).
select m.old_code, o.name as old_name, m.new_code, n.name as new_name, m.effective_date, m.share_kind,
       m.weight
from unit_mapping m
left join units o on o.unit_code = m.old_code
left join units n on n.unit_code = m.new_code
order by m.new_code, m.old_code;
