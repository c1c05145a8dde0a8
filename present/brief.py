"""The one-page brief (reform/brief.py's data) as an A4 PDF and a PNG of that page: the headline cards
with their changes, what needs attention, the best and worst unit of each peer group, one trend, and the
data's freshness, for a meeting or a message. The PNG is the PDF's page drawn by PDFium, so both carry
the same content."""
from __future__ import annotations

import datetime as dt

from present import a4, fmt, pdfchart
from present import signals as sentences
from present.review import scope_words
from present.text import text
from present.theme import BAND_COLORS, FLAT_COLOR, TREND_COLORS
from reform import catalogue, compare, periods

PNG_DPI = 150
TREND = ("F10", "F05")       # the brief's one trend chart
CARD_H = 21                  # mm
SIZES = ((5, 58), (3, 50), (2, 42))   # (signal lines, trend height): tried in turn until the page fits


def title(brief: dict) -> str:
    lang = brief["lang"]
    return text("brief.title", lang, period=brief["period"].label(lang), scope=scope_words(brief["scope"], lang))


def pdf(brief: dict, day: dt.date | None = None) -> bytes:
    """One A4 page. A long list of units or signals is cut to fit, never spilled onto a second page."""
    for lines, height in SIZES:
        doc = _draw(brief, day or dt.date.today(), lines, height)
        if doc.page_no() == 1:
            break
    return bytes(doc.output())


def png(pdf_bytes: bytes, dpi: int = PNG_DPI) -> bytes:
    import io

    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(pdf_bytes)[0]
    image = page.render(scale=dpi / 72).to_pil()
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _draw(brief: dict, day: dt.date, signal_lines: int, trend_h: float) -> a4.A4:
    lang, period = brief["lang"], brief["period"]
    kpis = catalogue.load().kpis
    doc = a4.A4(lang, title(brief))
    doc.numbered = False
    doc.set_auto_page_break(False)
    doc.add_page()
    doc.masthead(day)
    doc.set_font("serif", "B", 14)
    doc.multi_cell(doc.epw, 6.5, title(brief), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)

    # headline cards, four to a row
    codes = brief["cards"]
    per_row = 4
    w = (doc.epw - (per_row - 1) * 2) / per_row
    prev_label = period.previous().label(lang) if not period.parts else None
    year_label = period.same_last_year().label(lang) if not period.parts else None
    top = doc.get_y()
    for i, code in enumerate(codes):
        _card(doc, a4.LEFT + (i % per_row) * (w + 2), top + (i // per_row) * (CARD_H + 2), w, kpis[code], brief,
              prev_label, year_label)
    doc.set_xy(a4.LEFT, top + -(-len(codes) // per_row) * (CARD_H + 2) + 2)

    # what needs attention
    doc.set_font("serif", "B", 12)
    doc.cell(doc.epw, 6, text("attention.header", lang, period=_quarter_label(brief)), new_x="LMARGIN", new_y="NEXT")
    for line in _attention_lines(brief, signal_lines):
        doc.set_font("serif", "", 10)
        doc.multi_cell(doc.epw, 4.4, line, align="L", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)

    # best and worst of each peer group
    if brief["peers"]:
        doc.set_font("serif", "B", 12)
        doc.cell(doc.epw, 6, text("brief.peers", lang, kpi=kpis["SCORE"].name(lang)), new_x="LMARGIN", new_y="NEXT")
        rows = []
        for g in brief["peers"]:
            group = text(f"brief.group.{g['level']}", lang) if g["level"] else text("brief.group.children", lang)
            rows.append([f"{group} ({fmt.number(g['units'], 0, lang)})",
                         f"{g['best']['name']}: {fmt.value(g['best']['value'], kpis['SCORE'], lang)}",
                         f"{g['worst']['name']}: {fmt.value(g['worst']['value'], kpis['SCORE'], lang)}"])
        doc.grid([text("brief.group", lang), text("brief.best", lang), text("brief.worst", lang)],
                 rows, ["L", "L", "L"], size=9.5)

    # one trend
    if brief["trend"]:
        labels = [periods.parse(r[period.kind]).label(lang) for r in brief["trend"]]
        series = [pdfchart.Series(kpis[c].name(lang), [r.get(c) for r in brief["trend"]], TREND_COLORS[c])
                  for c in TREND]
        pdfchart.lines(doc, text("brief.trend", lang), labels, series, pdfchart.pct_axis(lang), height=trend_h,
                       floor=0.0, ceiling=1.0)

    # freshness, at the foot of the page
    doc.set_y(max(doc.get_y() + 1, doc.h - a4.BOTTOM - 9))
    doc.set_font("serif", "I", 9)
    doc.multi_cell(doc.epw, 4, text("brief.foot", lang, day=fmt.date(brief["data_to"]), made=fmt.date(day)) + " "
                   + text("estimate", lang), align="L", new_x="LMARGIN", new_y="NEXT")
    return doc


def _card(doc: a4.A4, x: float, y: float, w: float, kpi, brief: dict, prev_label, year_label) -> None:
    lang = brief["lang"]
    now = brief["now"].get(kpi.code)
    doc.set_draw_color(190, 190, 190)
    doc.set_line_width(0.3)
    doc.rect(x, y, w, CARD_H)
    doc.set_xy(x + 1.5, y + 1)
    doc.set_font("sans", "", 7.5)
    doc.multi_cell(w - 3, 3.2, kpi.name(lang), align="L", max_line_height=3.2, new_x="LEFT", new_y="NEXT")
    doc.set_xy(x + 1.5, y + 8)
    doc.set_font("sans", "B", 13)
    doc.cell(w - 3, 6, fmt.value(now, kpi, lang))
    line_y = y + 14.2
    for label, other in ((prev_label, brief["previous"]), (year_label, brief["last_year"])):
        if label is None or other is None:
            continue
        d = compare.change(now, other.get(kpi.code))
        shown = fmt.delta(d, kpi, lang)
        better = None if shown is None or fmt.flat(d, kpi) else compare.better(d, kpi)
        colour = BAND_COLORS["good"] if better else BAND_COLORS["poor"] if better is False else FLAT_COLOR
        doc.set_text_color(*pdfchart.rgb(colour))
        doc.set_font("sans", "", 6.8)
        doc.set_xy(x + 1.5, line_y)
        doc.cell(w - 3, 3, text("brief.versus", lang, change=shown or fmt.MISSING, period=label))
        line_y += 3.2
    doc.set_text_color(0, 0, 0)


def _quarter_label(brief: dict) -> str:
    seen = brief["attention"]
    return (seen.quarter if seen else brief["period"]).label(brief["lang"])


def _attention_lines(brief: dict, most: int) -> list[str]:
    """The risk line, then the signals that got worse (most first), or why there are none."""
    lang, seen = brief["lang"], brief["attention"]
    if seen is None:
        return [text("attention.no_filter", lang)]
    out = []
    if seen.risk is not None:
        r = seen.risk
        out.append(text("risk.line", lang, due=fmt.number(r["due_soon"], 0, lang), d=r["due_days"],
                         day=fmt.date(seen.day, lang), overdue=fmt.number(r["overdue"], 0, lang),
                         none=fmt.number(r["overdue_no_apology"], 0, lang)))
    worse = [s for s in seen.signals if s.worse]
    for s in worse[:most]:
        out.append("▼ " + sentences.sentence(s, sentences.group_name(s, seen.names[s.by], lang), lang))
    if not worse:
        out.append(text("attention.none", lang, period=seen.quarter.label(lang)))
    elif len(worse) > most:
        out.append(text("brief.more", lang, n=fmt.number(len(worse) - most, 0, lang)))
    return out
