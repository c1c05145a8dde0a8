"""Chỉ số / Indicators (for the evaluation council): every indicator of the chosen scope and period with
its definition, numerator, denominator, value, target, points and band; the reported indicators; a row
click opens the dossiers behind a value; the whole review downloads as Excel and as a printable PDF."""
import streamlit as st

from present import fmt
from present import pack as documents
from present import review as review_
from reform import catalogue
from reform.safe import md
from ui import appraisal, drill, fetch, filters, state, tables, twin
from ui.labels import t

KPIS = catalogue.load().kpis
scope = filters.current()
p, lg = scope.p, scope.lang
st.title(t("page.indicators"))
drill.breadcrumb(scope)
pack = fetch.pack(scope.period, lg, **{k: v for k, v in scope.filters().items() if v is not None})
score = pack["computed"].set_index("code").loc["SCORE"]
st.caption(f"{p.label(lg)} · {md(review_.scope_words(pack['scope'], lg))} · {t('ind.data_to', day=fmt.date(pack['data_to']))}")

twin.card("SCORE", None if score.isna()["value"] else score["value"], **pack["score"])
a, b = st.columns([1, 3], vertical_alignment="center")
a.metric(KPIS["SCORE"].name(lg), fmt.value(None if score.isna()["value"] else score["value"], KPIS["SCORE"], lg),
         help=t("estimate"))
appraisal.published_metric(a, pack["unit"], p.end.year)    # the council's published index, beside the estimate
with b:
    st.caption(review_.score_line(pack["score"], lg))
    st.caption(t("estimate"))
    row = st.container(horizontal=True, gap="small")
    stem = f"danh-gia-chi-so-{scope.period}" + (f"-{scope.unit}" if scope.unit else "")
    row.download_button(t("ind.xlsx"), data=lambda: documents.xlsx(pack), file_name=f"{stem}.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        icon=":material/table_view:", on_click="ignore", key="pack-xlsx")
    row.download_button(t("ind.pdf"), data=lambda: documents.pdf(pack), file_name=f"{stem}.pdf",
                        mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore", key="pack-pdf")

st.subheader(t("ind.computed"))
review = pack["computed"]
shown = review_.display(review, lg)
shown["records"] = [t("ind.open") if drill.records(c) else "" for c in review["code"]]
labels = {c: t(f"col.{k}") for c, k in (("code", "code"), ("name", "indicator"), ("definition", "definition"),
                                        ("numerator", "numerator"), ("denominator", "denominator"),
                                        ("value", "value"), ("target", "target"), ("points", "points"),
                                        ("band", "band"))}
labels["records"] = t("ind.records")
shown = shown.rename(columns=labels)


def picked():
    rows = state.selected_rows("review")
    if not rows:
        return
    code = review.iloc[rows[0]]["code"]
    if drill.records(code):
        state.set_goto("pages/dossiers.py", drill.records(code))
    elif code.startswith("C"):
        state.set_goto("pages/procedures.py", None)


tables.table(shown, stem, key="review", on_select=picked, height=36 * (len(shown) + 1) + 3,
             data=review.drop(columns=["name", "definition", "band"]),
             column_config={labels["points"]: st.column_config.Column(labels["points"], width=80),
                            labels["definition"]: st.column_config.Column(labels["definition"], width="medium")})
st.caption(t("ind.hint"))
if goto := state.take_goto():   # a row was picked: switch_page cannot run inside its callback
    page, set_code = goto
    drill.go_to_list(set_code) if set_code else drill.go_to(page)

st.subheader(t("ind.reported"))
current, others = review_.reported_display(pack["reported"], lg)
rep = pack["reported"]
is_current = rep["current"].astype(bool) if "current" in rep else None
names = {c: t(f"col.{'indicator' if c == 'name' else c}") for c in ("name", "period", "age", "value", "source", "as_of")}
if current.empty:
    st.info(t("ind.none_reported_period", period=p.label(lg)), icon=":material/info:")
else:
    tables.table(current.rename(columns=names), f"chi-so-bao-cao-{scope.period}", key="reported",
                 data=rep if is_current is None else rep[is_current])
if not others.empty:
    st.markdown(f"**{t('ind.reported_other', period=p.label(lg))}**")
    tables.table(others.rename(columns=names), f"chi-so-bao-cao-ky-khac-{scope.period}", key="reported-other",
                 data=rep[~is_current])
