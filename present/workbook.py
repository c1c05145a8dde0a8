"""The council pack as an Excel workbook a secretary can print or work on: headers in the chosen language,
numbers stored as numbers with their display format (#,##0; 0.00%), sheet names with diacritics, column
widths, frozen headers, A4 printing fitted to the page width, native Excel charts, the score on the
summary sheet. The values are the review's own (reform.review.build), unrounded: the format rounds."""
from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from present import a4, fmt, review
from present.text import text
from present.theme import TREND_COLORS
from reform import catalogue as cat
from reform import periods, safe

SHEETS = {"summary": ("Tổng hợp", "Summary"), "computed": ("Chỉ số", "Indicators"),
          "reported": ("Chỉ số báo cáo", "Reported"), "trend": ("Xu hướng", "Trend")}
COUNT = "#,##0"
RATE = "0.00%"
POINTS = "0.00"
HEADER_FILL = PatternFill("solid", fgColor="E8ECF1")
FONT = "Calibri"        # openpyxl's default body font; named on bold cells too, so no program picks another
BOLD = Font(name=FONT, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT = Alignment(vertical="top", indent=1)     # text after a number column: apart from it
TOP = Alignment(vertical="top")
LINE_PT = 15            # a wrapped row's height per line
MAX_WIDTH = 60          # characters; longer text wraps


def number_format(kpi: cat.Kpi) -> str:
    """A KPI value's Excel format from the catalogue's [formats] (percent, whole numbers, decimals)."""
    f = cat.load().formats[kpi.format]
    if kpi.format == "pct":
        return "0." + "0" * f["decimals"] + "%" if f["decimals"] else "0%"
    return "#,##0" + ("." + "0" * f["decimals"] if f["decimals"] else "")


def sheet_name(key: str, lang: str) -> str:
    return SHEETS[key][0 if lang == "vi" else 1]


def pack(p: dict) -> bytes:
    lang = p["lang"]
    book = Workbook()
    _summary(book.active, p, lang)
    _computed(book.create_sheet(sheet_name("computed", lang)), p, lang)
    _reported(book.create_sheet(sheet_name("reported", lang)), p, lang)
    _trend(book.create_sheet(sheet_name("trend", lang)), p, lang)
    return save(book)


def save(book: Workbook) -> bytes:
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _summary(ws: Worksheet, p: dict, lang: str) -> None:
    ws.title = sheet_name("summary", lang)
    kpis = cat.load().kpis
    score = p["computed"].set_index("code").loc["SCORE"]
    sc = p["score"]
    lh = a4.letterhead(lang)
    ws.append([lh["body"].replace("\n", " ")])
    ws.append([text("pack.about", lang, period=p["period"].label(lang), scope=review.scope_words(p["scope"], lang))
               .replace("\n", " · ")])
    ws["A1"].font = BOLD
    ws["A2"].font = Font(name=FONT, bold=True, size=13)
    rows = [
        (text("pack.scope", lang), review.scope_words(p["scope"], lang), None),
        (text("pack.period", lang), p["period"].label(lang), None),
        (text("pack.data_to", lang), _date(p["data_to"]), "dd/mm/yyyy"),
        (text("pack.made", lang), dt.date.today(), "dd/mm/yyyy"),
        (text("pack.score", lang), _num(score["value"]), number_format(kpis["SCORE"])),
        (text("col.band", lang), score["band"] if isinstance(score["band"], str) else None, None),
        (text("score.earned", lang), sc["earned"], POINTS),
        (text("score.available", lang), sc["available"], "0"),
        (text("score.scale", lang), sc["scale"], "0"),
        (text("pack.how_score", lang), review.score_line(sc, lang), None),
        ("", text("estimate", lang), None),
    ]
    for label, value, form in rows:
        ws.append([safe.cell(label), safe.cell(value)])
        cell = ws.cell(ws.max_row, 2)
        ws.cell(ws.max_row, 1).font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if form:
            cell.number_format = form
    ws.column_dimensions["A"].width = max(len(str(label)) for label, _, _ in rows) + 4
    ws.column_dimensions["B"].width = 90
    for r in range(3, ws.max_row + 1):
        _fit_height(ws, r, {2: 90})
    print_setup(ws, landscape=False)


def _computed(ws: Worksheet, p: dict, lang: str) -> None:
    kpis = cat.load().kpis
    keys = ("code", "indicator", "definition", "numerator", "denominator", "value", "target", "points",
            "max_points", "band")
    c = p["computed"]
    rows = []
    for r in c.itertuples(index=False):
        k = kpis[r.code]
        rows.append(([r.code, r.name, r.definition, _num(r.numerator), _num(r.denominator), _num(r.value),
                      _num(r.target), _num(r.points), _num(r.max_points), r.band if isinstance(r.band, str) else None],
                     [None, None, None, COUNT, COUNT, number_format(k), number_format(k), POINTS, "0", None]))
    table(ws, [text(f"col.{k}", lang) for k in keys], rows, wrap={2})
    bars = [r for r in c.itertuples(index=False)
            if kpis[r.code].format == "pct" and pd.notna(r.value) and pd.notna(r.target)]
    if bars:   # the shares against their targets: their own small table under the review, and its chart
        at = ws.max_row + 3
        ws.row_breaks.append(Break(id=at - 2))   # printed on a page of their own, not cut by a page end
        for i, row in enumerate([(text("col.indicator", lang), text("col.value", lang), text("col.target", lang)),
                                 *((r.name, float(r.value), float(r.target)) for r in bars)]):
            for j, v in enumerate(row):
                cell = ws.cell(at + i, (2, 6, 7)[j], safe.cell(v))   # under Chỉ số, Giá trị, Mục tiêu
                if i == 0:
                    cell.font, cell.fill = BOLD, HEADER_FILL
                elif j:
                    cell.number_format = RATE
        chart = BarChart()
        chart.type = "bar"
        chart.title = text("pack.chart_targets", lang)
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
        chart.x_axis.scaling.orientation = "maxMin"     # the first indicator at the top, as in the table
        chart.legend.position = "b"
        for col in (6, 7):
            chart.add_data(Reference(ws, min_col=col, min_row=at, max_row=at + len(bars)), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=at + 1, max_row=at + len(bars)))
        chart.height, chart.width = 11, 24
        chart.x_axis.delete = chart.y_axis.delete = False
        ws.add_chart(chart, f"B{at + len(bars) + 2}")
    print_setup(ws, landscape=True)


