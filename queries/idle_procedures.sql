-- name: idle_procedures
-- Procedures in force at the period end that received no dossier in the period: C01 minus C07's
-- numerator of procedure_counts for the same scope (both read scope_procedures and scoped_facts,
-- reform/sql/scope.sql), so they never exceed the procedures in force.
-- grain: one row per procedure.
-- params: $p_start, $p_last (first days of the first and last month), $p_end (last day), filters
--         $level, $unit, $field, $procedure (which procedures: scope_procedures); $unit, $level, $channel,
--         $lens also narrow which dossiers make a procedure active.
select p.procedure_code, p.name, p.field, p.level, p.online_level, p.legal_days
from scope_procedures($unit, $level, $field, $procedure) p
where in_force(p.valid_from, p.valid_to, $p_end::date)
  and not exists (
      select 1
      from scoped_facts($p_start, $p_last, $unit, $level, $field, $procedure, $channel, $lens, true) k
      where k.src = 'flow' and k.n_received > 0 and k.procedure_code = p.procedure_code)
order by p.level, p.field, p.procedure_code;
