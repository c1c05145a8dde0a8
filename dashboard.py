"""Entry point: streamlit run dashboard.py

Page config, the language switch, the database (built from the seeded sample on first run), the global
filters, then the page. Everything a page needs to know about the view is in filters.current()."""
import streamlit as st

from present import fmt
from reform.safe import md
from ui import access, database, entry, fetch, filters, twin, upload, url
from ui.labels import t

st.set_page_config(page_title="Chỉ số CCHC · Reform KPIs", page_icon=":material/monitoring:", layout="wide")
entry.started()
upload.clean_stale_once()  # uploaded copies left in the temp folder by a server that died mid-import
twin.begin()  # a JSON twin asked for (python -m reform view): this run records afresh
filters.language_switch()
access.gate()  # with sign-in configured, nothing below runs for a visitor who may not see the data
PAGES = [("overview", ":material/dashboard:"), ("dossiers", ":material/folder_open:"),
         ("units", ":material/apartment:"), ("procedures", ":material/gavel:"),
         ("indicators", ":material/fact_check:"), ("appraisal", ":material/rule:"), ("data", ":material/database:")]
pg = st.navigation([st.Page(f"pages/{name}.py", title=t(f"page.{name}"), icon=icon, url_path=name,
                            default=name == "overview") for name, icon in PAGES
                    if name != "data" or access.may_manage_data()])
database.ensure(stop_if_outdated=pg.url_path != "data")
if database.is_sample():    # on every page: these are not a province's real numbers
    st.sidebar.caption(t("db.sample"))
scope = filters.sidebar()
twin.scope(scope)
stale = fetch.stale_since()
if stale:  # on every page, where leadership reads the numbers
    st.sidebar.warning(t("data.stale", day=fmt.date(stale[0]), days=stale[1]), icon=":material/schedule:")
box = st.container()  # the link notices go here, after the page ran: pages register their own keys
try:
    if scope is None and pg.url_path != "data":
        st.info(t("empty.db"))
        st.stop()
    with entry.running_page():
        pg.run()
    url.drop_unknown(filters.GLOBAL_KEYS)  # a key neither global nor the page's own
finally:
    for message in url.notices():
        box.warning(md(message), icon=":material/link_off:")  # it quotes the link's values
        twin.notice(message)
