-- Seeded sample of Cà Mau dossiers, 1/1/2019 - 30/9/2026, built entirely in SQL (see reform/generate.py).
-- Inputs: units, procedures, holidays (loaded), workdays (summaries.sql), field_department (generate.py),
-- variables seed, scale, as_of, the macro merger_day() (reform/db.py, written before this runs).
-- Random numbers: u(i, k) = a uniform [0, 1) from hash(i, k, seed).
-- Steps are separated by lines "-- step: NAME" so that the generator can report progress.

-- step: plan
create or replace macro u(i, k) as (hash(i, k, getvariable('seed')) % 1000000007) / 1000000007.0;

create or replace temp table months as
select m::date as month,
       (datediff('month', date '2019-01-01', m) / 12.0) as t,
       -- the month that holds the Tết holidays
       month(m) = (select month(min(day)) from holidays h
                   where name_vi = 'Tết Nguyên đán' and year(h.day) = year(m)) as tet,
       m >= merger_day() as merged
from range(date '2019-01-01', date '2026-10-01', interval 1 month) r(m);

-- monthly volume and channel mix by level; April 2020 is pinned to the article (DESIGN §3)
create or replace temp table plan as
with shares(level, before_merger, after_merger) as (
    values ('province', 0.414, 0.45), ('district', 0.201, 0.0),
           ('commune', 0.266, 0.43), ('unassigned', 0.119, 0.12)
),
raw as (
    select m.month, m.t, s.level,
           54000 * pow(1.045, m.t) * (case when m.tet then 0.8 else 1.0 end)
                 * (case when m.merged then 1.35 else 1.0 end)
                 * (0.97 + 0.06 * u(hash(m.month), 1))
                 * (case when m.merged then s.after_merger else s.before_merger end)
                 * (0.95 + 0.10 * u(hash(m.month, s.level), 2)) as n,
           -- online share: slow start, Decree 45/2020, COVID months (4/2020, 7-9/2021), then full online
           least(0.95, greatest(0.0, case s.level
                when 'province'   then 0.36 + 0.085 * m.t
                when 'district'   then 0.05 + 0.05 * m.t + 0.02 * m.t * m.t
                when 'commune'    then case when m.t < 2 then 0.0004 else 0.05 + 0.13 * (m.t - 2) end
                else case when m.t < 2 then 0.0 else 0.08 * (m.t - 2) end end
                + case when m.month = date '2020-04-01' then 0.05
                       when m.month between date '2021-07-01' and date '2021-09-01' then 0.10 else 0 end
                + 0.02 * (u(hash(m.month, s.level), 3) - 0.5))) as online_share,
           greatest(0.01, 0.045 - 0.003 * m.t) as postal_share
    from months m cross join shares s
),
calibrated(level, n, n_online, n_postal) as (
    values ('province', 25982, 13043, 1100), ('district', 12627, 1418, 700),
           ('commune', 16667, 10, 700), ('unassigned', 7478, 0, 284)
)
select r.month, r.level,
       coalesce(round(c.n * getvariable('scale')), round(r.n * getvariable('scale')))::bigint as n,
       coalesce(round(c.n_online * getvariable('scale')),
                round(r.n * getvariable('scale') * r.online_share))::bigint as n_online,
       coalesce(round(c.n_postal * getvariable('scale')),
                round(r.n * getvariable('scale') * (1 - r.online_share) * r.postal_share))::bigint as n_postal
from raw r
left join calibrated c on r.month = date '2020-04-01' and c.level = r.level
where r.n > 0;

create or replace temp table plan_idx as
select *, sum(n) over (order by month, level rows unbounded preceding) - n as first_i from plan;

-- step: pools
-- eras of the unit structure: before 2025, first half of 2025 (Phường 2 + 4 merged), merged province
create or replace temp table unit_pool as
with eras(era, from_day, mid_day) as (
    values (1, date '2019-01-01', date '2020-01-01'), (2, date '2025-01-01', date '2025-03-01'),
           (3, merger_day(), date '2026-01-01')
),
w as (
    select e.era, u.unit_code, u.level,
           (case when u.name like '%phường%' then 3.0 when u.name like '%thị trấn%' then 2.0
                 when u.unit_code = '964' then 2.5 when u.unit_code = 'CA' then 2.5
                 when u.unit_code = 'CT' then 1.5 else 1.0 end)
               * (0.6 + 0.8 * u(hash(u.unit_code), 4)) as w
    from eras e join units u
      on u.valid_from <= e.mid_day and (u.valid_to is null or u.valid_to >= e.mid_day)
    where u.level in ('district', 'commune', 'unassigned')
)
select era, level, unit_code,
       sum(w) over (partition by era, level order by unit_code rows unbounded preceding) - w as lo,
       sum(w) over (partition by era, level) as total
from w;

