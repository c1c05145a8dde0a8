"""The council pack as documents: the indicator review of one period and scope (reform.review.build) as
an Excel workbook or a printable PDF (with its charts as images, drawn by kaleido through Debian's
chromium). Used by the Indicators page and by `python -m reform report`."""
from __future__ import annotations

import datetime as dt
import io
import pathlib

import pandas as pd
import plotly.graph_objects as go

from present import fmt, review
from present.text import text
from present.theme import BAND_COLORS
from reform import catalogue as cat
from reform import periods, safe

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
REVIEW_COLS = ("code", "indicator", "numerator", "denominator", "value", "target", "points", "band")
REPORTED_COLS = ("indicator", "period", "value", "source")
NUMBERS = {"numerator", "denominator", "value", "target", "points"}  # PDF columns of formatted numbers


def _t(key: str, lang: str) -> str:
    """The pack's words (present/text.toml, keys pack.*)."""
    return text(f"pack.{key}", lang)


def _cols(names, lang: str) -> list[str]:
    return [text(f"col.{n}", lang) for n in names]


def scope_words(pack: dict) -> str:
    """What the pack is about, in words: the unit and filters, or the whole province."""
    return pack["scope"] or _t("province", pack["lang"])


def xlsx(pack: dict) -> bytes:
    lang, sc = pack["lang"], pack["score"]
    head = pd.DataFrame({"": [_t("title", lang), _t("scope", lang), _t("period", lang), _t("data_to", lang),
                              _t("made", lang), text("score.earned", lang),
                              text("score.available", lang), text("score.scale", lang),
                              _t("score", lang), "", ""],
                         " ": ["", scope_words(pack), pack["period"].label(lang), fmt.date(pack["data_to"]),
                               fmt.date(dt.date.today()), sc["earned"], sc["available"], sc["scale"], sc["score"],
                               review.score_line(sc, lang), text("estimate", lang)]})
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as w:
        # every text cell that a spreadsheet would take for a formula is neutralised (names are data)
        safe.cells(head).to_excel(w, sheet_name="Tong hop" if lang == "vi" else "Summary", index=False)
        safe.cells(pack["computed"]).to_excel(w, sheet_name="Chi so" if lang == "vi" else "Indicators", index=False)
        safe.cells(pack["reported"]).to_excel(w, sheet_name="Bao cao" if lang == "vi" else "Reported", index=False)
        safe.cells(pd.DataFrame(pack["trend"])).to_excel(w, sheet_name="Xu huong" if lang == "vi" else "Trend",
                                                         index=False)
    return buf.getvalue()


def figures(pack: dict) -> list[go.Figure]:
    """The pack's charts: shares against targets, and the on-time and online trend. Every text in them
    goes through safe.plot (Plotly draws HTML tags)."""
    lang, kpis = pack["lang"], cat.load().kpis
    c = pack["computed"]
    shares = c[c["code"].map(lambda k: kpis[k].format == "pct") & c["value"].notna() & c["target"].notna()]
    fig1 = go.Figure()
    names = safe.plot_all(shares["name"])
    fig1.add_bar(y=names, x=shares["value"], orientation="h", name=safe.plot(text("col.value", lang)),
                 marker_color=[BAND_COLORS.get(kpis[k].band(v), "#9e9e9e") for k, v in zip(shares["code"], shares["value"])])
    fig1.add_scatter(y=names, x=shares["target"], mode="markers", name=safe.plot(text("col.target", lang)),
                     marker=dict(symbol="line-ns", size=18, line=dict(width=3, color="#212121")))
    fig1.update_layout(title=safe.plot(_t("chart_targets", lang)), xaxis_tickformat=".0%", yaxis_autorange="reversed",
                       height=420, width=900, margin=dict(l=10, r=10, t=50, b=10), plot_bgcolor="white")
    figs = [fig1]
    if pack["trend"]:
        tr = pd.DataFrame(pack["trend"])
        key = pack["period"].kind
        x_labels = [safe.plot(periods.parse(p).label(lang)) for p in tr[key]]
        fig2 = go.Figure()
        for code, colour in (("F10", "#2e7d32"), ("F05", "#1565c0"), ("D06", "#ef8f00")):
            fig2.add_scatter(x=x_labels, y=tr[code], name=safe.plot(kpis[code].name(lang)), mode="lines+markers",
                             line=dict(color=colour, width=3))
        fig2.update_layout(title=safe.plot(_t("chart_trend", lang)), yaxis_tickformat=".0%", height=380, width=900,
                           margin=dict(l=10, r=10, t=50, b=10), plot_bgcolor="white",
                           legend=dict(orientation="h", y=-0.15))
        figs.append(fig2)
    return figs


