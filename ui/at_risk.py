"""What is coming due (issue 16): on the stock day of the current period, the open dossiers that fall
due within N working days and those already overdue, by unit, each opening its records; N is in the URL
(?due=3). The Dossiers page shows the table, the Overview one line (attention)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from present import fmt
from reform import catalogue, periods
from ui import drill, fetch, filters, state, tables, url
from ui.labels import t

# the horizons offered (working days ahead) and the first one: the catalogue's [records] due_days
HORIZONS, DEFAULT = catalogue.load().due_days, catalogue.load().due_default


def horizon() -> int:
    """The N of "due within N working days": a picker whose value lives in the URL (due=)."""
    url.adopt("due", lambda v: url.one_of(tuple(map(str, HORIZONS)))(v) and int(v), DEFAULT)
    n = st.segmented_control(t("risk.horizon"), HORIZONS, key="due", required=True,
                             format_func=lambda d: t("risk.days", n=d))
    url.publish("due", n, DEFAULT)
    return n


def today() -> dt.date | None:
    """The stock day of the current period (the last day of the data's last month), None when empty."""
    b = fetch.bounds()
    return None if b is None else fetch.stock_day(periods.parse_first(b[1], "month"))


def is_current(scope: filters.Scope) -> bool:
    """Whether the scope's period is the current one (what is coming due is about today, not a past
    period's end)."""
    return fetch.current_day(scope.period) is not None


def counts(scope: filters.Scope, n: int) -> pd.DataFrame | None:
    """What is coming due by unit for the scope, None when its period is not the current one."""
    return fetch.at_risk(n, **scope.filters()) if is_current(scope) else None


def totals(df: pd.DataFrame) -> dict:
    """The scope's totals of a counts() frame: due soon, overdue, overdue with no apology letter."""
    return {c: float(df[c].sum()) for c in ("due_soon", "overdue", "overdue_no_apology")}


def show(scope: filters.Scope) -> None:
    """The Dossiers page's section: totals, the lists behind them, the units holding them."""
    lg = scope.lang
    st.subheader(t("risk.header"))
    day = today()
    if not is_current(scope):
        st.info(t("risk.current_only", day=fmt.date(day, lg)), icon=":material/event_upcoming:")
        return
    n = horizon()
    df = counts(scope, n)
    total = totals(df)
    due, overdue, no_apology = total["due_soon"], total["overdue"], total["overdue_no_apology"]
    st.caption(t("risk.as_of", day=fmt.date(day, lg)))
    if not len(df):
        st.info(t("risk.none", n=n), icon=":material/check_circle:")
        return
    with st.container(horizontal=True):
        drill.open_list("DUE", t("risk.open_due", n=fmt.number(due, 0, lg), d=n), key="risk-due")
        drill.open_list("F11o", t("risk.open_overdue", n=fmt.number(overdue, 0, lg),
                                  m=fmt.number(no_apology, 0, lg)), key="risk-overdue")
    shown = df[["unit_name", "unit_code", "due_soon", "overdue", "overdue_no_apology", "most_days_overdue"]].rename(
        columns={"unit_name": t("col.unit"), "unit_code": t("col.code"), "due_soon": t("risk.col.due", n=n),
                 "overdue": t("risk.col.overdue"), "overdue_no_apology": t("risk.col.no_apology"),
                 "most_days_overdue": t("risk.col.most_days")})

    def picked():   # a unit's row: the view narrows to it, and the buttons above open its records
        rows = state.selected_rows("risk-units")
        if rows:
            filters.set_filter("unit", shown.iloc[rows[0]][t("col.code")])

    numbers = [c for c in shown.columns if c not in (t("col.unit"), t("col.code"))]
    styler = shown.style.format({c: (lambda v: fmt.cell(v, None, lg)) for c in numbers})
    tables.table(shown, f"sap-den-han-{scope.period}", key="risk-units", on_select=picked, styler=styler,
                 data=df.drop(columns=["unit_name", "day"]), height=min(36 * (len(shown) + 1) + 3, 400))
    st.caption(t("risk.hint"))
