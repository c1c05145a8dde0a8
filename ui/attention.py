"""Cần chú ý · What needs attention, before the Overview's charts (issue 16): what is coming due and
overdue today (ui/at_risk.py), and the indicators that got significantly worse in the scope's quarter
(reform/signals.py), one line each with a button that opens the records behind it; empty, and saying so,
when nothing moved outside its own control limits."""
from __future__ import annotations

import streamlit as st

from present import fmt
from present import signals as sentences
from reform import signals
from reform.safe import md
from ui import at_risk, drill, fetch, filters, twin
from ui.labels import t

RULES = signals.Rules.load()


def names(s: signals.Signal) -> dict[str, str]:
    return fetch.unit_names() if s.by == "peer" else fetch.procedure_names() if s.by == "procedure" else {}


def show(scope: filters.Scope) -> None:
    lg = scope.lang
    q = signals.quarter(scope.p)
    with st.container(border=True):
        st.markdown(f"**{t('attention.header', period=q.label(lg))}**")
        _risk_line(scope)
        if scope.procedure is not None or scope.channel is not None:
            st.caption(t("attention.no_filter"))
            return
        found = fetch.signals_of(q.code, lens=scope.lens, level=scope.level, unit=scope.unit, field=scope.field)
        worse = [s for s in found if s.worse]
        shown = worse[:RULES.top]
        twin.table("attention", [signals.as_row(s) for s in shown])
        if not shown:
            st.markdown(t("attention.none", period=q.label(lg)))
        for s in shown:
            text, button = st.columns([0.86, 0.14], vertical_alignment="center")
            text.markdown(":material/warning: " + md(sentences.sentence(s, sentences.group_name(s, names(s), lg), lg)))
            set_code, params = sentences.records(s)
            if set_code:    # a link, as a deep link opens it: the group's filters and quarter come from the URL
                button.page_link("pages/dossiers.py", label=t("attention.open"), icon=":material/list_alt:",
                                 query_params={**filters.global_params(), **params, "list": set_code})
        if len(found) > len(shown):
            better = sum(1 for s in found if s.worse is False)
            st.caption(t("attention.more", worse=fmt.number(len(worse) - len(shown), 0, lg),
                         better=fmt.number(better, 0, lg), code=q.code))
        st.caption(t("attention.rule_note", k=f"{RULES.sigma:g}", h=RULES.history, run=RULES.run, trend=RULES.trend))


def _risk_line(scope: filters.Scope) -> None:
    """What is coming due and overdue on the stock day of the current period (none for a past one)."""
    lg = scope.lang
    risk = at_risk.counts(scope, at_risk.DEFAULT)
    if risk is None:
        return
    total, day, n = at_risk.totals(risk), at_risk.today(), at_risk.DEFAULT
    twin.table("at-risk", [{"due_days": n, "day": day, **total}])
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(t("risk.line", due=fmt.number(total["due_soon"], 0, lg), d=n, day=fmt.date(day, lg),
                      overdue=fmt.number(total["overdue"], 0, lg), none=fmt.number(total["overdue_no_apology"], 0, lg))
                    if len(risk) else t("risk.line_none", d=n, day=fmt.date(day, lg)))
        if len(risk) and st.button(t("risk.open_page"), key="risk-open", icon=":material/event_upcoming:",
                                   type="tertiary"):
            drill.go_to("pages/dossiers.py")
