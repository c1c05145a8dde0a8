"""The council pack as documents: the indicator review of one period and scope (reform.review.build) as a
PDF report in the Vietnamese administrative layout (present/a4.py, charts drawn as text and lines by
present/pdfchart.py) and as an Excel workbook for further work (present/workbook.py). Used by the
Indicators page and by `python -m reform report`."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from present import a4, fmt, pdfchart, review
from present.text import text
from present.theme import BAND_COLORS, INK_COLOR, MISSING_COLOR, TREND_COLORS
from reform import catalogue as cat
from reform import periods, safe

REVIEW_COLS = ("code", "indicator", "numerator", "denominator", "value", "target", "points", "band")
REPORTED_COLS = ("indicator", "period", "value", "source")
OTHER_COLS = ("indicator", "period", "age", "value", "source")
NUMBERS = {"numerator", "denominator", "value", "target", "points"}  # columns of formatted numbers ("-3")


def _t(key: str, lang: str) -> str:
    """The pack's words (present/text.toml, keys pack.*)."""
    return text(f"pack.{key}", lang)


def _cols(names, lang: str) -> list[str]:
    return [text(f"col.{n}", lang) for n in names]


def scope_words(pack: dict) -> str:
    """What the pack is about, in words: the unit and filters, or the whole province."""
    return review.scope_words(pack["scope"], pack["lang"])


def about(pack: dict) -> str:
    """The title's summary line: what, when, where."""
    return text("pack.about", pack["lang"], period=pack["period"].label(pack["lang"]), scope=scope_words(pack))


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    value: float
    target: float
    colour: str


def target_bars(pack: dict) -> list[Bar]:
    """The shares that have a target, each coloured by the band its value earns against that target."""
    kpis = cat.load().kpis
    c = pack["computed"]
    rows = c[c["code"].map(lambda k: kpis[k].format == "pct") & c["value"].notna() & c["target"].notna()]
    return [Bar(k, name, float(v), float(t), BAND_COLORS.get(kpis[k].band(v), MISSING_COLOR))
            for k, name, v, t in zip(rows["code"], rows["name"], rows["value"], rows["target"])]


def band_legend(bars: list[Bar], lang: str) -> list[tuple[str, str]]:
    """The bar chart's legend: the bands its bars are coloured by, then the target mark."""
    used = {bar.colour for bar in bars}
    return [*((cat.load().band_name(band, lang), colour) for band, colour in BAND_COLORS.items() if colour in used),
            (text("col.target", lang), INK_COLOR)]


def trend_series(pack: dict) -> tuple[list[str], list[pdfchart.Series]]:
    """The trend chart's x labels (periods in words) and its lines (TREND_COLORS' indicators)."""
    if not pack["trend"]:
        return [], []
    lang, kpis = pack["lang"], cat.load().kpis
    tr = pd.DataFrame(pack["trend"])
    labels = [periods.parse(p).label(lang) for p in tr[pack["period"].kind]]
    return labels, [pdfchart.Series(kpis[code].name(lang), [None if pd.isna(v) else float(v) for v in tr[code]], colour)
                    for code, colour in TREND_COLORS.items()]


def pdf(pack: dict, number: str | None = None, day: dt.date | None = None) -> bytes:
    lang, kpis = pack["lang"], cat.load().kpis
    doc = a4.A4(lang, _t("title", lang))
    doc.add_page()
    doc.letterhead(day or dt.date.today(), number)
    doc.title_block(_t("kind", lang), about(pack))

    doc.heading(_t("part_scope", lang))
    doc.facts([(_t("scope", lang), scope_words(pack)), (_t("period", lang), pack["period"].label(lang)),
               (_t("data_to", lang), fmt.date(pack["data_to"])), (_t("made", lang), fmt.date(day or dt.date.today()))],
              size=a4.SMALL_PT + 1)

    doc.heading(_t("part_score", lang))
    score = pack["computed"].set_index("code").loc["SCORE"]
    band = score["band"] if isinstance(score["band"], str) else fmt.MISSING
    doc.para(f"{_t('score', lang)}: {fmt.value(_num(score['value']), kpis['SCORE'], lang)} · {band}", style="B")
    doc.para(review.score_line(pack["score"], lang), size=a4.SMALL_PT + 1)
    doc.para(text("estimate", lang), size=a4.SMALL_PT - 1, style="I")

    doc.heading(_t("computed", lang))
    shown = review.display(pack["computed"], lang)
    rows = _cells(shown, ("code", "name", "numerator", "denominator", "value", "target", "points", "band"))
    doc.grid(_cols(REVIEW_COLS, lang), rows, ["L", "L", "R", "R", "R", "R", "R", "L"])
    doc.heading(_t("how", lang))
    for code, name, definition in shown[["code", "name", "definition"]].values.tolist():
        if definition:
            doc.para(f"{code} – {safe.cell(name)}: {safe.cell(definition)}", size=a4.SMALL_PT - 1, align="L")

    doc.heading(_t("reported", lang))
    current, others = review.reported_display(pack["reported"], lang)
    if current.empty:
        doc.para(text("ind.none_reported_period", lang, period=pack["period"].label(lang)), size=a4.SMALL_PT)
    else:
        doc.grid(_cols(REPORTED_COLS, lang), _cells(current, ("name", "period", "value", "source")),
                 ["L", "L", "R", "L"])
    if not others.empty:
        doc.para(text("ind.reported_other", lang, period=pack["period"].label(lang)), size=a4.SMALL_PT, style="B")
        doc.grid(_cols(OTHER_COLS, lang), _cells(others, ("name", "period", "age", "value", "source")),
                 ["L", "L", "L", "R", "L"])

    doc.heading(_t("part_charts", lang))
    bars = target_bars(pack)
    if bars:
        draw = dict(title=_t("chart_targets", lang), labels=[b.label for b in bars], values=[b.value for b in bars],
                    targets=[b.target for b in bars], colours=[b.colour for b in bars],
                    shown=lambda v: fmt.pct(v, lang, 1), axis=pdfchart.pct_axis(lang),
                    legend=band_legend(bars, lang))
        doc.keep(pdfchart.bars(doc, dry=True, **draw))
        pdfchart.bars(doc, **draw)
    x_labels, series = trend_series(pack)
    if series:
        draw = dict(title=_t("chart_trend", lang), x_labels=x_labels, series=series, axis=pdfchart.pct_axis(lang),
                    floor=0.0, ceiling=1.0)
        doc.keep(pdfchart.lines(doc, dry=True, **draw) + 4)
        doc.ln(4)
        pdfchart.lines(doc, **draw)
    doc.signature()
    return bytes(doc.output())


def xlsx(pack: dict) -> bytes:
    from present import workbook
    return workbook.pack(pack)


def _cells(df: pd.DataFrame, columns) -> list[list[str]]:
    """A PDF table's rows as text: names through safe.cell (copied into a spreadsheet, a name starting
    with = must not become a formula); the formatted numbers as they are (-3 is a number). fpdf2 draws
    every cell as plain text: its markdown mode stays off."""
    return [[str(v) if c in NUMBERS else str(safe.cell(v)) for c, v in zip(columns, row)]
            for row in df[list(columns)].values.tolist()]


def _num(v):
    return None if v is None or pd.isna(v) else float(v)
