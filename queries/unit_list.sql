-- name: unit_list
-- Every unit in tree order (a district followed by its communes), for the unit picker and the labels.
-- grain: one row per unit; depth 0 = top of its tree; has_dossiers = any dossier ever recorded.
-- levels.sort: the levels' display order (written from reform/lookups.py).
with recursive t(unit_code, path, depth) as (
    select unit_code, [unit_code], 0 from units where parent_code is null
    union all
    select u.unit_code, list_append(t.path, u.unit_code), t.depth + 1
    from units u join t on u.parent_code = t.unit_code
)
select u.unit_code, u.name, u.level, u.kind, u.parent_code, t.depth, u.valid_from, u.valid_to,
       exists (select 1 from kpi_month_unit k where k.unit_code = u.unit_code) as has_dossiers
from units u join t using (unit_code) left join levels l on l.code = u.level
order by l.sort nulls last, t.path;
