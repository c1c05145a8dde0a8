-- The scope of a view: which dossier facts count under (unit with its descendants, level, lens, field,
-- procedure, channel), and with which weight. Every query file reads through these macros (issue 12:
-- the rule lives once, here; tests/test_query_scope.py checks that every query uses its scope keys).
-- Built after the summaries and unit_restated; merger_day() is written by reform/db.py from
-- reform.restructure.MERGER_DAY.

-- every unit code the facts carry (null and codes unknown to `units` included), with its recorded level
create or replace table fact_units as
select distinct unit_code, level from kpi_month_unit;

-- unit_peers(): every unit with its peer unit: the top of its chain of same-level parents (a department
-- for its branches; a commune for itself: its parent is a district). A ranking row is a peer unit with
-- the units under it at its level, the scope (unit, level) a click on the row opens. A macro, not a
-- table, so a scoped reader (reform/db.py) reads its own units.
create or replace macro unit_peers() as table
with recursive up(unit_code, peer_code, depth) as (
    select unit_code, unit_code, 0 from units
    union all
    select up.unit_code, p.unit_code, up.depth + 1
    from up join units c on c.unit_code = up.peer_code
    join units p on p.unit_code = c.parent_code and p.level is not distinct from c.level
    where up.depth < 32
)
select unit_code, arg_max(peer_code, depth) as peer_code from up group by unit_code;

-- scope_units(unit, level, lens): one row per (recorded unit code, the unit it counts under in the view):
--   view_code, view_level  the unit and level the code's dossiers are shown under: as recorded, itself;
--                          restated ('restated'), today's unit (docs/restructuring.md)
--   peer_code              view_code's peer unit (unit_peers), the row of a ranking
--   w                      the share of the code's dossiers counted there (a split shares by weights)
--   approx                 w rests on a split's assumed weight
--   w_scope, w_level, w_peer  the code's whole share inside the scope, inside the scope and one level,
--                          inside the scope and one peer unit: a number rests on a split's weights only
--                          if such a share is below 1 (the province total never does)
--   counts_from            as recorded and province-wide, the units of another province before the merger
--                          (units.former_province: old Bạc Liêu) count only from merger_day(); else null
-- kept when view_level = level and view_code is the unit or under it (null filter = all).
create or replace macro scope_units(p_unit, p_level, p_lens) as table
with mapped as (
    select f.unit_code, f.unit_code as view_code, f.level as view_level, 1.0::double as w, false as approx,
           case when p_unit is null and u.former_province is not null then merger_day() end as counts_from
    from fact_units f left join units u on u.unit_code = f.unit_code
    where coalesce(p_lens, 'recorded') <> 'restated'
    union all
    select f.unit_code, coalesce(r.today_code, f.unit_code), coalesce(t.level, f.level),
           coalesce(r.weight, 1.0)::double, coalesce(r.approximate, false), null::date
    from fact_units f left join unit_restated r on r.old_code = f.unit_code
    left join units t on t.unit_code = r.today_code
    where p_lens = 'restated'
)
select m.*, coalesce(pe.peer_code, m.view_code) as peer_code,
       sum(m.w) over (partition by m.unit_code) as w_scope,
       sum(m.w) over (partition by m.unit_code, m.view_level) as w_level,
       sum(m.w) over (partition by m.unit_code, coalesce(pe.peer_code, m.view_code)) as w_peer
from mapped m left join unit_peers() pe on pe.unit_code = m.view_code
where (p_level is null or m.view_level = p_level)
  and (p_unit is null or m.view_code in (select unit_code from unit_tree where ancestor_code = p_unit));

-- scope_approx: whether a row's number rests on a split's weights in a view grouped by `by` (null, unit,
-- peer, level, or a grouping that does not split units): its share inside the group is below 1
create or replace macro scope_approx(approx, by_key, w, w_peer, w_level, w_scope) as
    approx and (case by_key when 'unit' then w when 'peer' then w_peer when 'level' then w_level
                            else w_scope end) < 1 - 1e-9;