-- procedures in force mid-month, Zipf-like popularity; about a third never get a dossier
create or replace temp table proc_pool as
with p as (
    select m.month, pr.level, pr.procedure_code,
           row_number() over (partition by m.month, pr.level order by hash(pr.procedure_code, getvariable('seed'))) as r,
           u(hash(pr.procedure_code), 5) < 0.33 as unused
    from months m join procedures pr
      on pr.valid_from <= m.month + 14 and (pr.valid_to is null or pr.valid_to >= m.month + 14)
),
w as (select month, level, procedure_code, case when unused then 0.0 else 300.0 / r + 1 end as w from p where not unused)
select month, level, procedure_code,
       sum(w) over (partition by month, level order by procedure_code rows unbounded preceding) - w as lo,
       sum(w) over (partition by month, level) as total
from w;

-- working days as an index, to add legal working days to a date
create or replace temp table wd_days as
select w.wd_index, w.day from workdays w
where isodow(w.day) < 6 and w.day not in (select day from holidays);

create or replace temp table month_wd as
select date_trunc('month', day)::date as month, list(day order by day) as days from wd_days group by 1;

-- step: dossiers
create or replace temp table d0 as
select p.month, p.level, p.first_i + j as i,
       case when j < p.n_online then 2 when j < p.n_online + p.n_postal then 3
            when u(p.first_i + j, 10) < 0.05 then null else 1 end as channel,
       case when p.month >= merger_day() then 3 when p.month >= date '2025-01-01' then 2 else 1 end as era
from (select *, unnest(range(n)) as j from plan_idx
      where month >= getvariable('chunk_from') and month < getvariable('chunk_to')) p;

-- a procedure for every dossier (unassigned vertical agencies use province-level procedures)
create or replace temp table d1 as
select d.*, pp.procedure_code
from (select *, case when level = 'unassigned' then 'province' else level end as plevel,
             u(i, 11) as pick_p from d0) d
asof join (select pp.*, pp.lo / pp.total as lo_share from proc_pool pp) pp
  on d.month = pp.month and d.plevel = pp.level and d.pick_p >= pp.lo_share;

-- a unit: province-level dossiers go to the department of the procedure's field (land: 60 % to the
-- district branches), the others by weight among the units valid in the era
create or replace temp table d2 as
with prov as (
    select d.i,
           case when fd.department = 'STNMT' and u(d.i, 12) < 0.6
                then 'CNVPDK-' || (select list_sort(list(unit_code)) from units where kind = 'district_committee')
                                  [1 + floor(u(d.i, 13) * 9)::int]
                else fd.department end as old_unit
    from d1 d join procedures p using (procedure_code) join field_department fd on fd.field = p.field
    where d.level = 'province'
)
select d.*,
       case when d.level = 'province' and d.era = 3
                 then coalesce((select successor_code from units x where x.unit_code = prov.old_unit), prov.old_unit)
            when d.level = 'province' then prov.old_unit
            else up.unit_code end as unit_code
from d1 d
left join prov using (i)
asof left join (select up.*, up.lo / up.total as lo_share from unit_pool up) up
  on d.era = up.era and d.level = up.level and u(d.i, 14) >= up.lo_share;

-- step: timeline
create or replace temp table d3 as
with base as (
    select d.*, p.legal_days, p.has_fee, p.requires_paper_result, un.valid_to as unit_valid_to,
           datediff('month', date '2019-01-01', d.month) / 12.0 as t,
           md.days as month_days
    from d2 d join procedures p using (procedure_code) join month_wd md using (month)
    join units un using (unit_code)
),
recv as (
    -- received on a working day of the month, 7:30-16:30
    select b.* exclude (month_days),
           b.month_days[1 + floor(u(b.i, 20) * len(b.month_days))::int]
               + to_minutes((450 + floor(u(b.i, 21) * 540))::bigint) as received_at
    from base b
),
lag as (
    -- late probability: low in 2020 (Q1 > 99 % on time), higher after the 2025 merger; a few lagging
    -- units and procedures are much worse
    select r.*,
           least(0.6, (case when r.t < 0.75 then 0.012 when r.t < 1.25 then 0.003 when r.t < 2 then 0.008
                             when r.t < 3 then 0.012 when r.t < 4 then 0.02 when r.t < 5 then 0.022
                             when r.t < 6.5 then 0.018 when r.t < 7 then 0.045 else 0.028 end)
                       * (case when r.unit_code in ('CNVPDK-964', 'SXD', '967', '32047', 'SXD-2025', 'C25-05')
                               then 9 else 1 end)
                       * (case when hash(r.procedure_code, 77) % 120 = 0 then 7 else 1 end)) as p_late
    from recv r
)
select l.*, w1.day + interval 17 hour as due_at
from lag l
join workdays w0 on w0.day = l.received_at::date
join wd_days w1 on w1.wd_index = w0.wd_index + greatest(1, round(coalesce(l.legal_days, 5)))::int;

