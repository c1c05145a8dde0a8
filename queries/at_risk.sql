-- name: at_risk
-- What is coming due on the stock day of the current period (open_now, reform/sql/summaries.sql: the
-- day its F11i and F11o count): the open dossiers (not paused) under the scope, by the unit that holds
-- them: due within $due_days working days and not yet overdue (the dossier list's DUE set), overdue
-- (past the due date moved by the supplement days: F11o), and of those the ones with no apology letter.
-- grain: one row per unit with any dossier due soon or overdue; counts are weighted (restated, a split
--        unit's dossiers count by their share), so overdue adds up to F11o of the current period.
-- params: $due_days (working days ahead), filters $level, $unit (with descendants), $field, $procedure,
--         $channel, $lens, through scope_unit_shares (reform/sql/scope.sql).
select o.unit_code, u.name as unit_name,
       coalesce(sum(s.share) filter (where o.od >= o.day and o.od < working_day_limit(o.day, $due_days)), 0)
           as due_soon,
       coalesce(sum(s.share) filter (where o.od < o.day), 0) as overdue,
       coalesce(sum(s.share) filter (where o.od < o.day and not o.apology), 0) as overdue_no_apology,
       max(o.day - o.od) filter (where o.od < o.day) as most_days_overdue,
       any_value(o.day) as day
from open_now o
join scope_unit_shares($unit, $level, $lens) s on s.unit_code is not distinct from o.unit_code
left join units u on u.unit_code = o.unit_code
where scope_keeps(o.field, o.procedure_code, o.channel, $field, $procedure, $channel)
  and scope_counts_on(s.counts_from, o.day)
group by o.unit_code, u.name
having due_soon > 0 or overdue > 0
order by overdue desc, due_soon desc, o.unit_code;
