-- name: at_risk
-- What is coming due on the stock day of the current period (open_now, reform/sql/summaries.sql: the
-- day its F11i and F11o count): the open dossiers (not paused) under the scope, by the unit that holds
-- them: due within $due_days working days and not yet overdue (the dossier list's DUE set), overdue
-- (past the due date moved by the supplement days: F11o), and of those the ones with no apology letter.
-- grain: one row per unit with any dossier due soon or overdue; counts are weighted (restated, a split
--        unit's dossiers count by their share), so overdue adds up to F11o of the current period.
-- params: $due_days (working days ahead), filters $level, $unit (with descendants), $field, $procedure,
--         $channel, $lens, through scope_unit_shares (reform/sql/scope.sql).
with today as (
    -- open_now's one day, and the first day past $due_days working days after it (once, not per row)
    select day, working_day_limit(day, $due_days) as due_before from (select max(day) as day from open_now)
),
per_unit as (
    -- counted per recorded unit first (a few hundred rows), then weighted by the unit's share
    select o.unit_code, any_value(t.day) as day,
           count(*) filter (where o.od >= t.day) as due_soon,
           count(*) filter (where o.od < t.day) as overdue,
           count(*) filter (where o.od < t.day and not o.apology) as overdue_no_apology,
           max(t.day - o.od) filter (where o.od < t.day) as most_days_overdue
    from open_now o cross join today t
    where o.od < t.due_before and scope_keeps(o.field, o.procedure_code, o.channel, $field, $procedure, $channel)
    group by o.unit_code
)
select p.unit_code, u.name as unit_name, p.due_soon * s.share as due_soon, p.overdue * s.share as overdue,
       p.overdue_no_apology * s.share as overdue_no_apology, p.most_days_overdue, p.day
from per_unit p
join scope_unit_shares($unit, $level, $lens) s on s.unit_code is not distinct from p.unit_code
left join units u on u.unit_code = p.unit_code
where scope_counts_on(s.counts_from, p.day) and (p.due_soon > 0 or p.overdue > 0)
order by overdue desc, due_soon desc, p.unit_code;