-- scope_keeps: the row filters of a scope (null = all)
create or replace macro scope_keeps(field, procedure_code, channel, p_field, p_procedure, p_channel) as
    (p_field is null or field = p_field)
    and (p_procedure is null or procedure_code = p_procedure)
    and (p_channel is null or channel = p_channel);

-- scope_counts_on: whether a row of a unit with counts_from counts on `day` (the event's or stock's day)
create or replace macro scope_counts_on(counts_from, day) as counts_from is null or day >= counts_from;

-- scoped_facts: the monthly summary rows (flows of kpi_month*, stocks of stock_month*) of months
-- [m_first, m_last] that count under the scope, each with its view_code, view_level, weight w and approx.
-- The per-unit tables are read unless the procedure or field matters (p_detail, a filter on either);
-- the branch not taken reads nothing.
create or replace macro scoped_facts(m_first, m_last, p_unit, p_level, p_field, p_procedure, p_channel,
                                     p_lens, p_detail) as table
with facts as (
    select 'flow' as src, * from kpi_month_unit
    where month between m_first and m_last and not (p_detail or p_procedure is not null or p_field is not null)
    union all by name
    select 'flow' as src, * from kpi_month
    where month between m_first and m_last and (p_detail or p_procedure is not null or p_field is not null)
    union all by name
    select 'stock' as src, * from stock_month_unit
    where month between m_first and m_last and not (p_detail or p_procedure is not null or p_field is not null)
    union all by name
    select 'stock' as src, * from stock_month
    where month between m_first and m_last and (p_detail or p_procedure is not null or p_field is not null)
)
select f.*, s.view_code, s.view_level, s.peer_code, s.w, s.approx, s.w_scope, s.w_level, s.w_peer
from facts f join scope_units(p_unit, p_level, p_lens) s on s.unit_code is not distinct from f.unit_code
where scope_keeps(f.field, f.procedure_code, f.channel, p_field, p_procedure, p_channel)
  and scope_counts_on(s.counts_from, f.month);

-- scope_unit_shares: each recorded unit code whose dossiers count under the scope, once, with the share
-- of each of its dossiers in the count, approx and counts_from (as scoped_dossiers gives them per
-- dossier; a table of dossiers, such as open_now, joins it on unit_code)
create or replace macro scope_unit_shares(p_unit, p_level, p_lens) as table
select unit_code, sum(w) as share, scope_approx(bool_or(approx), null, 1, 1, 1, any_value(w_scope)) as approx,
       min(counts_from) as counts_from
from scope_units(p_unit, p_level, p_lens) group by unit_code;

-- scoped_dossiers: the dossier facts (dossier_facts_v) under the scope, one row per dossier, with its
-- share of the count (the sum of its unit's weights under the scope: restated, a split unit's dossier
-- counts partly), approx (that share rests on a split's weights) and counts_from (see scope_units:
-- callers test it on the day their set is about).
create or replace macro scoped_dossiers(p_unit, p_level, p_field, p_procedure, p_channel, p_lens) as table
select f.*, s.share, s.approx, s.counts_from
from dossier_facts_v f join scope_unit_shares(p_unit, p_level, p_lens) s on s.unit_code is not distinct from f.unit_code
where scope_keeps(f.field, f.procedure_code, f.channel, p_field, p_procedure, p_channel);

-- scope_procedures: the procedures a view's procedure counts (C01-C07) are about: those of the level
-- (with a unit and no level, the unit's level), the field and the procedure of the scope
create or replace macro scope_procedures(p_unit, p_level, p_field, p_procedure) as table
select * from procedures
where level = coalesce(p_level, (select u.level from units u where u.unit_code = p_unit), level)
  and (p_field is null or field = p_field)
  and (p_procedure is null or procedure_code = p_procedure);

-- stock_day: the day a period's stocks (open, overdue, paused) are read: its last day, or the last day of
-- the data when that comes first (a current quarter's backlog is today's, not a future day's)
create or replace macro stock_day(p_end) as
    least(p_end::date, coalesce(last_day((select last_month from data_info)), p_end::date));

-- in_force: a procedure (or unit) valid on `day`
create or replace macro in_force(valid_from, valid_to, day) as
    valid_from <= day and (valid_to is null or valid_to >= day);
