"""Đơn vị / Units: peer-group rankings (departments, districts, communes) on the local 766 estimate or
any KPI, with rank, change of rank, the value's change against the previous period and the same period
last year (ordered by rank or by either change) and coloured cells; a row click opens that unit: its
KPIs, its child units and its procedures."""
import pandas as pd
import streamlit as st

from present import fmt
from reform import catalogue, compare
from ui import appraisal, before_after, cards, drill, fetch, filters, state, styled, tables, url
from ui.labels import t

KPIS = catalogue.load().kpis
RANK_KPIS = ("SCORE", "F10", "F05", "F14", "D06", "S01", "F11o", "F09", "F01", "F15")
SHOWN = ("F01", "F05", "F10", "F11o", "F14", "SCORE")
scope = filters.current()
# today's structure has no district level (restated lens)
PEERS = ("province", "commune") if scope.lens == "restated" else ("province", "district", "commune")
p, lg = scope.p, scope.lang
st.title(t("page.units"))
drill.breadcrumb(scope)
st.caption(p.label(lg))

# by rank (best or worst first), or by the change of the value against the previous period or the same
# period last year (most improved or most worsened first: the biggest movers of the peer group)
ORDERS = ("best", "worst", "improved_prev", "worsened_prev", "improved_year", "worsened_year")
nav = url.cleared(("kpi", "peer", "order"))
url.adopt("kpi", url.one_of(RANK_KPIS), "SCORE", cleared_by_navigation=nav)
url.adopt("order", url.one_of(ORDERS), "best", cleared_by_navigation=nav)
default_peer = scope.level if scope.level in PEERS else "commune"
url.adopt("peer", url.one_of(PEERS), default_peer, cleared_by_navigation=nav)
a, c, b = st.columns([3, 2, 3])
code = a.selectbox(t("units.rank_on"), RANK_KPIS, key="kpi", format_func=lambda c: KPIS[c].name(lg))
url.publish("kpi", code, "SCORE")
order = c.selectbox(t("units.order"), ORDERS, key="order", format_func=lambda o: t(f"order.{o}", lg))
url.publish("order", order, "best")


def ranking_table(rows, previous, last_year, key_name: str, table_key: str, on_pick) -> None:
    """Rank, rank change, the value's change against the previous period and the same period last year,
    name and the KPIs, in the order chosen; a row click calls on_pick(code): the scope of that row."""
    kpi = KPIS[code]
    ranked = compare.ranking(rows, key_name, kpi, worst_first=order == "worst")
    if ranked.empty:
        st.info(t("empty.period", period=p.label(lg)), icon=":material/search_off:")
        return
    ranked.insert(1, "rank_change", compare.rank_change(ranked, compare.ranking(previous, key_name, kpi), key_name))
    ranked.insert(2, "change_prev", compare.value_change(ranked, previous, key_name, kpi))
    ranked.insert(3, "change_year", compare.value_change(ranked, last_year, key_name, kpi))
    if order not in ("best", "worst"):
        ranked = compare.by_change(ranked, "change_" + order.split("_")[1], kpi, order.startswith("improved"))
    names = fetch.unit_names() if key_name == "unit_code" else fetch.procedure_names()
    ranked.insert(4, "name", [names.get(c, c) for c in ranked[key_name]])
    cols = ["rank", "rank_change", "change_prev", "change_year", "name", key_name, *dict.fromkeys((code, *SHOWN))]
    change_cols = {"change_prev": t("col.change_prev", period=p.previous().label(lg)),
                   "change_year": t("col.change_year", period=p.same_last_year().label(lg))}
    shown = ranked[cols].rename(columns={"rank": t("col.rank"), "rank_change": t("col.rank_change"), **change_cols,
                                         "name": t("col.unit" if key_name == "unit_code" else "col.procedure"),
                                         key_name: t("col.code")})
    kpi_cols = [c for c in cols if c in KPIS]
    styler = styled.kpi_table(shown, kpi_cols, lg, color=[code], formats={
        t("col.rank_change"): lambda v: "" if pd.isna(v) else f"{int(v):+d}",
        **{name: (lambda v: fmt.delta(None if pd.isna(v) else v, kpi, lg) or "") for name in change_cols.values()}})

    def picked():
        rows_ = state.selected_rows(table_key)
        if rows_:
            on_pick(shown.iloc[rows_[0]][t("col.code")])

    tables.table(shown, f"xep-hang-{code}-{scope.period}", key=table_key, styler=styler,
                 data=ranked[cols].drop(columns=["name"]),
                 column_config={c: st.column_config.Column(KPIS[c].name(lg)) for c in kpi_cols},
                 on_select=picked, height=min(36 * (len(shown) + 1) + 3, 600))


if scope.unit is None:
    peer = b.segmented_control(t("units.peer"), PEERS, default=default_peer, key="peer",
                               format_func=lambda v: t(f"peer.{v}", lg),
                               required=True)
    url.publish("peer", peer, default_peer)
    f = scope.filters(level=peer)

    def open_peer(unit: str) -> None:   # the row's own scope: the unit at the peer's level
        filters.set_filter("level", peer)
        filters.set_filter("unit", unit)

    # each row counts a unit with the units under it at the peer's level (compute: by="peer")
    st.caption(t(f"rank.counts.{peer}"))
    ranking_table(fetch.kpis(scope.period, by="peer", **f), fetch.kpis(p.previous().code, by="peer", **f),
                  fetch.kpis(p.same_last_year().code, by="peer", **f), "unit_code",
                  f"rank-{peer}-{code}-{scope.key()}", open_peer)
    st.caption(t("units.hint"))
else:
    cur, prev, last_year = fetch.compared(p, **scope.filters())
    for row in (SHOWN[:3], SHOWN[3:]):
        for col, c in zip(st.columns(3), row):
            cards.card(col, c, cur, prev, last_year, p)
    appraisal.published_metric(st.columns(3)[0], scope.unit, p.end.year)   # the council's published index
    children = [r for r in fetch.kpis(scope.period, by="unit", **scope.filters()) if r["unit_code"] != scope.unit]
    if children:
        st.subheader(t("units.children"))
        before, year = (fetch.kpis(q.code, by="unit", **scope.filters()) for q in (p.previous(), p.same_last_year()))
        ranking_table(children, [r for r in before if r["unit_code"] != scope.unit],
                      [r for r in year if r["unit_code"] != scope.unit], "unit_code",
                      f"children-{code}-{scope.key()}", lambda u: filters.set_filter("unit", u))
    before_after.show(scope)
    st.subheader(t("units.procedures"))
    ranking_table(fetch.kpis(scope.period, by="procedure", **scope.filters()),
                  fetch.kpis(p.previous().code, by="procedure", **scope.filters()),
                  fetch.kpis(p.same_last_year().code, by="procedure", **scope.filters()), "procedure_code",
                  f"procs-{code}-{scope.key()}", lambda c: filters.set_filter("proc", c))
