"""Thủ tục / Procedures: the procedure KPIs (C01–C07) by level and field, online-service coverage,
procedures by volume and by late count (Pareto; a click drills into one), procedures with no dossiers."""
import streamlit as st

from reform import catalogue, compare
from ui import charts, drill, fetch, filters, state, styled, tables
from ui.labels import t

KPIS = catalogue.load().kpis
C_KPIS = ["C01", "C02", "C02p", "C03", "C04", "C05", "C07"]
scope = filters.current()
p, lg = scope.p, scope.lang
st.title(t("page.procedures"))
drill.breadcrumb(scope)
st.caption(p.label(lg))
config = {c: st.column_config.Column(KPIS[c].name(lg)) for c in KPIS}

by_level = fetch.frame(fetch.kpis(scope.period, by="level", **scope.filters()))
if not by_level.empty:
    by_level = by_level[by_level["C01"].notna() & (by_level["C01"] > 0)]
    by_level = fetch.in_level_order(by_level)
st.subheader(t("proc.by_level"))
left, right = st.columns([3, 2], vertical_alignment="top")
with left:
    if by_level.empty:
        st.info(t("empty.catalogue", period=p.label(lg)), icon=":material/search_off:")
    else:
        shown = by_level[["level", *C_KPIS]].assign(level=[t(f"level.{v}") for v in by_level["level"]])
        named = shown.rename(columns={"level": t("col.level")})
        tables.table(named, f"tthc-theo-cap-{scope.period}", key="c-by-level", data=by_level[["level", *C_KPIS]],
                     styler=styled.kpi_table(named, C_KPIS, lg, color=C_KPIS), column_config=config)
with right:
    if not by_level.empty:
        cov = by_level.assign(name=[t(f"level.{v}") for v in by_level["level"]])
        fig = charts.grouped(cov, x="name", series={"C04": (KPIS["C04"].name(lg), "#3a8dbf"),
                                                    "C05": (KPIS["C05"].name(lg), "#1f4e79")},
                             title=t("chart.coverage"), y_pct=True)
        charts.show(fig, key="coverage")

st.subheader(t("proc.by_field"))
by_field = fetch.frame(fetch.kpis(scope.period, by="field", **scope.filters()))
if by_field.empty:
    st.info(t("empty.catalogue", period=p.label(lg)), icon=":material/search_off:")
else:
    shown = by_field[["field", "F01", "F10", *C_KPIS]].sort_values("F01", ascending=False)
    shown = shown.rename(columns={"field": t("col.field")})

    def field_picked():
        rows = state.selected_rows("c-by-field")
        if rows:
            filters.set_filter("field", shown.iloc[rows[0]][t("col.field")])

    tables.table(shown, f"tthc-theo-linh-vuc-{scope.period}", key="c-by-field", on_select=field_picked,
                 data=by_field[["field", "F01", "F10", *C_KPIS]],
                 styler=styled.kpi_table(shown, ["F01", "F10", *C_KPIS], lg, color=["F10", "C04", "C05"]),
                 column_config=config, height=400)

procs = fetch.kpis(scope.period, by="procedure", **scope.filters())
names = fetch.procedure_names()
left, right = st.columns(2)
for col, code, title in ((left, "F01", "chart.pareto_volume"), (right, "F09", "chart.pareto_late")):
    with col:
        top = compare.pareto(procs, "procedure_code", code, top=15)
        if top.empty:
            st.info(t("empty.period", period=p.label(lg)), icon=":material/search_off:")
            continue
        top["name"] = [names.get(c, "") for c in top["procedure_code"]]
        fig = charts.pareto(top, x="procedure_code", y=code, code="procedure_code", title=f"{t(title)} · {p.label(lg)}",
                            bar_color=charts.OUTCOME_COLORS["late"] if code == "F09" else charts.ACCENT)
        charts.show(fig, key=f"pareto-{code}-{scope.key()}", on_pick=lambda v: filters.set_filter("proc", v))
st.caption(t("drill.hint"))

st.subheader(t("proc.idle"))
idle = fetch.idle_procedures(procs)
st.caption(t("proc.idle_note", n=len(idle), period=p.label(lg)))
if len(idle):
    tables.table(idle, f"tthc-khong-phat-sinh-{scope.period}", key="idle", height=360)
