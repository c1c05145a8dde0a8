"""Tổng quan / Overview (placeholder until the dashboard issue): the latest quarter's headline KPIs."""
import streamlit as st

from reform import catalogue, periods
from ui import data, fmt

CARDS = ("F01", "F05", "F10", "F11o", "D06", "S01", "SCORE")

st.title("Tổng quan cải cách TTHC")
quarter = data.latest_quarter()
if quarter is None:
    st.info("Chưa có hồ sơ nào trong cơ sở dữ liệu. / The database holds no dossiers yet.")
    st.stop()
st.caption(f"Reform KPI overview · {periods.parse(quarter).label('vi')} · {periods.parse(quarter).label('en')}")
row = data.kpis(quarter)[0]
cat = catalogue.load()
for col, code in zip(st.columns(len(CARDS)), CARDS):
    col.metric(cat.kpis[code].name("vi"), fmt.value(row[code], cat.kpis[code]), help=cat.kpis[code].name("en"))
