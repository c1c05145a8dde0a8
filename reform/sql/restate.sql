-- unit_restated(old_code, today_code, weight, approximate): every unit code resolved to today's units
-- through unit_mapping (docs/restructuring.md). Rebuilt with the summaries on every import.
-- * chains are followed to their end (32002 -> 32002-2025 -> C25-01): today's unit is a code with no
--   mapping row of its own; a unit without mapping rows (still valid) resolves to itself, weight 1;
-- * weights multiply along a chain and add up where two paths reach the same today's unit, so the
--   weights of each old_code sum to 1 and restated totals equal the recorded ones;
-- * approximate: some step on the way was a part (a split), so the unit's dossiers are shared by an
--   assumed weight. A pair that gets weight 1 (every part came back together) is exact.
-- The depth cap only guards against a cycle, which the validator (reform/restructure.py) rejects.
create or replace table unit_restated as
with recursive chain(old_code, cur, weight, via_part, depth) as (
    select code, code, 1.0::double, false, 0
    from (select unit_code as code from units union select old_code from unit_mapping)
    union all
    select c.old_code, m.new_code, c.weight * m.weight, c.via_part or m.share_kind = 'part', c.depth + 1
    from chain c join unit_mapping m on m.old_code = c.cur
    where c.depth < 32
)
select old_code, cur as today_code, sum(weight) as weight,
       bool_or(via_part) and sum(weight) < 1 - 1e-9 as approximate
from chain c
where not exists (select 1 from unit_mapping m where m.old_code = c.cur)
group by old_code, cur
order by old_code, today_code;
