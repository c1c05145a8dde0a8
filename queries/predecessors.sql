-- name: predecessors
-- The units whose dossiers count under one of today's units in the restated lens
-- (docs/restructuring.md), with the share of each that goes to it, for the before/after view.
-- grain: one row per old unit; params: $unit (a today's unit code).
select r.old_code as unit_code, u.name, u.level, u.valid_to, r.weight, r.approximate
from unit_restated r join units u on u.unit_code = r.old_code
where r.today_code = $unit and r.old_code <> $unit
order by r.weight desc, r.old_code;
