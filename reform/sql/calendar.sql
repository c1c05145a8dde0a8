-- The working-day calendar (Mon-Fri minus public holidays), used for due dates and processing times.
-- wd_index(day) = working days from the calendar start up to and including day
create or replace table workdays as
-- (written in SQL that Apache Spark also runs, reform/sql/build.sql: weekends counted from a Monday
-- before the start, 2014-12-29, as isodow has no Spark twin)
select r.day::date as day,
       sum(case when date_diff('day', date '2014-12-29', r.day::date) % 7 >= 5 or h.day is not null then 0 else 1 end)
           over (order by r.day) as wd_index
from (select unnest(generate_series(date '2015-01-01', date '2030-12-31', interval 1 day)) as day) r
left join holidays h on h.day = r.day::date;

-- The buckets of a period [p_start, p_last] (first days of its first and last month): the whole
-- period, or each of its months, quarters or years when by_key is 'month', 'quarter' or 'year'.
create or replace macro period_buckets(p_start, p_last, by_key) as table
select distinct
       case by_key when 'month' then m when 'quarter' then date_trunc('quarter', m)
                   when 'year' then date_trunc('year', m) else p_start end::date as b_start,
       case by_key when 'month' then m when 'quarter' then least(p_last, date_trunc('quarter', m) + interval 2 month)
                   when 'year' then least(p_last, date_trunc('year', m) + interval 11 month)
                   else p_last end::date as b_last
from range(p_start::date, p_last::date + interval 1 day, interval 1 month) r(m);

-- working_day_limit(day, n): the first day past n working days after `day`; a due date d is within n
-- working days of `day` when day <= d < working_day_limit(day, n) (a weekend or holiday after the n-th
-- working day is still within: no working day has passed)
create or replace macro working_day_limit(d, n) as
    (select min(w.day) from workdays w
     where w.wd_index > (select x.wd_index from workdays x where x.day = d::date) + n);
