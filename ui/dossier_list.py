"""The dossiers behind a count: one page at a time from the database (never all rows), sortable,
downloadable; which count, the sort and the page are kept in the URL (?list=F11o&sort=..&page=2)."""
from __future__ import annotations

import streamlit as st

from present import fmt
from reform import catalogue
from ui import at_risk, fetch, filters, state, tables, twin, url
from ui.labels import t

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
SORTS = ("received_desc", "received_asc", "due_asc", "overdue_desc")
KEYS = ("list", "sort", "page")
STOCK_SETS = ("F11i", "F11o", "F12", "DUE")  # counts taken at the period end (the stock day)


def show(scope: filters.Scope) -> None:
    kpis = catalogue.load().kpis
    lg = scope.lang
    nav = url.cleared(KEYS)
    sets = catalogue.load().record_sets
    url.adopt("list", url.one_of(sets), "F01", cleared_by_navigation=nav)
    url.adopt("sort", url.one_of(SORTS), "received_desc", cleared_by_navigation=nav)
    url.adopt("page", _page_number, 1, cleared_by_navigation=nav)
    a, b = st.columns([2, 1])
    set_code = a.selectbox(t("list.set"), sets, key="list", on_change=_first_page,
                           format_func=lambda c: f"{c} · {set_name(c, lg)}")
    sort = b.selectbox(t("list.sort"), SORTS, key="sort", on_change=_first_page,
                       format_func=lambda s: t(f"sort.{s}", lg))
    url.publish("list", set_code, None)  # always in the URL while shown: a link opens on the list
    url.publish("sort", sort, "received_desc")

    # the DUE set's horizon (due within N working days) is picked here and in ui/at_risk.py, one URL key
    due = at_risk.horizon() if set_code == "DUE" else at_risk.DEFAULT
    page = state.widget("page")
    rows = fetch.dossier_page(set_code, scope.p, scope.filters(), sort, PAGE_SIZE, (page - 1) * PAGE_SIZE, due)
    total = int(rows["total"].iloc[0]) if len(rows) else 0
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:  # a link to a page past the end: the last page
        st.warning(t("notice.param", key="page", value=str(page)), icon=":material/link_off:")
        page = pages
        state.set_widget("page", page)
        rows = fetch.dossier_page(set_code, scope.p, scope.filters(), sort, PAGE_SIZE, (page - 1) * PAGE_SIZE, due)
    st.markdown(f"**{set_name(set_code, lg)}** · {scope.p.label(lg)} · "
                f"{t('list.count', n=fmt.number(total, 0, lg))}")
    st.caption(kpis[set_code].definition(lg) if set_code in kpis else t(f"set.{set_code}_def"))
    weighted = float(rows["weighted_total"].iloc[0]) if len(rows) else 0.0
    twin.listed(set_code, total, weighted)
    if scope.lens == "restated" and total and abs(weighted - total) > 1e-6:
        st.caption(t("list.shared", n=fmt.number(total, 0, lg), w=fmt.number(weighted, 0, lg)))
    if total == 0:
        st.info(t("empty.list", period=scope.p.label(lg)), icon=":material/search_off:")
        url.publish("page", 1, 1)
        return
    if set_code in STOCK_SETS:   # the state these dossiers were in then, not today's
        st.caption(t("list.state_then", day=fmt.date(fetch.stock_day(scope.p))))
    shown = _labelled(rows.drop(columns=["total", "weighted_total"]), lg, set_code)
    tables.table(shown, f"ho-so-{set_code}-{scope.period}-trang-{page}", key="dossier-table")
    c1, c2, _ = st.columns([1, 2, 3], vertical_alignment="bottom")
    c1.number_input(t("list.page", pages=pages), min_value=1, max_value=pages, step=1, key="page")
    url.publish("page", state.widget("page"), 1)
    c2.download_button(t("list.download_all", n=fmt.number(min(total, EXPORT_LIMIT), 0, lg)),
                       data=lambda: tables.csv_bytes(_labelled(fetch.dossier_page(
                           set_code, scope.p, scope.filters(), sort, EXPORT_LIMIT, 0, due, cached=False)
                           .drop(columns=["total", "weighted_total"]), lg, set_code)),
                       file_name=f"ho-so-{set_code}-{scope.period}.csv", mime="text/csv", on_click="ignore",
                       icon=":material/download:", key="dossier-all-csv")


def set_name(code: str, lg: str) -> str:
    kpis = catalogue.load().kpis
    return kpis[code].name(lg) if code in kpis else t(f"set.{code}", lg)


def forget() -> None:
    """The list is not shown: its keys leave the URL (the session keeps them for the next visit)."""
    for key in KEYS:
        url.withdraw(key)


def _labelled(df, lg: str, set_code: str):
    """Codes made readable (status, channel, outcome names) and dates as dd/mm/yyyy; the state at the
    stock day only for the stock counts (open within time, overdue, paused)."""
    df = df.copy()
    if set_code in STOCK_SETS:   # what the count is about first: the state then, then how it ended
        raw_state = list(df["state_then"])
        df["state_then"] = [t(f"stock.{v}") if isinstance(v, str) else "" for v in df["state_then"]]
        df["days_overdue"] = ["" if v is None or v != v else fmt.number(v, 0, lg) for v in df["days_overdue"]]
        df["apology_issued"] = [t("apology.yes" if v else "apology.no") if s_ == "overdue" else ""
                                for v, s_ in zip(df["apology_issued"], raw_state)]
        first = ["dossier_code", "state_then", "days_overdue", "apology_issued", "outcome"]
        df = df[first + [c for c in df.columns if c not in first]]
    else:
        df = df.drop(columns=["state_then", "days_overdue", "apology_issued"])
    status = fetch.query("status_names")
    names = dict(zip(status["code"], status[f"name_{lg}"]))
    df["status_code"] = [names.get(c, c) for c in df["status_code"]]
    df["channel"] = [t(f"channel.{c}") for c in df["channel"]]
    df["outcome"] = [t(f"outcome.{o}") if isinstance(o, str) else "" for o in df["outcome"]]
    df["level"] = [t(f"level.{v}") for v in df["level"]]
    if df["share"].isna().all():    # as recorded: every dossier counts whole
        df = df.drop(columns=["share"])
    else:
        df["share"] = [fmt.pct(v, lg) for v in df["share"]]
    for c in ("received", "due", "finished", "returned"):
        df[c] = [fmt.date(v) if v is not None and str(v) not in ("NaT", "None") else "" for v in df[c]]
    return df


def _first_page() -> None:
    state.set_widget("page", 1)
    url.clear_notices()


def _page_number(text: str) -> int:
    n = int(text)
    if n < 1:
        raise ValueError(text)
    return n

