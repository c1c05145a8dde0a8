-- name: idle_procedures
-- Procedures in force at the period end that received no dossier in the period (C01 minus C07's
-- numerator), for the same filters as catalogue_counts.
-- grain: one row per procedure.
-- params: $p_start, $p_last (first days of the first and last month), $p_end (last day), filters
--         $level, $field, $procedure; $unit and $channel narrow which dossiers count.
select p.procedure_code, p.name, p.field, p.level, p.online_level, p.legal_days
from procedures p
where p.valid_from <= $p_end::date and (p.valid_to is null or p.valid_to >= $p_end::date)
  and ($level is null or p.level = $level)
  and ($field is null or p.field = $field)
  and ($procedure is null or p.procedure_code = $procedure)
  and not exists (
      select 1 from kpi_month k
      where k.procedure_code = p.procedure_code and k.month between $p_start and $p_last and k.n_received > 0
        and ($unit is null or k.unit_code in (select unit_code from unit_tree where ancestor_code = $unit))
        and ($channel is null or k.channel = $channel))
order by p.level, p.field, p.procedure_code;