def _reported(ws: Worksheet, p: dict, lang: str) -> None:
    rep = p["reported"]
    current = rep["current"].astype(bool).tolist() if "current" in rep else [True] * len(rep)
    header = [text(f"col.{k}", lang) for k in ("indicator", "period", "value", "source", "as_of")]
    rows = []
    kpis = cat.load().kpis
    for (_, r), cur in zip(rep.iterrows(), current):
        k = kpis.get(r["indicator_code"])
        rows.append(([r["name"], r["period_label"], _num(r["value"]), r["source"] if isinstance(r["source"], str) else None,
                      _date(r["as_of"]), text("pack.yes" if cur else "pack.no", lang)],
                     [None, None, number_format(k) if k else POINTS, None, "dd/mm/yyyy", None]))
    table(ws, [*header, text("pack.in_period", lang)], rows, wrap={3})
    print_setup(ws, landscape=True)


def _trend(ws: Worksheet, p: dict, lang: str) -> None:
    kpis = cat.load().kpis
    codes = list(TREND_COLORS)
    key = p["period"].kind
    rows = [([periods.parse(t[key]).label(lang), *(_num(t.get(c)) for c in codes)],
             [None, *(number_format(kpis[c]) for c in codes)]) for t in p["trend"]]
    table(ws, [text("pack.period", lang), *(kpis[c].name(lang) for c in codes)], rows, wrap=set())
    if rows:
        chart = LineChart()
        chart.title = text("pack.chart_trend", lang)
        chart.y_axis.number_format = "0%"
        chart.add_data(Reference(ws, min_col=2, max_col=1 + len(codes), min_row=1, max_row=1 + len(rows)),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + len(rows)))
        for s, colour in zip(chart.series, TREND_COLORS.values()):
            s.graphicalProperties.line.solidFill = colour.lstrip("#")
            s.graphicalProperties.line.width = 28000
            s.smooth = False        # straight between quarters: nothing is known in between
        known = [v for values, _ in rows for v in values[1:] if v is not None]
        if known:   # the lines' own range, in whole tens of percent
            chart.y_axis.scaling.min = max(0.0, math.floor(min(known) * 10) / 10)
            chart.y_axis.scaling.max = min(1.0, math.ceil(max(known) * 10) / 10)
        chart.legend.position = "b"
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.height, chart.width = 10, 26
        ws.add_chart(chart, f"A{len(rows) + 3}")
    print_setup(ws, landscape=True)


def table(ws: Worksheet, header: list[str], rows: list[tuple[list, list]], wrap: set[int]) -> None:
    """A header row (bold, shaded, frozen, printed on every page) and the rows with their formats; column
    widths from the longest shown text, capped (longer text wraps)."""
    ws.append([safe.cell(h) for h in header])
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, Alignment(wrap_text=True, vertical="top")
    widths = [len(h) + 2 for h in header]
    for values, forms in rows:
        ws.append([safe.cell(v) for v in values])
        for j, (v, form) in enumerate(zip(values, forms)):
            cell = ws.cell(ws.max_row, j + 1)
            if form:
                cell.number_format = form
            if j in wrap:
                cell.alignment = WRAP
            elif isinstance(v, str) and j and forms[j - 1]:
                cell.alignment = TEXT
            else:
                cell.alignment = TOP
            widths[j] = max(widths[j], _shown_len(v, form) + 3)
    widths = [min(w, MAX_WIDTH) for w in widths]
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = w
    for r in range(2, ws.max_row + 1):
        _fit_height(ws, r, {j + 1: widths[j] for j in wrap})
    ws.freeze_panes = "C2" if len(header) > 6 else "A2"
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = ws.dimensions if rows else None


def _fit_height(ws: Worksheet, row: int, widths: dict[int, float]) -> None:
    """A row as high as its longest wrapped cell needs (spreadsheets do not grow rows on opening)."""
    lines = max((-(-len(str(ws.cell(row, c).value or "")) // max(int(w * 1.1) - 2, 1)) for c, w in widths.items()),
                default=1)
    if lines > 1:
        ws.row_dimensions[row].height = LINE_PT * lines


def print_setup(ws: Worksheet, landscape: bool) -> None:
    """A4, fitted to the page's width (as many pages down as it takes)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5


def _shown_len(v, form) -> int:
    if v is None:
        return 0
    if isinstance(v, float | int) and form:
        return len(fmt.number(v * (100 if "%" in form else 1), 2)) + 2
    return len(str(v))


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


def _date(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return dt.date.fromisoformat(v[:10]) if isinstance(v, str) else pd.Timestamp(v).date()
