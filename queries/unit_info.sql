-- name: unit_info
-- One unit's row (level, name, validity), or none for an unknown code.
-- params: $unit
select unit_code, name, level, kind, parent_code, valid_from, valid_to, successor_code
from units
where unit_code = $unit;
