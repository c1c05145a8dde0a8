"""An import of dossiers alone, added to the summaries by difference instead of rebuilding them.

A full build (reform.db.finish) sorts every dossier and rebuilds every summary: its cost grows with the
database. When a batch holds only dossiers (and reported indicators, which no summary reads), the import
works on a byte copy of the live file (reform.db.rebuild with amend) and changes only what its rows
change, through the same macros the full build runs (reform/sql/summaries.sql):

- the rows it replaced (`_before_dossiers`, written by the importer before its delete) and the rows it
  brought (`_after_dossiers`), a row the same in both dropped: their facts (reform/sql/facts.sql);
- kpi_month and stock_month: the brought rows' counts minus the replaced rows' counts, added to the rows
  of the same keys; a row whose counts all come to zero is gone, as a full build would not write it;
  the unit tables the same, from those differences;
- the months past the data's previous last month (the stock at their ends counts every dossier open
  then, not only the batch's) and the dossiers open now (open_now) when the last month moved: from the
  dossiers unfinished at the previous last month's end, a few of all;
- data_info from the dossiers; kept_counts for the quarters those months reach (a stock month's
  quarter, the next one, whose carried-over count reads it, and every quarter whose stock day moved);
  kept_at_risk whole (it reads open_now).

A batch that leaves the data's last month earlier than it was returns None: the caller builds whole.
tests/test_refresh.py compares every table with a full build of the same dossiers.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import duckdb

from reform import periods

# the batch kinds added by difference; any other (units, procedures, holidays, mapping) rebuilds whole
KINDS = frozenset({"dossiers", "indicators"})
KPI_KEYS = ("month", "unit_code", "level", "procedure_code", "field", "channel")
UNIT_KEYS = ("month", "unit_code", "level", "channel")


def possible(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the importer wrote (table _written) only kinds this module adds by difference."""
    if not _exists(con, "_written"):
        return False
    written = {k for (k,) in con.execute("select kind from _written").fetchall()}
    return written <= KINDS


def apply(con: duckdb.DuckDBPyConnection, facts: Callable[[str], str]) -> set | None:
    """Bring the month summaries, data_info and open_now up to the batch's dossiers. Returns the quarters
    (first days) whose kept rows are to be written again (kept.refresh, after the caller has run
    reform/sql/scope.sql for fact_units), or None when only a full build can (nothing changed yet that
    it would not redo). facts(table) is the SQL of a table's dossier facts (reform.db.facts_sql)."""
    if not _exists(con, "_before_dossiers"):
        return set()    # reported indicators alone: no summary reads them
    con.execute("create or replace temp table _gone as from _before_dossiers except all from _after_dossiers")
    con.execute("create or replace temp table _came as from _after_dossiers except all from _before_dossiers")
    if not con.execute("select (select count(*) from _gone) + (select count(*) from _came)").fetchone()[0]:
        return set()    # every row as it was
    old_last = con.execute("select last_month from data_info").fetchone()[0]
    [(new_last,)] = con.execute("select date_trunc('month', max(received_at))::date from dossiers").fetchall()
    if old_last is None or new_last is None or new_last < old_last:
        return None
    con.execute("create or replace table data_info as from data_info_now()")
    for name in ("gone", "came"):
        con.execute(f"create or replace temp table _f_{name} as "
                    f"select * exclude (received_at) from ({facts(f'_{name}')})")
    [(first,)] = con.execute("select date_trunc('month', min(rd))::date from "
                             "(select rd from _f_gone union all select rd from _f_came)").fetchall()

    # flows: what the batch brought minus what it replaced
    _difference(con, "_dk", "kpi_month_of('_f_came')", "kpi_month_of('_f_gone')", KPI_KEYS)
    # stocks: the same over the months the data had; past them, every dossier still open then
    con.execute("create or replace temp table _ds as select * from stock_month where false")
    if first <= old_last:
        _difference(con, "_ds", f"stock_month_of('_f_came', '{first}', '{old_last}')",
                    f"stock_month_of('_f_gone', '{first}', '{old_last}')", KPI_KEYS)
    if new_last > old_last:
        after = _next_month(old_last)
        con.execute("create or replace temp table _tail as from dossiers "
                    "where finished_at is null or finished_at >= ?", [after])
        con.execute(f"create or replace temp table _f_tail as select * exclude (received_at) from ({facts('_tail')})")
        con.execute(f"insert into _ds by name from stock_month_of('_f_tail', '{after}', '{new_last}')")
    for table, delta, unit_table, unit_macro in (("kpi_month", "_dk", "kpi_month_unit", "kpi_month_unit_of"),
                                                 ("stock_month", "_ds", "stock_month_unit", "stock_month_unit_of")):
        con.execute(f"create or replace temp table {delta}u as from {unit_macro}('{delta}')")
        _merge(con, table, delta, KPI_KEYS)
        _merge(con, unit_table, f"{delta}u", UNIT_KEYS)

    # open now: the batch's codes out and its open rows in, or all again on a new stock day
    day = periods.parse_first(new_last, "month").end
    if new_last == old_last:
        con.execute("delete from open_now where dossier_code in "
                    "(select dossier_code from _gone union select dossier_code from _came)")
        con.execute(f"insert into open_now by name from open_now_of('_f_came', '{day}')")
    else:
        con.execute(f"create or replace table open_now as from open_now_of('_f_tail', '{day}') "
                    f"order by od, dossier_code")

    months = {m for (m,) in con.execute("select distinct month from _dk").fetchall()}
    stock_months = {m for (m,) in con.execute("select distinct month from _ds").fetchall()}
    quarters = {periods.quarter_of(m).start for m in months | stock_months}
    quarters |= {periods.quarter_of(_next_month(m)).start for m in stock_months}
    m = old_last
    while m <= new_last:    # the quarters whose stock day (the data's last month) moved
        quarters.add(periods.quarter_of(m).start)
        m = _next_month(m)
    return quarters


def _difference(con, name: str, came: str, gone: str, keys: tuple[str, ...]) -> None:
    """name := per key, the counts of `came` minus those of `gone` (two table macro calls)."""
    k = ", ".join(keys)
    con.execute(f"create or replace temp table {name} as "
                f"select {k}, sum(columns(* exclude ({k}))) from ("
                f"from {came} union all by name select {k}, -columns(* exclude ({k})) from {gone}) group by all")


def _merge(con, table: str, delta: str, keys: tuple[str, ...]) -> None:
    """Add the rows of delta to those of table with the same key (a null key equals a null); a row whose
    counts all come to zero is removed."""
    k = ", ".join(keys)
    match = " and ".join(f"t.{c} is not distinct from d.{c}" for c in keys)
    counts = [c for (c,) in con.execute("select column_name from duckdb_columns() where table_name = ? "
                                        "and database_name = current_database() and schema_name = 'main' "
                                        "order by column_index", [table]).fetchall() if c not in keys]
    con.execute(f"create or replace temp table _sum as select {k}, sum(columns(* exclude ({k}))) from ("
                f"select t.* from {table} t where exists (select 1 from {delta} d where {match}) "
                f"union all by name from {delta}) group by all")
    con.execute(f"delete from {table} t where exists (select 1 from {delta} d where {match})")
    alive = " or ".join(f'"{c}" <> 0' for c in counts)
    con.execute(f"insert into {table} by name from _sum where {alive}")


def _exists(con, name: str) -> bool:
    return bool(con.execute("select count(*) from duckdb_tables() where table_name = ? and temporary",
                            [name]).fetchone()[0])


def _next_month(first: dt.date) -> dt.date:
    return periods.parse_first(first, "month").next().start
