"""Hồ sơ / Dossiers: outcomes (early / on time / late) by period, the backlog and its age, processing
time against the legal time, public-post intake and delivery, refusals and withdrawals, and the list of
dossiers behind any count."""
import streamlit as st

from reform import catalogue, compare
from ui import at_risk, charts, dossier_list, drill, fetch, filters, state
from ui.labels import t

KPIS = catalogue.load().kpis
scope = filters.current()
p, lg = scope.p, scope.lang
st.title(t("page.dossiers"))
drill.breadcrumb(scope)
st.caption(p.label(lg))

# two tabs, drawn only when open: the charts, and the list behind a count. A link or a "Dossiers ›"
# button that names a list (?list=F11o) opens on the list.
CHARTS, LIST = t("tab.charts"), t("list.header")
arriving = not state.has("dossier_tab")  # the tab widget is new on each visit to the page
if state.take_list_first() or (arriving and "list" in st.query_params):
    state.set_widget("dossier_tab", LIST)
charts_tab, list_tab = st.tabs([CHARTS, LIST], key="dossier_tab", on_change="rerun")
with list_tab:
    if list_tab.open:
        dossier_list.show(scope)
    else:
        dossier_list.forget()

with charts_tab:
    if charts_tab.open:
        at_risk.show(scope)   # what is coming due, first: the desk's question for today
        trend = fetch.trend(scope, by_level=False)
        if trend.empty:
            st.info(t("empty.period", period=p.label(lg)), icon=":material/search_off:")
        else:
            left, right = st.columns(2)
            with left:
                fig = charts.stacked(trend, x="label", title=t("chart.outcomes"), y_title=t("axis.dossiers"),
                                     series={c: (t(f"outcome.{o}"), charts.OUTCOME_COLORS[o])
                                             for c, o in (("F07", "early"), ("F08", "ontime"), ("F09", "late"))})
                charts.show(fig, key="outcomes")
            with right:
                fig = charts.stacked(trend, x="label", title=t("chart.backlog"), y_title=t("axis.dossiers"),
                                     series={"F11i": (t("stock.within"), charts.STOCK_COLORS["within"]),
                                             "F11o": (t("stock.overdue"), charts.STOCK_COLORS["overdue"])})
                charts.show(fig, key="backlog")

            left, right = st.columns(2)
            with left:
                age = fetch.query("backlog_age", p_end=p.end, **scope.filters())
                if age.empty:
                    st.info(t("empty.backlog", period=p.label(lg)), icon=":material/inbox:")
                else:
                    wide = age.pivot_table(index="bucket", columns="overdue", values="dossiers", fill_value=0)
                    wide = wide.reindex(columns=[False, True], fill_value=0).reset_index()
                    wide["label"] = [t(f"age.{b}") for b in wide["bucket"]]
                    fig = charts.stacked(wide.rename(columns={False: "within", True: "overdue"}), x="label",
                                         title=f"{t('chart.backlog_age')} · {p.label(lg)}", y_title=t("axis.dossiers"),
                                         series={"within": (t("stock.within"), charts.STOCK_COLORS["within"]),
                                                 "overdue": (t("stock.overdue"), charts.STOCK_COLORS["overdue"])})
                    charts.show(fig, key="backlog-age")
            with right:
                top = compare.top(fetch.kpis(scope.period, by="procedure", **scope.filters()), "procedure_code",
                                  ("F07", "F08", "F09"), n=12)
                if top.empty:
                    st.info(t("empty.period", period=p.label(lg)), icon=":material/search_off:")
                else:
                    top = top.merge(
                        fetch.procedures()[["procedure_code", "name", "legal_days"]], on="procedure_code", how="left")
                    top["label"] = [f"{c} · {n[:38]}" for c, n in zip(top["procedure_code"], top["name"].fillna(""))]
                    fig = charts.times(top, title=f"{t('chart.times')} · {p.label(lg)}")
                    charts.show(fig, key=f"times-{scope.key()}", on_pick=lambda v: filters.set_filter("proc", v))

            left, right = st.columns(2)
            with left:
                fig = charts.trend_lines(trend, x="label", series={"F04p": (KPIS["F04p"].name(lg), charts.CHANNEL_COLORS[3]),
                                                                   "F18": (KPIS["F18"].name(lg), charts.ACCENT)},
                                         title=t("chart.postal"), y_title=t("axis.dossiers"))
                charts.show(fig, key="postal")
            with right:
                fig = charts.trend_lines(trend, x="label", series={"F13r": (KPIS["F13r"].name(lg), "#c62828"),
                                                                   "F13w": (KPIS["F13w"].name(lg), "#8d6e63")},
                                         title=t("chart.refusals"), y_title=t("axis.dossiers"))
                charts.show(fig, key="refusals")
