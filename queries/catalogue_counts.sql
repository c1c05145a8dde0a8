-- name: catalogue_counts
-- Procedure-catalogue KPI counts (C01-C07) for one period or its months/quarters/years.
-- grain: one row per (bucket, grp); bucket = the period or each month / quarter / year ($bucket);
--        grp = level, field or procedure when $by says so, else null.
-- params: $p_start, $p_last (first days of the first and last month), $bucket, $by, filters $level,
--         $field, $procedure; $unit and $channel only narrow which dossiers make a procedure "active"
--         (C07). With a unit and no level, the procedures are those of the unit's level.
with buckets as (
    select * from period_buckets($p_start, $p_last, $bucket)
),
bounds as (
    select b_start, b_last, (b_last + interval 1 month - interval 1 day)::date as b_end from buckets
),
procs as (
    select *,
           case $by when 'level' then level when 'field' then field when 'procedure' then procedure_code end as grp
    from procedures
    where level = coalesce($level, (select u.level from units u where u.unit_code = $unit), level)
      and ($field is null or field = $field)
      and ($procedure is null or procedure_code = $procedure)
),
active_months as (
    select distinct month, procedure_code
    from kpi_month
    where month between $p_start and $p_last and n_received > 0
      and ($unit is null or unit_code in (select unit_code from unit_tree where ancestor_code = $unit))
      and ($channel is null or channel = $channel)
),
active as (
    select distinct b.b_start, a.procedure_code
    from bounds b join active_months a on a.month between b.b_start and b.b_last
),
in_force as (
    select b.b_start, b.b_end, p.*,
           p.valid_from <= b.b_end and (p.valid_to is null or p.valid_to >= b.b_end) as live,
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
