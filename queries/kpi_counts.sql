-- name: kpi_counts
-- Dossier KPI counts (docs/kpi-rules.md) for one period or its months/quarters/years, by an optional key.
-- grain: one row per (bucket, grp); bucket = the period, or each month / quarter / year when $bucket
--        says so; grp = the level, unit, procedure or field when $by says so, else null.
-- params: $p_start, $p_last (first days of the first and last month), $bucket (null | month | quarter |
--         year), $by (null | level | unit | peer | procedure | field; peer = the ranking's unit: a unit
--         with the units under it at its level, reform/sql/scope.sql), filters $level, $unit (with its
--         descendants), $field, $procedure, $channel (null = all); $lens: null or 'recorded' = every
--         dossier under the unit that received it, 'restated' = under today's units (docs/restructuring.md:
--         a unit's counts shared among its successors by the weights of unit_restated, so a count may be
--         a fraction; F01_approx = the part of F01 that rests on a split's weights in this row, and
--         `approximate` = any count of the row does; the province total is exact and the same in both). As recorded and
--         without a unit filter, months before 1/7/2025 leave out the units of another province then
--         (units.former_province: old Bạc Liêu), which the merger brought in; restated, they count.
-- Flows come from kpi_month (months of the bucket), stocks from stock_month (one month end each), both
-- through scoped_facts (reform/sql/scope.sql), the one definition of the scope and the lens.
with buckets as (
    select * from period_buckets($p_start, $p_last, $bucket)
),
ends as (
    -- carried over = open at the end of the month before; open/overdue/paused on the bucket's stock day
    select b_start, b_last, (b_start - interval 1 month)::date as prev,
           date_trunc('month', stock_day(last_day(b_last)))::date as s_last
    from buckets
),
facts as not materialized (
    -- the rows of the scope (reform/sql/scope.sql): flows of the period's months, stocks from the month
    -- before it (carried over) to its end; restated, weighted rows of today's units
    select * replace (scope_approx(approx, $by, w, w_peer, w_level, w_scope) as approx)
    from scoped_facts(least($p_start - interval 1 month, (select last_month from data_info))::date,
                      $p_last, $unit, $level, $field, $procedure, $channel, $lens,
                      coalesce($by in ('procedure', 'field'), false))
    where src = 'stock' or month >= $p_start
),
monthly as (
    -- the filtered rows summed to one row per group, month and source before the buckets are formed
    select case $by when 'level' then view_level when 'unit' then view_code when 'peer' then peer_code
                    when 'procedure' then procedure_code when 'field' then field end as grp,
           src, month,
           sum(w * n_received) as n_received,
           sum(w * n_received) filter (where approx) as n_received_approx,
           sum(w * n_received) filter (where channel = 1) as n_direct,
           sum(w * n_received) filter (where channel = 2) as n_online,
           sum(w * n_received) filter (where channel = 3) as n_postal,
           sum(w * n_early) as n_early, sum(w * n_ontime) as n_ontime, sum(w * n_late) as n_late,
           sum(w * n_refused) as n_refused, sum(w * n_withdrawn) as n_withdrawn, sum(w * n_stopped) as n_stopped,
           sum(w * n_returned_post) as n_returned_post, sum(w * wd_sum) as wd_sum,
           sum(w * n_paper_finished) as n_paper_finished, sum(w * n_e_result) as n_e_result,
           sum(w * n_digitized) as n_digitized, sum(w * n_fee) as n_fee, sum(w * n_paid_online) as n_paid_online,
           sum(w * n_rated) as n_rated, sum(w * n_satisfied) as n_satisfied, sum(w * n_late_apology) as n_late_apology,
           sum(w * n_open_all) as n_open_all, sum(w * n_open) as n_open, sum(w * n_overdue) as n_overdue,
           sum(w * n_paused) as n_paused,
           -- any dossier of the row counted through a split (flow rows have no stock columns and the
           -- reverse: null, hence coalesce)
           coalesce(sum(coalesce(n_received, 0) + coalesce(n_early, 0) + coalesce(n_ontime, 0)
                        + coalesce(n_late, 0) + coalesce(n_refused, 0) + coalesce(n_withdrawn, 0)
                        + coalesce(n_stopped, 0) + coalesce(n_returned_post, 0) + coalesce(n_open_all, 0)
                        + coalesce(n_open, 0) + coalesce(n_paused, 0)) filter (where approx), 0) as n_approx
    from facts
    group by all
),
counts as (
    select e.b_start, f.grp,
           coalesce(sum(n_received) filter (where src = 'flow' and month >= b_start), 0) as F01,
           coalesce(sum(n_received_approx) filter (where src = 'flow' and month >= b_start), 0) as F01_approx,
           coalesce(sum(n_open_all) filter (where src = 'stock' and month = prev), 0) as F02,
           coalesce(sum(n_direct) filter (where src = 'flow' and month >= b_start), 0) as F04d,
           coalesce(sum(n_online) filter (where src = 'flow' and month >= b_start), 0) as F04o,
           coalesce(sum(n_postal) filter (where src = 'flow' and month >= b_start), 0) as F04p,
           coalesce(sum(n_early) filter (where src = 'flow' and month >= b_start), 0) as F07,
           coalesce(sum(n_ontime) filter (where src = 'flow' and month >= b_start), 0) as F08,
           coalesce(sum(n_late) filter (where src = 'flow' and month >= b_start), 0) as F09,
           coalesce(sum(n_open - n_overdue) filter (where src = 'stock' and month = s_last), 0) as F11i,
           coalesce(sum(n_overdue) filter (where src = 'stock' and month = s_last), 0) as F11o,
           coalesce(sum(n_paused) filter (where src = 'stock' and month = s_last), 0)
             + coalesce(sum(n_stopped) filter (where src = 'flow' and month >= b_start), 0) as F12,
           coalesce(sum(n_refused) filter (where src = 'flow' and month >= b_start), 0) as F13r,
           coalesce(sum(n_withdrawn) filter (where src = 'flow' and month >= b_start), 0) as F13w,
           coalesce(sum(n_returned_post) filter (where src = 'flow' and month >= b_start), 0) as F18,
           coalesce(sum(wd_sum) filter (where src = 'flow' and month >= b_start), 0) as wd_sum,
           coalesce(sum(n_paper_finished) filter (where src = 'flow' and month >= b_start), 0) as n_paper_finished,
           coalesce(sum(n_e_result) filter (where src = 'flow' and month >= b_start), 0) as n_e_result,
           coalesce(sum(n_digitized) filter (where src = 'flow' and month >= b_start), 0) as n_digitized,
           coalesce(sum(n_fee) filter (where src = 'flow' and month >= b_start), 0) as n_fee,
           coalesce(sum(n_paid_online) filter (where src = 'flow' and month >= b_start), 0) as n_paid_online,
           coalesce(sum(n_rated) filter (where src = 'flow' and month >= b_start), 0) as n_rated,
           coalesce(sum(n_satisfied) filter (where src = 'flow' and month >= b_start), 0) as n_satisfied,
           coalesce(sum(n_late_apology) filter (where src = 'flow' and month >= b_start), 0) as n_late_apology,
           coalesce(sum(n_approx) filter (where (src = 'flow' and month >= b_start)
                                            or (src = 'stock' and month in (prev, s_last))), 0) > 0 as approximate
    from ends e join monthly f on f.month between least(e.prev, e.s_last) and e.b_last
    group by all
)
select * from counts
-- groups with nothing to report in the bucket are left out
where F01 + F02 + F07 + F08 + F09 + F11i + F11o + F12 + F13r + F13w + F18 > 0
order by b_start, grp;
