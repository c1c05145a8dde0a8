"""Entry point: streamlit run dashboard.py

Page config, the database (built from the seeded sample on first run), then the pages.
The six pages, global filters and language switch come with the dashboard issue; this is the
overview placeholder that shows the data foundation is in place."""
import streamlit as st

from ui import data

st.set_page_config(page_title="Chỉ số CCHC · Reform KPIs", page_icon=":material/monitoring:", layout="wide")
pg = st.navigation([st.Page("pages/overview.py", title="Tổng quan / Overview", icon=":material/dashboard:",
                            default=True)])
data.ensure_database()
pg.run()
