-- The rules of the unit mapping (docs/restructuring.md), checked by reform/restructure.py.
-- Steps are separated by lines "-- step: NAME". One of the two candidate steps defines the temp views
--   _mc_map(f, r, old_code, new_code, effective_date, share_kind, weight)
--   _mc_units(f, r, unit_code, level, kind, valid_from, valid_to)
-- (f, r = file index and spreadsheet row of an import batch; null for rows already in the database),
-- then the check step lists every broken rule as (f, r, col, old_code, new_code, reason).

-- step: tables
-- the mapping and units as stored (a built database, the sample)
create or replace temp view _mc_map as
select null::integer as f, null::bigint as r, old_code, new_code, effective_date, share_kind, weight
from unit_mapping;
create or replace temp view _mc_units as
select null::integer as f, null::bigint as r, unit_code, level, kind, valid_from, valid_to from units;

-- step: batch
-- what the database would hold after an import: the batch (_conv_* of reform/importer.py) replaces the
-- stored rows with the same key. Rows whose key cells are empty are left out (already reported).
create or replace temp view _mc_map as
select f, r, old_code, new_code, effective_date, share_kind, weight
from _conv_mapping where old_code is not null and new_code is not null
union all
select null, null, x.old_code, x.new_code, x.effective_date, x.share_kind, x.weight
from unit_mapping x
where not exists (select 1 from _conv_mapping c where c.old_code = x.old_code and c.new_code = x.new_code);
create or replace temp view _mc_units as
select f, r, unit_code, level, kind, valid_from, valid_to from _conv_units where unit_code is not null
union all
select null, null, unit_code, level, kind, valid_from, valid_to from units x
where not exists (select 1 from _conv_units c where c.unit_code = x.unit_code);

-- step: check
with recursive
m as (
    -- first: the row that speaks for its old unit in rules about all its rows (the first in the batch)
    select *, row_number() over (partition by old_code order by f nulls last, r) = 1 as first
    from _mc_map
),
per_old as (
    select old_code, count(*) as n, sum(weight) as total,
           count(*) filter (where weight is null or share_kind is null) as n_unknown,
           string_agg(new_code || ' ' || printf('%.10g', weight), ' + ' order by new_code) as parts
    from m group by old_code
),
u as (select distinct on (unit_code) * from _mc_units order by unit_code, f nulls last, r),
-- paths along the successor chains, from every row; a path that comes back to its start is a cycle
path(f, r, start, last, nodes) as (
    select f, r, old_code, new_code, [old_code, new_code] from m
    union all
    select p.f, p.r, p.start, e.new_code, list_append(p.nodes, e.new_code)
    from path p join m e on e.old_code = p.last
    where p.last <> p.start and len(p.nodes) < 64
      and (e.new_code = p.start or not list_contains(p.nodes, e.new_code))
),
problems(f, r, col, old_code, new_code, reason) as (
    select f, r, 'old_code', old_code, new_code,
           'old unit ' || old_code || ' is not a known unit code (import it in units first)'
    from m where old_code not in (select unit_code from u)
    union all
    select f, r, 'new_code', old_code, new_code,
           'new unit ' || new_code || ' (successor of ' || old_code || ') is not a known unit code'
    from m where new_code not in (select unit_code from u)
    union all
    select m.f, m.r, 'old_code', m.old_code, m.new_code,
           'old unit ' || m.old_code || ' is still valid (no valid_to): only a closed unit is mapped to a successor'
    from m join u on u.unit_code = m.old_code where u.valid_to is null and m.first
    union all
    select f, r, 'weight', old_code, new_code,
           'old unit ' || old_code || ' -> ' || new_code || ': weight ' || printf('%.10g', weight)
           || ' is outside (0, 1]'
    from m where weight <= 0 or weight > 1
    union all
    select f, r, 'weight', old_code, new_code,
           'old unit ' || old_code || ' -> ' || new_code || ' is whole but its weight is '
           || printf('%.10g', weight) || ': a whole mapping has weight 1'
    from m where share_kind = 'whole' and weight > 0 and weight <= 1 and abs(weight - 1) > 1e-6
    union all
    select m.f, m.r, 'share_kind', m.old_code, m.new_code,
           'old unit ' || m.old_code || ' is mapped whole to ' || m.new_code || ' but has ' || o.n
           || ' rows (' || o.parts || '): a whole mapping is the only row of its old unit; '
           || 'a split is several part rows'
    from m join per_old o using (old_code) where m.share_kind = 'whole' and o.n > 1
    union all
    select m.f, m.r, 'share_kind', m.old_code, m.new_code,
           'old unit ' || m.old_code || ' has a single part row (-> ' || m.new_code
           || '): a split has at least two rows, otherwise the mapping is whole'
    from m join per_old o using (old_code) where m.share_kind = 'part' and o.n = 1
    union all
    select m.f, m.r, 'weight', m.old_code, m.new_code,
           'weights of old unit ' || m.old_code || ' sum to ' || printf('%.10g', o.total) || ' ('
           || o.parts || '): they must sum to 1'
    from m join per_old o using (old_code)
    where m.first and o.n_unknown = 0 and abs(o.total - 1) > 1e-6
    union all
    select m.f, m.r, 'effective_date', m.old_code, m.new_code,
           'old unit ' || m.old_code || ' -> ' || m.new_code || ': effective date ' || m.effective_date
           || ' is before the old unit''s valid_from ' || u.valid_from
    from m join u on u.unit_code = m.old_code where m.effective_date < u.valid_from
    union all
    select f, r, 'old_code', start, nodes[2],
           'cycle in the successor chain: ' || array_to_string(nodes, ' -> ')
           || ' (a chain must end at a unit with no mapping row)'
    from (select f, r, start, arg_min(nodes, len(nodes)) as nodes
          from path where last = start group by f, r, start)
    union all
    -- a closed unit without any row: reported at its units row when the batch has one
    select u.f, u.r, case when u.f is null then 'old_code' else 'valid_to' end, u.unit_code, null,
           'unit ' || u.unit_code || ' (' || coalesce(u.level, '?') || coalesce(', ' || u.kind, '')
           || ', valid to ' || u.valid_to || ') is closed but has no mapping row: every closed unit, '
           || 'district committees included, needs one (docs/restructuring.md)'
    from u where u.valid_to is not null and u.unit_code not in (select old_code from m)
)
select * from problems order by old_code, f nulls last, r, col;
