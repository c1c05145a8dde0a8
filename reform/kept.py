"""Answers kept: the rows of the two count queries (queries/kpi_counts.sql, queries/procedure_counts.sql)
for every quarter of the data, joined as reform.compute joins them, in the views that pages open most
(the whole province, each lens: with no filter, no grouping or by level, field or procedure; and each
level's ranking by peer unit, the Units page). They are written with the summaries (reform/db.finish) by
the queries themselves, so a page reads one statement's stored rows instead of planning the scope's SQL
twice, and a kept row is the same number as the live one (tests/test_kept.py compares every quarter).
Any other view, a unit account's reader and a period outside the data's quarters run the live queries.

The same for what is coming due (queries/at_risk.sql): its rows for the whole province with no
filter, each lens and each horizon the catalogue offers ([records] due_days), in kept_at_risk.

    build(con)                                          writes kept_counts and kept_at_risk
    refresh(con, quarters)                              writes them again for those quarters (an import)
    holds(con, period, by, bucket, lens, filters) -> whether kept_counts answers this call
    at_risk_query(con, lens, filters, due_days) -> "kept_at_risk" or "at_risk": the query to run
    at_risk(con, due_days, lens, **filters) -> that query's rows
"""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import itertools
import weakref

import duckdb

import queries
from reform import catalogue, periods
from reform.periods import Period

# (grouping, level filter): the views kept
VIEWS = ((None, None), ("level", None), ("field", None), ("procedure", None),
         ("peer", "province"), ("peer", "district"), ("peer", "commune"))
LENSES = ("recorded", "restated")
TABLES = ("kept_counts", "kept_at_risk")
PARALLEL = 2        # statements planned at once: refreshing 9 quarters at scale 1 took 1.6 s on one cursor, 1.3 on 2 or 3
# the quarters kept, per reader (a Reader reads one file version; its span never changes)
_spans: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def build(con: duckdb.DuckDBPyConnection) -> None:
    """Every quarter from the first to the last with data, each grouping and lens, as the live queries
    compute them with bucket=quarter (each bucket is computed as that quarter alone is)."""
    span = _data_quarters(con)
    con.execute("drop table if exists kept_counts")
    _write(con, *(span or (periods.parse("2000Q1").start, periods.parse("2000Q1").last_month)),
           create=True, empty=span is None)
    _build_at_risk(con)


def refresh(con: duckdb.DuckDBPyConnection, quarters: set) -> None:
    """kept_counts again for the given quarters (first days) and any quarter of the data it lacks, none
    outside the data's quarters; kept_at_risk whole (reform/refresh.py, after an import of dossiers)."""
    span = _data_quarters(con)
    if span is None:
        con.execute("delete from kept_counts")
    else:
        have = {q for (q,) in con.execute("select distinct b_start from kept_counts").fetchall()}
        q, want = span[0], set()
        while q <= span[1]:
            want.add(q)
            q = periods.parse_first(q, "quarter").next().start
        redo = sorted((set(quarters) & want) | (want - have))
        con.execute("delete from kept_counts where b_start not between ? and ?", list(span))
        if redo:    # one run from the first to the last (a statement costs more than a quarter)
            con.execute("delete from kept_counts where list_contains(?, b_start)", [redo])
            _write(con, redo[0], periods.parse_first(redo[-1], "quarter").last_month, create=False,
                   empty=False, only=redo)
    _build_at_risk(con)


def _data_quarters(con) -> tuple | None:
    """(first day of the first quarter, first day of the last quarter's last month) with data, or None."""
    first, last = con.execute("select min(month), max(month) from kpi_month_unit").fetchone()
    return (periods.quarter_of(first).start, periods.quarter_of(last).last_month) if first else None


