"""Dự báo · The forecast on the Overview (issue 16, item 4): next month's and the next three months'
dossiers received and the backlog at their end, for the scope's unit, its level, or the province and
each level, with the 80 % interval and the back-test's error beside them (reform/forecast.py). A measure
whose model did not beat the seasonal-naive baseline shows no forecast, and says why. Behind a toggle
(fc=1 in the URL): fitting takes seconds the first time a file is seen."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from present import fmt
from reform import forecast, periods
from reform.lookups import UNIT_LEVELS
from ui import fetch, filters, tables, url
from ui.labels import t


def show(scope: filters.Scope) -> None:
    lg = scope.lang
    url.adopt("fc", lambda v: {"1": True, "0": False, True: True, False: False}[v], False)
    on = st.toggle(t("forecast.toggle"), key="fc")
    url.publish("fc", on, False, to_code=lambda v: "1")
    if not on:
        return
    if scope.unit:
        targets = [(fetch.unit_names().get(scope.unit, scope.unit), {"unit": scope.unit})]
    elif scope.level:
        targets = [(t(f"level.{scope.level}"), {"level": scope.level})]
    else:
        targets = [(t("drill.province"), {})] + [(t(f"level.{lv}"), {"level": lv}) for lv in UNIT_LEVELS]
    rows = []
    with st.spinner(t("forecast.fitting")):
        for name, where in targets:
            f = fetch.forecast_of(scope.lens, **where)
            if f is not None:
                rows.append((name, f))
    if not rows:
        st.info(t("forecast.none"), icon=":material/query_stats:")
        return
    first = periods.parse_first(rows[0][1].last_month, "month").next()
    third = first.next().next()
    data = []
    for name, f in rows:
        for m in ("received", "backlog"):
            ms = getattr(f, m)
            o = ms.outlook if ms.shown else None
            data.append({t("forecast.col.scope"): name, t("forecast.col.measure"): t(f"forecast.{m}"),
                         t("forecast.col.month", month=first.label(lg)):
                             _range(o.month, o.month_low, o.month_high, lg) if o else "—",
                         t("forecast.col.quarter", first=first.label(lg), last=third.label(lg)):
                             _range(o.quarter, o.quarter_low, o.quarter_high, lg) if o else "—",
                         t("forecast.col.mape"): fmt.pct(ms.mape, lg, 1) if ms.checks else "—",
                         t("forecast.col.naive"): fmt.pct(ms.naive_mape, lg, 1) if ms.checks else "—",
                         t("forecast.col.coverage"): fmt.pct(ms.coverage, lg, 0) if ms.checks else "—"})
    tables.table(pd.DataFrame(data), name="forecast", key="forecast",
                 data=[{"scope": n, "measure": m, **_plain(getattr(f, m))} for n, f in rows for m in ("received", "backlog")])
    st.caption(t("forecast.note", n=len(rows[0][1].received.checks)))


def _range(v: float, low: float, high: float, lg: str) -> str:
    return f"{fmt.number(v, 0, lg)} ({fmt.number(low, 0, lg)}–{fmt.number(high, 0, lg)})"


def _plain(ms: forecast.Measure) -> dict:
    o = ms.outlook if ms.shown else None
    return {"shown": ms.shown, "month": o and o.month, "month_low": o and o.month_low, "month_high": o and o.month_high,
            "quarter": o and o.quarter, "quarter_low": o and o.quarter_low, "quarter_high": o and o.quarter_high,
            "mape": ms.mape if ms.checks else None, "naive_mape": ms.naive_mape if ms.checks else None,
            "coverage": ms.coverage if ms.checks else None}
