"""Tổng quan / Overview: the quarter on one screen — headline KPIs against the previous period, the
same period last year and the target; where the dossiers are (click a bar to go one level down);
trends by level and the channel mix."""
import streamlit as st

from present import brief, fmt
from reform import catalogue, compare
from ui import attention, cards, charts, drill, fetch, filters, forecast
from ui.labels import t

KPIS = catalogue.load().kpis
scope = filters.current()
p, lg = scope.p, scope.lang
st.title(t("page.overview"))
drill.breadcrumb(scope)
head, button = st.columns([0.75, 0.25], vertical_alignment="center")
head.caption(p.label(lg))
if not p.parts:     # the quarter on one page, made when asked for (present/brief.py)
    button.download_button(t("brief.button"), data=lambda: brief.pdf(fetch.brief(scope.period, lg, **scope.filters())),
                           file_name=f"tom-tat-{scope.period}" + (f"-{scope.unit}" if scope.unit else "") + ".pdf",
                           mime="application/pdf", icon=":material/summarize:", on_click="ignore", key="brief-pdf")

cur, prev, last_year = fetch.compared(p, **scope.filters())
if not any(cur[c] for c in ("F01", "F02", "F07", "F08", "F09", "F11i", "F11o")):
    st.info(t("empty.period", period=p.label(lg)), icon=":material/search_off:")
    st.stop()

CARDS = catalogue.load().headline
for row in (CARDS[:4], CARDS[4:]):
    cols = st.columns(4)
    for col, code in zip(cols, row):
        cards.card(col, code, cur, prev, last_year, p)
if cur.get("approx_share"):   # restated lens: how much rests on a split's weights
    st.caption(t("lens.approx_period", share=fmt.pct(cur["approx_share"], lg)))

# what needs attention: what is coming due, and what got significantly worse (ui/attention.py)
attention.show(scope)

# where the dossiers are: one level down from the current scope (level → unit → procedure)
left, right = st.columns(2)
with left:
    if scope.unit is None and scope.level is None:
        df = fetch.frame(fetch.kpis(scope.period, by="level", **scope.filters()))
        df = fetch.in_level_order(df)
        df["name"] = [t(f"level.{v}") for v in df["level"]]
        fig = charts.bars(df, x="name", y="F01", code="level", title=f"{t('chart.by_level')} · "
                          f"{KPIS['F01'].name(lg)}", colors=charts.LEVEL_COLORS,
                          color_key="level", y_title=t("axis.dossiers"))
        charts.show(fig, key=f"by-level-{scope.key()}", on_pick=lambda v: filters.set_filter("level", v))
    elif scope.unit is None or scope.procedure is None:
        by, key = ("unit", "unit_code") if scope.unit is None else ("procedure", "procedure_code")
        ranked = compare.pareto(fetch.kpis(scope.period, by=by, **scope.filters()), key, "F01", top=15)
        names = fetch.unit_names() if by == "unit" else fetch.procedure_names()
        ranked["name"] = [names.get(c, c)[:45] for c in ranked[key]]
        fig = charts.bars(ranked, x="name", y="F01", code=key, horizontal=True, height=460,
                          title=f"{t('chart.by_unit' if by == 'unit' else 'chart.by_procedure')} · "
                                f"{KPIS['F01'].name(lg)}")
        charts.show(fig, key=f"by-{by}-{scope.key()}",
                    on_pick=lambda v, by=by: filters.set_filter("unit" if by == "unit" else "proc", v))
    else:
        drill.open_list("F01")
    st.caption(t("drill.hint"))
with right:
    trend = fetch.trend(scope, by_level=False)
    fig = charts.stacked(trend, x="label", title=t("chart.channel_mix"), relative=True,
                         series={f"F04{c}": (t(f"channel.{n}"), charts.CHANNEL_COLORS[n])
                                 for c, n in (("d", 1), ("o", 2), ("p", 3))})
    charts.show(fig, key="channel-mix")

@st.fragment
def trend_by_level() -> None:
    """The trend by level with its KPI picker: a pick redraws this chart alone (the scope is unchanged,
    so nothing above it is asked again)."""
    by_level = fetch.trend(scope)
    kpi_code = st.segmented_control(t("chart.trend_level"), ("F05", "F10", "F01", "F11o"), default="F05",
                                    key="trend_kpi", format_func=lambda c: KPIS[c].name(lg),
                                    required=True)
    kpi = KPIS[kpi_code]
    fig = charts.lines(by_level, x="label", y=kpi_code, group="level", colors=charts.LEVEL_COLORS,
                       labels={lv: t(f"level.{lv}") for lv in charts.LEVEL_COLORS}, y_pct=kpi.format == "pct",
                       title=f"{kpi.name(lg)} · {t('chart.trend_level')}", target=kpi.target)
    charts.show(fig, key="trend-level")


trend_by_level()
if scope.lens == "restated":
    share = fetch.kpi_row(scope.trend, **scope.filters()).get("approx_share")
    st.caption(t("lens.approx_trend", share=fmt.pct(share, lg)) if share else t("lens.exact"))

# what comes next: the forecast with its back-tested error, behind a toggle (ui/forecast.py)
forecast.show(scope)