def pdf(pack: dict) -> bytes:
    from fpdf import FPDF

    lang, kpis = pack["lang"], cat.load().kpis
    doc = FPDF(orientation="P", unit="mm", format="A4")
    regular, bold = _font("DejaVuSans.ttf"), _font("DejaVuSans-Bold.ttf")
    doc.add_font("dv", "", regular)
    doc.add_font("dv", "B", bold)
    doc.set_auto_page_break(True, margin=15)
    doc.add_page()
    doc.set_font("dv", "B", 15)
    doc.multi_cell(0, 8, _t("title", lang), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("dv", "", 10)
    for label, value in ((_t("scope", lang), scope_words(pack)), (_t("period", lang), pack["period"].label(lang)),
                         (_t("data_to", lang), fmt.date(pack["data_to"])), (_t("made", lang), fmt.date(dt.date.today()))):
        doc.cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    score = pack["computed"].set_index("code").loc["SCORE"]
    doc.ln(2)
    doc.set_font("dv", "B", 13)
    doc.cell(0, 8, f"{_t('score', lang)}: {fmt.value(_num(score['value']), kpis['SCORE'], lang)} · "
                   f"{score['band'] if isinstance(score['band'], str) else fmt.MISSING}", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("dv", "", 9)
    doc.multi_cell(0, 4.5, review.score_line(pack["score"], lang), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("dv", "", 8)
    doc.multi_cell(0, 4, text("estimate", lang), new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.set_font("dv", "B", 11)
    doc.cell(0, 7, _t("computed", lang), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("dv", "", 8)
    shown = review.display(pack["computed"], lang)
    rows = [_cols(REVIEW_COLS, lang)] + _cells(shown, ("code", "name", "numerator", "denominator", "value",
                                                       "target", "points", "band"))
    with doc.table(col_widths=(12, 62, 20, 20, 20, 16, 16, 18), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT",
                   "RIGHT", "RIGHT", "RIGHT", "LEFT"), line_height=4.5, first_row_as_headings=True) as table:
        for row in rows:
            cells = table.row()
            for v in row:
                cells.cell(str(v))
    doc.ln(3)
    doc.set_font("dv", "B", 11)
    doc.cell(0, 7, _t("reported", lang), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("dv", "", 8)
    current, others = review.reported_display(pack["reported"], lang)
    if current.empty:
        doc.cell(0, 5, text("ind.none_reported_period", lang, period=pack["period"].label(lang)),
                 new_x="LMARGIN", new_y="NEXT")
    else:
        _table(doc, [_cols(REPORTED_COLS, lang)] + _cells(current, ("name", "period", "value", "source")),
               (62, 22, 18, 78))
    if not others.empty:
        doc.ln(2)
        doc.set_font("dv", "B", 9)
        doc.multi_cell(0, 5, text("ind.reported_other", lang, period=pack["period"].label(lang)),
                       new_x="LMARGIN", new_y="NEXT")
        doc.set_font("dv", "", 8)
        _table(doc, [_cols(("indicator", "period", "age", "value", "source"), lang)]
               + _cells(others, ("name", "period", "age", "value", "source")), (52, 20, 26, 16, 66))
    for fig in figures(pack):
        doc.add_page() if doc.get_y() > 150 else doc.ln(4)
        doc.image(io.BytesIO(fig.to_image(format="png", scale=2)), w=180)
    return bytes(doc.output())


def _cells(df: pd.DataFrame, columns) -> list[list]:
    """A PDF table's rows: text cells through safe.cell (copied into a spreadsheet, a name starting with
    = must not become a formula); the formatted numbers as they are (-3 is a number). fpdf2 draws every
    cell as plain text: its markdown mode stays off."""
    return [[v if c in NUMBERS else safe.cell(v) for c, v in zip(columns, row)]
            for row in df[list(columns)].values.tolist()]


def _table(doc, rows, widths) -> None:
    with doc.table(col_widths=widths, line_height=4.5) as table:
        for row in rows:
            cells = table.row()
            for v in row:
                cells.cell(str(v)[:160])


def _font(name: str) -> str:
    for d in FONT_DIRS:
        p = pathlib.Path(d) / name
        if p.exists():
            return str(p)
    raise RuntimeError(f"font {name} not found (Debian package fonts-dejavu-core)")


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


