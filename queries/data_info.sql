-- name: data_info
-- How far the data goes (one row): last received day and month, dossier count.
select last_received, last_month, dossiers from data_info;
