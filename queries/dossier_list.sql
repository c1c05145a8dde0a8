-- name: dossier_list
-- The dossiers behind one count (docs/kpi-rules.md), one page at a time: the records a KPI card or a
-- table cell stands for. Same filters as kpi_counts; $set names the count.
-- grain: one row per dossier; total = the size of the whole set (for paging).
-- params: $set (F01 F02 F04d F04o F04p F07 F08 F09 F11i F11o F12 F13r F13w F18, or FIN = F07+F08+F09:
--         the finished dossiers behind the on-time rate, times, e-results, ratings), $p_start, $p_end (first
--         and last day of the period), $s_day (the day stocks are taken: the period end, or the end of
--         the last month with data if earlier), filters $level, $unit (with descendants), $field,
--         $procedure, $channel, $sort (received_desc | received_asc | due_asc | overdue_desc),
--         $limit, $offset; $lens = 'restated': $unit is one of today's units and the list holds the
--         dossiers of every unit that counts under it (a split unit's dossiers appear under each of its
--         successors: the count shares them by weight, the list shows each record whole, with its
--         `share` in the count; weighted_total = the count). As recorded,
--         without a unit, a period starting before 1/7/2025 leaves out the units of another province
--         then (units.former_province), as kpi_counts does month by month.
with lens_units as (
    -- restated: every unit counted under $unit, with the share of its dossiers counted there
    select r.old_code as unit_code, sum(r.weight) as share
    from unit_restated r join unit_tree t on t.unit_code = r.today_code
    where $lens = 'restated' and t.ancestor_code = $unit
    group by 1
),
f as (
    select f.*,
           case when $set in ('F11i', 'F11o') and f.dd < $s_day::date
                then $s_day::date - f.dd end as days_overdue
    from dossier_facts_v f
    -- every set holds only dossiers received by the period end (or stock day): the sort order prunes
    where f.received_at < greatest($p_end::date, $s_day::date) + interval 1 day
      and ($level is null or case when $lens = 'restated'
          then f.unit_code in (select r.old_code from unit_restated r join units u on u.unit_code = r.today_code
                               where u.level = $level)
          else f.level = $level end)
      and ($unit is null or case when $lens = 'restated' then f.unit_code in (select unit_code from lens_units)
          else f.unit_code in (select unit_code from unit_tree where ancestor_code = $unit) end)
      and ($unit is not null or $lens = 'restated' or $p_start >= date '2025-07-01'
           or f.unit_code not in (select unit_code from units where former_province is not null))
      and ($field is null or f.field = $field)
      and ($procedure is null or f.procedure_code = $procedure)
      and ($channel is null or f.channel = $channel)
      and case $set
          when 'F01'  then f.rd >= $p_start
          when 'F04d' then f.rd >= $p_start and f.channel = 1
          when 'F04o' then f.rd >= $p_start and f.channel = 2
          when 'F04p' then f.rd >= $p_start and f.channel = 3
          when 'F13r' then f.rd >= $p_start and f.st = 3
          when 'F13w' then f.rd >= $p_start and f.st = 7
          when 'F02'  then f.rd < $p_start and coalesce(f.fd, date '9999-12-31') >= $p_start
          when 'F07'  then f.fd between $p_start and $p_end and f.outcome = 'early'
          when 'F08'  then f.fd between $p_start and $p_end and f.outcome = 'ontime'
          when 'F09'  then f.fd between $p_start and $p_end and f.outcome = 'late'
          when 'FIN'  then f.fd between $p_start and $p_end and f.outcome is not null
          when 'F11i' then f.rd <= $s_day and coalesce(f.fd, date '9999-12-31') > $s_day and not f.paused
                           and (f.dd is null or f.dd >= $s_day)
          when 'F11o' then f.rd <= $s_day and coalesce(f.fd, date '9999-12-31') > $s_day and not f.paused
                           and f.dd < $s_day
          when 'F12'  then (f.paused and f.rd <= $s_day) or (f.st = 8 and f.fd between $p_start and $p_end)
          when 'F18'  then f.td between $p_start and $p_end and f.return_channel = 'postal'
          else false end
)
select f.dossier_code, f.unit_code, u.name as unit_name,
       case when $lens = 'restated' then coalesce(l.share, 1.0) end as share,
       f.level, f.procedure_code, p.name as procedure_name,
       f.channel, f.rd as received, f.dd as due, f.fd as finished, f.td as returned, f.st as status_code,
       f.outcome, f.wd as working_days, p.legal_days, f.days_overdue, f.rating,
       count(*) over () as total, sum(coalesce(l.share, 1.0)) over () as weighted_total
from f
left join lens_units l using (unit_code)
left join units u using (unit_code)
left join procedures p using (procedure_code)
order by case $sort when 'received_asc' then epoch(f.received_at)
                    when 'received_desc' then -epoch(f.received_at)
                    when 'due_asc' then epoch(f.dd)
                    when 'overdue_desc' then -coalesce(f.days_overdue, -1) end nulls last,
         f.dossier_code
limit $limit offset $offset;