-- step: outcomes
create or replace temp table d4 as
with o as (
    select d.*,
           u(d.i, 30) as uo,
           case when u(d.i, 31) < 0.006 then 3            -- refused at the desk
                when u(d.i, 31) < 0.009 then 7            -- withdrawn
                when u(d.i, 31) < 0.010 then 8            -- stopped
                else 0 end as end_kind,
           case when u(d.i, 32) < 0.06 then 2 + floor(u(d.i, 33) * 14)::int else 0 end as supp,
           -- stuck dossiers never finish (backlog), mostly at the lagging units
           u(d.i, 34) < (case when d.p_late > 0.05 then 0.004 else 0.0002 end) as stuck
    from d3 d
),
e as (
    select o.*,
           case when o.end_kind = 3 then o.received_at::date
                when o.end_kind in (7, 8) then o.received_at::date + 1 + floor(u(o.i, 35) * 5)::int
                when o.uo < o.p_late then o.due_at::date + 1 + floor(pow(u(o.i, 36), 2) * 25)::int
                when o.uo < o.p_late + 0.12 then o.due_at::date
                else o.received_at::date + floor(u(o.i, 37) * datediff('day', o.received_at::date, o.due_at::date))::int
           end as eff_end
    from o
)
select e.* replace (case when e.stuck and e.unit_valid_to is not null then 8 else e.end_kind end as end_kind),
       -- a unit that is dissolved hands its stuck dossiers over: they stop there on its last day
       case when e.stuck and e.unit_valid_to is not null then e.unit_valid_to + interval 16 hour
            when e.stuck then null
            else greatest(e.received_at + interval 30 minute,
                          (e.eff_end + (case when e.end_kind = 0 then e.supp else 0 end))::timestamp
                          + to_minutes((480 + floor(u(e.i, 38) * 480))::bigint)) end as fin
from e;

-- step: finish
create or replace temp table d5 as
with s as (
    select d.*,
           d.fin is not null and d.fin <= getvariable('as_of') as done,
           least(0.97, greatest(0.0, 0.2 * (d.t - 3.0))) as p_digit,
           least(0.85, greatest(0.0, 0.22 * (d.t - 3.2))) as p_eresult,
           least(0.8, greatest(0.01, 0.15 * (d.t - 1.3))) as p_pay
    from d4 d
)
select s.*,
       case when not s.done and s.end_kind = 0 and u(s.i, 40) < 0.08 then 5 + floor(u(s.i, 41) * 2)::int
            when not s.done then 4
            when s.end_kind > 0 then s.end_kind
            when u(s.i, 42) < 0.05 then 9
            else 10 end as status_code
from s;

create or replace temp table d6 as
select d.*,
       case when d.status_code = 10 then d.fin + to_minutes(floor(u(d.i, 43) * 4320)::bigint) end as ret
from d5 d;

-- step: write
insert into dossiers
select 'HS' || strftime(d.received_at, '%Y%m') || '-' || lpad(d.i::varchar, 8, '0') as dossier_code,
       d.procedure_code,
       d.unit_code,
       d.channel,
       d.received_at,
       d.due_at,
       case when d.done then d.fin end as finished_at,
       case when d.ret <= getvariable('as_of') then d.ret end as returned_at,
       null as return_channel,    -- set for all chunks at once (step returns)
       d.status_code,
       case when d.done and d.end_kind = 0 then d.supp else 0 end as supplement_days,
       case when d.done and d.status_code in (9, 10) and d.fin::date - d.supp > d.due_at::date
            then u(d.i, 60) < least(0.97, 0.6 + 0.06 * d.t) end as apology_issued,
       d.has_fee and u(d.i, 61) < d.p_pay * (case when d.channel = 2 then 1.3 else 0.5 end) as paid_online,
       u(d.i, 62) < d.p_digit as is_digitized,
       d.done and d.status_code in (9, 10) and u(d.i, 63) < d.p_eresult as has_e_result,
       case when d.done and d.status_code in (9, 10) and u(d.i, 64) < least(0.45, 0.1 + 0.05 * d.t)
            then case when u(d.i, 65) < (case when d.fin::date - d.supp > d.due_at::date then 0.3 else 0.025 end) then 3
                      when u(d.i, 66) < 0.55 then 1 else 2 end end as rating
from d6 d;

drop table d0; drop table d1; drop table d2; drop table d3; drop table d4; drop table d5; drop table d6;

-- step: returns
-- results returned by post: a share of each month's returns, April 2020 pinned to the article
create or replace table dossiers as
with r as (
    select *,
           row_number() over (partition by date_trunc('month', returned_at) order by hash(dossier_code, 50)) as rk,
           count(*) over (partition by date_trunc('month', returned_at)) as n_ret,
           date_trunc('month', returned_at)::date as rmonth
    from dossiers
)
select * exclude (rk, n_ret, rmonth) replace (
       case when returned_at is null then null
            when rk <= (case when rmonth = date '2020-04-01' then round(4261 * getvariable('scale'))
                             else round(n_ret * greatest(0.02, 0.068 - 0.004 *
                                  datediff('month', date '2019-01-01', rmonth) / 12.0)) end) then 'postal'
            when (hash(dossier_code, 51) % 1000) / 1000.0
                 < 0.3 * greatest(0, datediff('month', date '2021-01-01', rmonth) / 60.0) then 'online'
            else 'counter' end as return_channel)
from r;
