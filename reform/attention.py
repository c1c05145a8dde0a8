"""What needs attention in a scope's quarter, as data: what is coming due and overdue today (the data's
current period only) and every signal of reform/signals.py, worse first, with the names of the groups
they are about. `python -m reform attention` and the brief (reform/brief.py) read it; the Overview's
panel (ui/attention.py) asks the same two questions through the dashboard's caches."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import queries
from reform import data_range, kept, signals
from reform.periods import Period


@dataclass(frozen=True)
class Attention:
    quarter: Period
    day: dt.date | None         # the current period's stock day, None for a past period
    risk: dict | None           # due_days, due_soon, overdue, overdue_no_apology (None for a past period)
    signals: list[signals.Signal]
    names: dict[str, dict[str, str]]   # by ("peer", "procedure", "field") -> key -> name


def gather(con, period: Period, due_days: int, lens: str | None = None, level: str | None = None,
           unit: str | None = None, field: str | None = None) -> Attention:
    q = signals.quarter(period)
    filters = dict(level=level, unit=unit, field=field)
    found = signals.find(con, q, first_month=data_range.bounds(con)[0], lens=lens, **filters)
    day = kept.current_day(con, q)
    risk = None
    if day is not None:
        rows = kept.at_risk(con, due_days, lens=lens, **filters)
        risk = {"due_days": due_days, **{c: int(rows[c].sum()) for c in ("due_soon", "overdue", "overdue_no_apology")}}
    names = {"peer": queries.names(con, "unit_names", "unit_code"),
             "procedure": queries.names(con, "procedure_list", "procedure_code"), "field": {}}
    return Attention(q, day, risk, found, names)
