"""The months with data, and the one rule for a period asked of them: it must hold at least one of those
months (a period that overlaps the data partly is allowed). The command line (kpi, report) refuses any
other period; the dashboard's period pickers offer exactly the periods that pass.

    bounds(con)            -> (first month, last month) as first days, or None for no dossiers
    check(period, bounds)  raises NoData("no data for 2030Q1: the data runs from 2019-01 to 2026-09")
    codes(grain, bounds)   -> every period code of a grain that passes, newest first
"""
from __future__ import annotations

import datetime as dt
import os

import duckdb

import queries
from reform import db, periods
from reform.periods import Period

Bounds = tuple[dt.date, dt.date]


class NoData(ValueError):
    """A period that holds no month with data."""


def bounds(con: duckdb.DuckDBPyConnection) -> Bounds | None:
    [row] = queries.rows(con, "period_bounds")
    if row["first_month"] is None:
        return None
    return row["first_month"], row["last_month"]


def holds_data(period: Period, b: Bounds | None) -> bool:
    return b is not None and period.start <= b[1] and period.last_month >= b[0]


def check(period: Period, b: Bounds | None) -> None:
    if holds_data(period, b):
        return
    where = ("the database holds no dossiers" if b is None
             else f"the data runs from {b[0]:%Y-%m} to {b[1]:%Y-%m}")
    raise NoData(f"no data for {period.code}: {where}")


def codes(grain: str, b: Bounds | None) -> list[str]:
    """The period codes of one grain (month, quarter, year) that hold data, newest first."""
    if b is None:
        return []
    first = b[0]
    p = {"month": periods.parse_first(first, "month"), "quarter": periods.quarter_of(first),
         "year": periods.parse_first(dt.date(first.year, 1, 1), "year")}[grain]
    out = []
    while holds_data(p, b):
        out.append(p.code)
        p = p.next()
    return out[::-1]


def problem(db_path: str | os.PathLike, period_text: str) -> str | None:
    """For a command that opens the database itself: the NoData message for this period, or None
    (also when the period does not parse or the file is missing: the command says so in its words)."""
    try:
        period = periods.parse(period_text)
    except ValueError:
        return None
    path = db.db_path(db_path)
    if not path.exists():
        return None
    con = db.connect_read_only(path)
    try:
        check(period, bounds(con))
    except NoData as e:
        return str(e)
    finally:
        con.close()
    return None
