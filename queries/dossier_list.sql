-- name: dossier_list
-- The dossiers behind one count (docs/kpi-rules.md), one page at a time: the records a KPI card or a
-- table cell stands for. Same filters as kpi_counts; $set names the count.
-- grain: one row per dossier; total = the size of the whole set (for paging).
-- params: $set (F01 F02 F04d F04o F04p F07 F08 F09 F11i F11o F12 F13r F13w F18, or FIN = F07+F08+F09:
--         the finished dossiers behind the on-time rate, times, e-results, ratings, or DUE = the open
--         dossiers within time at the stock day that fall due within $due_days working days (part of F11i,
--         queries/at_risk.sql)), $p_start, $p_end (first
--         and last day of the period; stocks are read on stock_day($p_end), reform/sql/scope.sql),
--         filters $level, $unit (with descendants), $field, $procedure, $channel, $sort (received_desc | received_asc | due_asc | overdue_desc),
--         $limit, $offset; $lens = 'restated': $unit is one of today's units and the list holds the
--         dossiers of every unit that counts under it (a split unit's dossiers appear under each of its
--         successors: the count shares them by weight, the list shows each record whole, with its
--         `share` in the count; weighted_total = the count). The scope is scoped_dossiers
--         (reform/sql/scope.sql), as kpi_counts reads it; another province's units before the merger
--         are tested on the day each set is about (received, finished, the stock day).
-- state_then: 'within' | 'overdue' | 'paused' at the stock day for a dossier open then (rev 2: overdue past the
-- due date plus the supplement days), days_overdue then; apology_issued: a letter of apology was recorded
-- (Decree 61/2018: owed, with a new appointment date, for a late dossier); outcome: the final outcome,
-- whenever it came.
with day as (select stock_day($p_end) as s_day, working_day_limit(stock_day($p_end), $due_days) as due_before),
f as (
    select f.*, day.s_day,
           -- the state at the stock day (DESIGN §5 rev 2): within time, overdue or paused then
           case when f.rd <= day.s_day and coalesce(f.fd, date '9999-12-31') > day.s_day
                     and not f.closed_undated
                then case when f.paused then 'paused' when f.od < day.s_day then 'overdue' else 'within' end
           end as state_then
    from scoped_dossiers($unit, $level, $field, $procedure, $channel, $lens) f, day
    -- every set holds only dossiers received by the period end (the stock day is never later): the sort
    -- order prunes
    where f.received_at < $p_end::date + interval 1 day
      and case $set
          when 'F01'  then f.rd >= $p_start and scope_counts_on(f.counts_from, f.rd)
          when 'F04d' then f.rd >= $p_start and f.channel = 1 and scope_counts_on(f.counts_from, f.rd)
          when 'F04o' then f.rd >= $p_start and f.channel = 2 and scope_counts_on(f.counts_from, f.rd)
          when 'F04p' then f.rd >= $p_start and f.channel = 3 and scope_counts_on(f.counts_from, f.rd)
          when 'F13r' then f.rd >= $p_start and f.st = 3 and scope_counts_on(f.counts_from, f.rd)
          when 'F13w' then f.rd >= $p_start and f.st = 7 and scope_counts_on(f.counts_from, f.rd)
          when 'F02'  then f.rd < $p_start and coalesce(f.fd, date '9999-12-31') >= $p_start
                           and not f.closed_undated
                           and scope_counts_on(f.counts_from, ($p_start::date - interval 1 day)::date)
          when 'F07'  then f.fd between $p_start and $p_end and f.outcome = 'early'
                           and scope_counts_on(f.counts_from, f.fd)
          when 'F08'  then f.fd between $p_start and $p_end and f.outcome = 'ontime'
                           and scope_counts_on(f.counts_from, f.fd)
          when 'F09'  then f.fd between $p_start and $p_end and f.outcome = 'late'
                           and scope_counts_on(f.counts_from, f.fd)
          when 'FIN'  then f.fd between $p_start and $p_end and f.outcome is not null
                           and scope_counts_on(f.counts_from, f.fd)
          when 'F11i' then state_then = 'within' and scope_counts_on(f.counts_from, day.s_day)
          when 'F11o' then state_then = 'overdue' and scope_counts_on(f.counts_from, day.s_day)
          when 'DUE'  then state_then = 'within' and f.od < day.due_before
                           and scope_counts_on(f.counts_from, day.s_day)
          when 'F12'  then (state_then = 'paused' and scope_counts_on(f.counts_from, day.s_day))
                           or (f.st = 8 and f.fd between $p_start and $p_end and scope_counts_on(f.counts_from, f.fd))
          when 'F18'  then f.td between $p_start and $p_end and f.return_channel = 'postal'
                           and scope_counts_on(f.counts_from, f.td)
          else false end
)
select f.dossier_code, f.unit_code, u.name as unit_name,
       case when $lens = 'restated' then f.share end as share,
       f.level, f.procedure_code, p.name as procedure_name,
       f.channel, f.rd as received, f.dd as due, f.fd as finished, f.td as returned, f.st as status_code,
       f.state_then, case when f.state_then = 'overdue' then f.s_day - f.od end as days_overdue,
       f.apology as apology_issued,
       f.outcome, f.wd as working_days, p.legal_days, f.rating,
       count(*) over () as total, sum(f.share) over () as weighted_total
from f
left join units u using (unit_code)
left join procedures p using (procedure_code)
order by case $sort when 'received_asc' then epoch(f.received_at)
                    when 'received_desc' then -epoch(f.received_at)
                    when 'due_asc' then epoch(f.dd)
                    when 'overdue_desc' then -coalesce(days_overdue, -1) end nulls last,
         f.dossier_code
limit $limit offset $offset;
