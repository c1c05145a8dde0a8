-- The working-day calendar (Mon-Fri minus public holidays), used for due dates and processing times.
-- wd_index(day) = working days from the calendar start up to and including day
create or replace table workdays as
select r.day::date as day,
       sum(case when isodow(r.day) >= 6 or h.day is not null then 0 else 1 end)
           over (order by r.day) as wd_index
from range(date '2015-01-01', date '2031-01-01', interval 1 day) r(day)
left join holidays h on h.day = r.day::date;
