-- name: quality_flags
-- Data-quality flags over all dossiers: records the counting rules must guess about (Data page).
-- grain: one row per flag, with how many dossiers raise it and up to 5 example codes.
with checks as (
    select d.dossier_code,
           [case when d.due_at < d.received_at then 'due_before_received' end,
            case when d.finished_at < d.received_at then 'finished_before_received' end,
            case when d.status_code in (9, 10) and d.finished_at is null then 'finished_without_date' end,
            case when d.status_code in (3, 7, 8) and d.finished_at is null then 'closed_without_date' end,
            case when d.finished_at is not null and d.status_code in (1, 2, 4) then 'date_without_finished_status' end,
            case when d.due_at is null then 'no_due_date' end,
            case when d.returned_at < d.finished_at then 'returned_before_finished' end,
            case when u.unit_code is null then 'unknown_unit' end,
            case when p.procedure_code is null then 'unknown_procedure' end] as flags
    from dossiers d
    left join units u using (unit_code)
    left join procedures p using (procedure_code)
)
select flag, count(*) as dossiers, list(dossier_code order by dossier_code)[1:5] as examples
from (select dossier_code, unnest(list_filter(flags, lambda x: x is not null)) as flag from checks)
group by flag
order by dossiers desc, flag;
