-- name: backlog_age
-- The backlog at a day (open, not paused: F11i + F11o of docs/kpi-rules.md) by age since receipt.
-- grain: one row per (age bucket, overdue); bucket 1 = 0-5 days, 2 = 6-10, 3 = 11-20, 4 = 21-30,
--        5 = 31-60, 6 = more than 60 calendar days.
-- params: $s_day (the stock day), filters $level, $unit (with descendants), $field, $procedure, $channel.
select case when age <= 5 then 1 when age <= 10 then 2 when age <= 20 then 3 when age <= 30 then 4
            when age <= 60 then 5 else 6 end as bucket,
       overdue, count(*) as dossiers
from (
    select $s_day::date - f.rd as age, coalesce(f.dd < $s_day::date, false) as overdue
    from dossier_facts_v f
    where f.received_at < $s_day::date + interval 1 day
      and coalesce(f.fd, date '9999-12-31') > $s_day::date and not f.paused
      and ($level is null or f.level = $level)
      and ($unit is null or f.unit_code in (select unit_code from unit_tree where ancestor_code = $unit))
      and ($field is null or f.field = $field)
      and ($procedure is null or f.procedure_code = $procedure)
      and ($channel is null or f.channel = $channel)
)
group by all
order by bucket, overdue;
