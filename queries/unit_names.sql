-- name: unit_names
-- Every unit's name by its code, for the documents' and commands' words (no tree: see unit_list).
-- grain: one row per unit.
select unit_code, name from units order by unit_code;
