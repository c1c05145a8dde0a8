"""Tổng quan / Overview (placeholder until the dashboard issue): the latest quarter's headline KPIs."""
import streamlit as st

from reform import catalogue
from ui import data, fmt

PERIOD = "2026Q3"
CARDS = ("F01", "F05", "F10", "F11o", "D06", "S01", "SCORE")

st.title("Tổng quan cải cách TTHC")
st.caption("Reform KPI overview · Quý III/2026 · dữ liệu mẫu / sample data")
row = data.kpis(PERIOD)[0]
cat = catalogue.load()
for col, code in zip(st.columns(len(CARDS)), CARDS):
    col.metric(cat.kpis[code].name("vi"), fmt.value(row[code], cat.kpis[code]))
