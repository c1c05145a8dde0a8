-- Summary tables (never edited by hand): built whole by every generation and by an import of reference
-- data; an import of dossiers alone adds what its rows changed through the same macros (reform/refresh.py).
-- kpi_month: per month × unit × procedure × channel, the count of each dossier EVENT in that month
--   (received, finished early/on time/late, returned by post, ...): flow KPIs sum the months of a period.
-- stock_month: per month × unit × procedure × channel, the dossiers still open at the END of that month
--   (within time, overdue, paused): stock KPIs read one month (docs/kpi-rules.md).
-- Every period is whole months, so these two tables answer every KPI of any month, quarter or year;
-- kpi_month_unit and stock_month_unit are the same without the procedure, for speed.

create or replace table unit_tree as
with recursive t(ancestor_code, unit_code) as (
    select unit_code, unit_code from units
    union all
    select t.ancestor_code, u.unit_code from t join units u on u.parent_code = t.unit_code
)
select distinct * from t;


-- The summaries as macros of a facts table (reform/sql/facts.sql's columns): a full build reads every dossier's facts,
-- an import of dossiers alone the facts of the rows it replaced and brought (reform/refresh.py), and adds
-- the difference. Both read these definitions, so a summary has one rule however it was written.

-- kpi_month_of(tbl): the events of each month (flows)
create or replace macro kpi_month_of(tbl) as table
with events as (
    -- received in the month
    select date_trunc('month', rd)::date as month, unit_code, level, procedure_code, field, channel,
           1 as n_received,
           (st = 3)::int as n_refused,
           (st = 7)::int as n_withdrawn,
           digitized::int as n_digitized,
           has_fee::int as n_fee,
           (has_fee and paid_online)::int as n_paid_online
    from query_table(tbl)
    union all by name
    -- finished (status 9/10) or stopped in the month
    select date_trunc('month', fd)::date as month, unit_code, level, procedure_code, field, channel,
           (outcome = 'early')::int as n_early,
           (outcome = 'ontime')::int as n_ontime,
           (outcome = 'late')::int as n_late,
           case when outcome is not null then wd end as wd_sum,
           (outcome is not null and paper)::int as n_paper_finished,
           (outcome is not null and paper and e_result)::int as n_e_result,
           (outcome is not null and rating is not null)::int as n_rated,
           (outcome is not null and rating in (1, 2))::int as n_satisfied,
           (outcome = 'late' and apology)::int as n_late_apology,
           (st = 8)::int as n_stopped
    from query_table(tbl) where fd is not null and (outcome is not null or st = 8)
    union all by name
    select date_trunc('month', td)::date as month, unit_code, level, procedure_code, field, channel,
           1 as n_returned_post
    from query_table(tbl) where td is not null and return_channel = 'postal'
)
select month, unit_code, level, procedure_code, field, channel,
       coalesce(sum(n_received), 0)::integer as n_received,
       coalesce(sum(n_refused), 0)::integer as n_refused,
       coalesce(sum(n_withdrawn), 0)::integer as n_withdrawn,
       coalesce(sum(n_digitized), 0)::integer as n_digitized,
       coalesce(sum(n_fee), 0)::integer as n_fee,
       coalesce(sum(n_paid_online), 0)::integer as n_paid_online,
       coalesce(sum(n_early), 0)::integer as n_early,
       coalesce(sum(n_ontime), 0)::integer as n_ontime,
       coalesce(sum(n_late), 0)::integer as n_late,
       coalesce(sum(wd_sum), 0)::bigint as wd_sum,
       coalesce(sum(n_paper_finished), 0)::integer as n_paper_finished,
       coalesce(sum(n_e_result), 0)::integer as n_e_result,
       coalesce(sum(n_rated), 0)::integer as n_rated,
       coalesce(sum(n_satisfied), 0)::integer as n_satisfied,
       coalesce(sum(n_late_apology), 0)::integer as n_late_apology,
       coalesce(sum(n_stopped), 0)::integer as n_stopped,
       coalesce(sum(n_returned_post), 0)::integer as n_returned_post
from events
group by all;

-- stock_month_of(tbl, p_first, p_last): the dossiers open at the end of each month from p_first to p_last
-- (first days of months): received by that day, not finished by it, not closed by its status
create or replace macro stock_month_of(tbl, p_first, p_last) as table
with ends as (
    select m::date as month, last_day(m::date) as day
    from (select unnest(generate_series(p_first::date, p_last::date, interval 1 month)) as m) r
)
select e.month, f.unit_code, f.level, f.procedure_code, f.field, f.channel,
       count(*)::integer as n_open_all,
       count(*) filter (where not f.paused)::integer as n_open,
       count(*) filter (where not f.paused and f.od < e.day)::integer as n_overdue,
       count(*) filter (where f.paused)::integer as n_paused
from query_table(tbl) f
join ends e on f.rd <= e.day and coalesce(f.fd, date '9999-12-31') > e.day and not f.closed_undated
group by all;

-- the same two without the procedure: about 20 times fewer rows, for every query that neither filters nor
-- groups by procedure or field (kpi_month_unit_of('kpi_month'), stock_month_unit_of('stock_month'))
create or replace macro kpi_month_unit_of(tbl) as table
select month, unit_code, level, channel,
       sum(columns(* exclude (month, unit_code, level, procedure_code, field, channel)))::bigint
from query_table(tbl)
group by all;

create or replace macro stock_month_unit_of(tbl) as table
select month, unit_code, level, channel,
       sum(columns(* exclude (month, unit_code, level, procedure_code, field, channel)))::integer
from query_table(tbl)
group by all;

-- how far the data goes: stocks (open, overdue, paused) of a period that runs past it are taken at
-- the end of the last month with data, not at a future period end
create or replace macro data_info_now() as table
select max(received_at)::date as last_received,
       date_trunc('month', max(received_at))::date as last_month,
       count(*) as dossiers
from dossiers;

-- open_now_of(tbl, p_day): the dossiers open on the stock day of the current period (stock_day in
-- scope.sql: the last day of the data's last month; the day F11i and F11o of that period count), not
-- paused: the few rows "what is coming due" reads (queries/at_risk.sql). od is the due date moved by
-- the supplement days, past which a dossier is overdue; day is that stock day.
create or replace macro open_now_of(tbl, p_day) as table
select f.dossier_code, f.unit_code, f.level, f.procedure_code, f.field, f.channel, f.rd, f.od, f.apology,
       p_day::date as day
from query_table(tbl) f
where f.rd <= p_day and coalesce(f.fd, date '9999-12-31') > p_day and not f.closed_undated and not f.paused;
