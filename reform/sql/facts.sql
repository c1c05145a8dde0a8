-- The dossier facts: one row per dossier of {dossiers} with the derived facts every rule reads (level,
-- effective end, working days, outcome). reform/db.py makes it the view dossier_facts_v over the
-- dossiers table, which the summaries and the dossier lists behind each count read, and reform/refresh.py
-- the facts of the rows an import replaced and brought: one rule, and a plain view, so that a filter on
-- the dossiers reaches their scan (a table macro here made the dossier list 1.9 times slower at 50 M).
with d as (
    select
        d.dossier_code,
        d.received_at,
        d.unit_code,
        coalesce(u.level, 'unassigned') as level,
        d.procedure_code,
        p.field,
        coalesce(d.channel, 1) as channel,
        d.status_code as st,
        d.received_at::date as rd,
        d.due_at::date as dd,
        d.finished_at::date as fd,
        d.returned_at::date as td,
        d.return_channel,
        (d.finished_at - interval 1 second * (coalesce(d.supplement_days, 0) * 86400))::date as ed,
        -- overdue at a day past this one (DESIGN §5 rev 2): the due date moved by the supplement days,
        -- so a dossier whose final outcome is early or on time is never overdue at an earlier day
        (d.due_at::date + coalesce(d.supplement_days, 0)::integer) as od,
        p.legal_days,
        coalesce(p.has_fee, false) as has_fee,
        coalesce(p.requires_paper_result, false) as paper,
        coalesce(d.paid_online, false) as paid_online,
        coalesce(d.is_digitized, false) as digitized,
        coalesce(d.has_e_result, false) as e_result,
        coalesce(d.apology_issued, false) as apology,
        d.rating
    from {dossiers} d
    left join units u using (unit_code)
    left join procedures p using (procedure_code)
)
select d.*,
       st in (5, 6) and fd is null as paused,
       -- refused, withdrawn or stopped with no finish date: closed, not open (rev 2; a quality flag)
       st in (3, 7, 8) and fd is null as closed_undated,
       greatest(0, w1.wd_index - w0.wd_index) as wd,
       case when st not in (9, 10) or fd is null then null
            when dd is not null then (case when ed < dd then 'early' when ed = dd then 'ontime' else 'late' end)
            when greatest(0, w1.wd_index - w0.wd_index) <= legal_days then 'ontime'
            else 'late' end as outcome
from d
left join workdays w0 on w0.day = d.rd
left join workdays w1 on w1.day = d.ed
