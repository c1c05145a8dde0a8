-- name: dossier_page
-- One page of dossier rows for a unit and a procedure in a period, oldest first (the dossier list).
-- grain: one row per dossier; the base table is sorted by received_at, so the period filter prunes.
-- params: $unit (exact unit code, no descendants), $procedure, $p_start, $p_end (first and last day of
--         the period, inclusive), $limit, $offset.
select dossier_code, procedure_code, unit_code, channel, received_at, due_at, finished_at, returned_at,
       return_channel, status_code, supplement_days, apology_issued, paid_online, is_digitized,
       has_e_result, rating
from dossiers
where received_at >= $p_start::date
  and received_at < $p_end::date + interval 1 day
  and unit_code = $unit
  and procedure_code = $procedure
order by received_at, dossier_code
limit $limit offset $offset;
