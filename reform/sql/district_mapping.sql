-- Proposed unit_mapping rows for the district committees (the district rule, docs/restructuring.md):
-- a district's dossiers are shared among today's units in proportion to its communes, counted as on
-- the district's last day, that went to each of them (a split commune counts by its resolved weights).
-- Weights are rounded to 4 decimals and the last row of a district takes the remainder, so they sum
-- to 1 exactly. Reads units and unit_restated (reform/sql/restate.sql, built from the commune rows).
-- A row is part unless the district goes to one unit only.
with district as (
    select unit_code, valid_to from units
    where kind = 'district_committee' and valid_to is not null
),
commune as (
    select d.unit_code as district, c.unit_code as commune
    from district d join units c
      on c.parent_code = d.unit_code and c.level = 'commune'
     and coalesce(c.valid_from, date '1900-01-01') <= d.valid_to
     and (c.valid_to is null or c.valid_to >= d.valid_to)
),
n as (select district, count(*) as k from commune group by district),
share as (
    select c.district, r.today_code as new_code, sum(r.weight) / any_value(n.k) as share
    from commune c join unit_restated r on r.old_code = c.commune join n using (district)
    group by c.district, r.today_code
),
rounded as (
    select *, row_number() over w as i, count(*) over (partition by district) as k,
           sum(round(share, 4)) over (partition by district order by new_code
                                      rows between unbounded preceding and 1 preceding) as before
    from share
    window w as (partition by district order by new_code)
)
select s.district as old_code, s.new_code, d.valid_to + 1 as effective_date,
       case when s.k = 1 then 'whole' else 'part' end as share_kind,
       case when s.i = s.k then round(1 - coalesce(s.before, 0), 4) else round(s.share, 4) end as weight
from rounded s join district d on d.unit_code = s.district
order by old_code, new_code;
