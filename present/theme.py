"""The dashboard's colours, each written once: levels, outcomes, stocks, channels, the accent and the
catalogue's bands (good = Đạt, fair = Gần đạt, poor = Chưa đạt; Kpi.band) as chart colours, table cell
shades and Streamlit badge colours. ui/charts.py, ui/styled.py, ui/cards.py and the documents' charts
(present/pdfchart.py, present/pack.py, present/brief.py) read them from here."""
from __future__ import annotations

LEVEL_COLORS = {"province": "#1f4e79", "district": "#3a8dbf", "commune": "#5b9e57", "unassigned": "#9e9e9e"}
OUTCOME_COLORS = {"early": "#2e7d32", "ontime": "#8cc68f", "late": "#c62828"}
STOCK_COLORS = {"within": "#90a4ae", "overdue": "#c62828"}
CHANNEL_COLORS = {1: "#78909c", 2: "#1565c0", 3: "#ef8f00"}
ACCENT = "#1f4e79"
BAND_COLORS = {"good": "#2e7d32", "fair": "#e0a100", "poor": "#c62828"}   # bars, lines
BAND_CELLS = {"good": "background-color: #e3f1e4", "fair": "background-color: #fdf1d6",
              "poor": "background-color: #f9dede"}                        # table cells (light shades)
BAND_BADGES = {"good": "green", "fair": "orange", "poor": "red"}          # st.markdown ":green-badge[...]"
MISSING_COLOR = "#9e9e9e"   # a bar or mark with no band
FLAT_COLOR = "#616161"      # a change with no better or worse (the brief's cards)
# the documents' drawn charts (present/pdfchart.py): text and target marks, axes, grid lines
INK_COLOR, AXIS_COLOR, GRID_COLOR = "#212121", "#5a5a5a", "#e1e1e1"
# the council pack's trend chart: on time or early, online share, online payment
TREND_COLORS = {"F10": "#2e7d32", "F05": "#1565c0", "D06": "#ef8f00"}
