-- name: status_names
-- The dossier status codes with their names (vi, en) and group.
select code, name_vi, name_en, grp from status_codes order by code;
