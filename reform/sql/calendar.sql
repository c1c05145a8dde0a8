-- The working-day calendar (Mon-Fri minus public holidays), used for due dates and processing times.
-- wd_index(day) = working days from the calendar start up to and including day
create or replace table workdays as
select r.day::date as day,
       sum(case when isodow(r.day) >= 6 or h.day is not null then 0 else 1 end)
           over (order by r.day) as wd_index
from range(date '2015-01-01', date '2031-01-01', interval 1 day) r(day)
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
