"""Dữ liệu / Data (for the data officer): how fresh the data is, row counts, data-quality flags, and an
upload that runs the same validator and importer as the command line, with the row-level report."""
import pandas as pd
import streamlit as st

from present import fmt
from reform import access as rules
from reform import limits
from ui import access, fetch, filters, state, tables, upload
from ui.labels import t

filters.current()  # None when the database is still empty: this page is how data gets in
lg = state.lang()
st.title(t("page.data"))
if not access.may_manage_data():    # not in a read-only scoped account's navigation; a guard all the same
    st.stop()
try:
    writer, why = access.write_right(), None
except (rules.UploadsOff, ValueError) as e:
    writer, why = None, e
if writer is not None and writer.by is None:   # REFORM_OPEN_UPLOADS=1: said on top while it is on
    st.warning(t("upload.open_banner"), icon=":material/lock_open:")

info = fetch.query("data_info")
history = fetch.query("import_history")
a, b, c = st.columns(3)
last = None if info.empty else info.at[0, "last_received"]
a.metric(t("data.last_dossier"), fmt.date(last))
b.metric(t("data.dossiers"), fmt.number(0 if info.empty else int(info.at[0, "dossiers"]), 0, lg))
c.metric(t("data.last_import"), fmt.MISSING if history.empty else
         f"{fmt.date(history.at[0, 'imported_at'])} {pd.Timestamp(history.at[0, 'imported_at']):%H:%M}")

left, right = st.columns([1, 2])
with left:
    st.subheader(t("data.tables"))
    counts = fetch.query("table_counts")
    tables.table(counts.rename(columns={"table_name": t("data.table"), "n_rows": t("data.rows")}),
                 "so-dong", key="table-counts", data=counts,
                 styler=counts.rename(columns={"table_name": t("data.table"), "n_rows": t("data.rows")}).style.format(
                     {t("data.rows"): lambda n: fmt.number(n, 0, lg)}))
with right:
    st.subheader(t("data.quality"))
    flags = fetch.query("quality_flags")
    if flags.empty:
        st.success(t("data.no_flags"), icon=":material/check_circle:")
    else:
        shown = flags.assign(flag=[t(f"flag.{f}") for f in flags["flag"]],
                             examples=[", ".join(x) for x in flags["examples"]])
        tables.table(shown.rename(columns={"flag": t("data.flag"), "dossiers": t("data.rows"),
                                           "examples": t("data.examples")}), "canh-bao-du-lieu", key="flags",
                     data=flags)

mapping = fetch.query("unit_mapping_list")
if not mapping.empty:
    st.subheader(t("data.mapping"))
    st.caption(t("data.mapping_help"))
    mapping = mapping.assign(share_kind=[t(f"ba.{k}") for k in mapping["share_kind"]],
                             weight=[fmt.pct(w, lg) for w in mapping["weight"]])
    tables.table(mapping, "sap-xep-don-vi", key="mapping", height=400)


def upload_form(writer: rules.WriteRight) -> None:
    st.caption(t("data.upload_help") + (" " + t("upload.scoped", unit=writer.scope) if writer.scope else ""))
    try:
        most, rows = limits.get("upload_files"), limits.get("rows")
    except limits.BadLimit as e:    # an operator's typo in a limit's variable: said here, no upload
        st.error(str(e))
        return
    st.caption(t("data.upload_limits", files=most, mb=fmt.number(st.get_option("server.maxUploadSize"), 0, lg),
                 rows=fmt.number(rows, 0, lg)))
    with st.form("upload", clear_on_submit=False):
        files = st.file_uploader(t("data.files"), type=["csv", "xlsx", "parquet"], accept_multiple_files=True)
        kind = st.selectbox(t("data.kind"), (None, "dossiers", "units", "procedures", "indicators", "mapping"),
                            format_func=lambda k: t("data.kind_auto", lg) if k is None else k)
        x, y = st.columns(2)
        check = x.form_submit_button(t("data.validate"), icon=":material/rule:")
        load = y.form_submit_button(t("data.import"), icon=":material/upload:", type="primary")
    if (check or load) and not files:
        st.warning(t("data.no_files"))
    elif (check or load) and len(files) > most:  # refused here; ui.upload refuses it as well
        st.error(t("data.too_many_files", n=len(files), most=most, env=limits.LIMITS["upload_files"].env))
    elif check or load:
        waiting = st.empty()

        def show_wait(line: str) -> None:   # another import holds the database: say whose, as plain text
            if line.startswith("waiting for "):
                with waiting.container():
                    st.warning(t("data.waiting"), icon=":material/hourglass_top:")
                    st.code(line, language=None)

        try:
            with st.spinner(t("data.running")):
                code, report = upload.run("import" if load else "validate", files, kind, on_line=show_wait)
        except rules.UploadsOff as e:   # the right was withdrawn after the form was drawn
            st.error(t(f"upload.off.{e.reason}"), icon=":material/lock:")
            return
        waiting.empty()
        (st.success if code == 0 else st.error)(t("data.ok" if code == 0 else "data.failed"))
        st.code(report or "—", language=None)
        if code == 0 and load:
            st.button(t("data.refresh"), icon=":material/refresh:")


st.subheader(t("data.upload"))
if writer is None:   # no form; upload.run would refuse on its own too
    st.info(t(f"upload.off.{why.reason}") if isinstance(why, rules.UploadsOff) else str(why), icon=":material/lock:")
else:
    upload_form(writer)
if not history.empty:
    st.subheader(t("data.history"))
    shown = history.rename(columns={c: t(f"data.h.{c}") for c in history.columns})
    rows = [t(f"data.h.{c}") for c in ("rows_in", "rows_new", "rows_updated", "rows_unchanged") if c in history]
    tables.table(shown, "lich-su-nhap", data=history, key="history", styler=shown.style.format(
        {c: lambda n: fmt.MISSING if pd.isna(n) else fmt.number(n, 0, lg) for c in rows}))
