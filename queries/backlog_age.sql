-- name: backlog_age
-- The backlog at a day (open, not paused: F11i + F11o of docs/kpi-rules.md) by age since receipt.
-- grain: one row per (age bucket, overdue); bucket 1 = 0-5 days, 2 = 6-10, 3 = 11-20, 4 = 21-30,
--        5 = 31-60, 6 = more than 60 calendar days; dossiers = the weighted count (restated, a split
--        unit's dossiers count by their share), so the buckets add up to F11i + F11o.
-- params: $p_end (the period's last day: the backlog is read on stock_day($p_end)), filters $level, $unit (with descendants), $field, $procedure,
--         $channel, $lens, read through scoped_dossiers (reform/sql/scope.sql).
select case when age <= 5 then 1 when age <= 10 then 2 when age <= 20 then 3 when age <= 30 then 4
            when age <= 60 then 5 else 6 end as bucket,
       overdue, sum(share) as dossiers
from (
    select day.s_day - f.rd as age, coalesce(f.od < day.s_day, false) as overdue, f.share
    from scoped_dossiers($unit, $level, $field, $procedure, $channel, $lens) f,
         (select stock_day($p_end) as s_day) day
    where f.received_at < day.s_day + interval 1 day
      and coalesce(f.fd, date '9999-12-31') > day.s_day and not f.paused and not f.closed_undated
      and scope_counts_on(f.counts_from, day.s_day)
)
group by all
order by bucket, overdue;
