-- name: procedure_list
-- The procedure catalogue for pickers and labels.
-- grain: one row per procedure.
select procedure_code, name, field, level, online_level, legal_days, valid_from, valid_to
from procedures
order by procedure_code;
