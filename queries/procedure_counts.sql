-- name: procedure_counts
-- Procedure KPI counts (C01-C07, from the procedures in force) for one period or its months/quarters/years.
-- grain: one row per (bucket, grp); bucket = the period or each month / quarter / year ($bucket);
--        grp = level, field or procedure when $by says so, else null.
-- params: $p_start, $p_last (first days of the first and last month), $bucket, $by, filters $level,
--         $field, $procedure, $unit (which procedures: scope_procedures, reform/sql/scope.sql; with a unit
--         and no level, those of the unit's level); $unit, $level, $channel and $lens also narrow which
--         dossiers make a procedure "active" (C07), through scoped_facts.
with buckets as (
    select * from period_buckets($p_start, $p_last, $bucket)
),
bounds as (
    select b_start, b_last, (b_last + interval 1 month - interval 1 day)::date as b_end from buckets
),
procs as (
    select *,
           case $by when 'level' then level when 'field' then field when 'procedure' then procedure_code end as grp
    from scope_procedures($unit, $level, $field, $procedure)
),
active_months as (
    -- procedures with a dossier received in the month under the scope (reform/sql/scope.sql)
    select distinct month, procedure_code
    from scoped_facts($p_start, $p_last, $unit, $level, $field, $procedure, $channel, $lens, true)
    where src = 'flow' and n_received > 0
),
active as (
    select distinct b.b_start, a.procedure_code
    from bounds b join active_months a on a.month between b.b_start and b.b_last
),
in_force as (
    select b.b_start, b.b_end, p.*,
           in_force(p.valid_from, p.valid_to, b.b_end) as live,
           -- before Decree 42/2022 (24/6/2022) online services had levels 1-4: 4 = full, 3 = partial
           case when b.b_end < date '2022-06-24'
                then case p.legacy_level when 4 then 'full' when 3 then 'partial' else 'none' end
                else p.online_level end as online_at_end,
           p.announce_decision_date between b.b_start and b.b_end as announced
    from bounds b cross join procs p
)
select f.b_start, f.grp,
       count(*) filter (where live) as C01,
       count(distinct announce_decision_no) filter (where announced) as C02,
       count(*) filter (where announced) as C02p,
       count(*) filter (where live and is_public_national) as n_public,
       count(*) filter (where live and online_at_end in ('full', 'partial')) as n_online_service,
       count(*) filter (where live and online_at_end = 'full') as n_full_online,
       count(*) filter (where live and a.procedure_code is not null) as n_active
from in_force f
left join active a on a.b_start = f.b_start and a.procedure_code = f.procedure_code
group by all
having count(*) filter (where live or announced) > 0   -- e.g. no district procedures after 30/6/2025
order by f.b_start, f.grp;