def _write(con, p_start, p_last, create: bool, empty: bool, only: list | None = None) -> None:
    """kept_counts rows of the quarters from p_start to p_last (of those in `only`, if given). The
    statements after the first run on two cursors at once: planning one (most of its cost) is single
    threaded, and appends of separate transactions to one table do not conflict."""
    kpi, proc = (queries.sql(n).strip().rstrip(";") for n in ("kpi_counts", "procedure_counts"))
    statements = []
    for lens, (by, level) in itertools.product(LENSES, VIEWS):
        params = {"p_start": p_start, "p_last": p_last, "bucket": "quarter", "by": by, "lens": lens,
                  "level": level, "unit": None, "field": None, "procedure": None, "channel": None}
        where = "where false" if empty else ""
        if only is not None:
            where, params["only"] = "where list_contains($only, coalesce(k.b_start, c.b_start))", list(only)
        statements.append((f"""
            with k as ({kpi}), c as ({proc})
            select '{lens}' as lens, '{by or ''}' as by_key, '{level or ''}' as level_key,
                   coalesce(k.b_start, c.b_start) as b_start,
                   coalesce(k.grp, c.grp) as grp, k.b_start is not null as from_dossiers,
                   k.* exclude (b_start, grp), c.* exclude (b_start, grp)
            from k full outer join c on c.b_start = k.b_start and c.grp is not distinct from k.grp
            {where}
            order by b_start, grp nulls first""", params))
    if create:
        select, params = statements.pop(0)
        con.execute("create table kept_counts as " + select, params)

    def insert(statement):
        cur = con.cursor()
        try:
            cur.execute("insert into kept_counts " + statement[0], statement[1])
        finally:
            cur.close()
    with concurrent.futures.ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        list(pool.map(insert, statements))


def _build_at_risk(con: duckdb.DuckDBPyConnection) -> None:
    body = queries.sql("at_risk").strip().rstrip(";")
    con.execute("drop table if exists kept_at_risk")
    for i, (lens, n) in enumerate(itertools.product(LENSES, catalogue.load().due_days)):
        params = {"due_days": n, "lens": lens, "level": None, "unit": None, "field": None, "procedure": None,
                  "channel": None}
        select = f"select '{lens}' as lens, {int(n)} as horizon, * from ({body})"
        con.execute(("create table kept_at_risk as " if i == 0 else "insert into kept_at_risk ") + select, params)


def current_day(con, period: Period) -> dt.date | None:
    """The stock day of the data's current period (the last day of its last month) when period is that
    period, else None: what is coming due is about today, not a past period's end."""
    row = con.cursor().execute("select stock_day(?::date), (select last_day(last_month) from data_info)",
                               [period.end]).fetchone()
    return row[0] if row and row[0] is not None and row[0] == row[1] else None


def at_risk_query(con, lens: str | None, filters: dict, due_days: int) -> str:
    """kept_at_risk for the whole province with no filter, a horizon it holds and an unscoped reader;
    else the live at_risk."""
    if getattr(con, "account_unit", None) is None and not any(v is not None for v in filters.values()) \
            and (lens or "recorded") in LENSES and due_days in catalogue.load().due_days:
        return "kept_at_risk"
    return "at_risk"


def at_risk(con, due_days: int, lens: str | None = None, **filters):
    """What is coming due by unit (queries/at_risk.sql), from the kept rows where they answer."""
    return queries.run(con, at_risk_query(con, lens, filters, due_days), due_days=due_days, lens=lens, **filters)


def holds(con, period: Period, by: str | None, bucket: str | None, lens: str | None, filters: dict) -> bool:
    """Whether kept_counts answers this call: not for a view with a filter or another grouping, a
    reader limited to a unit (kept rows are the whole province's), a period that is not whole quarters
    (bucketed by quarter, or one quarter) or that reaches outside the data."""
    if getattr(con, "account_unit", None) is not None:
        return False
    if any(v is not None for k, v in filters.items() if k != "level"):
        return False
    if (by, filters.get("level")) not in VIEWS or (lens or "recorded") not in LENSES:
        return False
    if not (bucket == "quarter" or (bucket is None and period.kind == "quarter")):
        return False
    first, last = _span(con)
    return first is not None and first <= period.start and period.last_month <= last \
        and periods.quarter_of(period.start).start == period.start \
        and periods.quarter_of(period.last_month).last_month == period.last_month


def _span(con):
    try:
        return _spans[con]
    except (KeyError, TypeError):
        pass
    [b] = queries.rows(con, "period_bounds")
    span = (None, None) if b["first_month"] is None else \
        (periods.quarter_of(b["first_month"]).start, periods.quarter_of(b["last_month"]).last_month)
    try:
        _spans[con] = span
    except TypeError:   # not weak-referenceable (a plain connection): asked again next time
        pass
    return span
