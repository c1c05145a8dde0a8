"""KPI cards: the value, the change against the previous period and the same period last year,
coloured by the catalogue's bands, and one generated sentence saying what moved."""
from __future__ import annotations

import streamlit as st

from present import fmt
from present.theme import BAND_BADGES, BAND_COLORS
from reform import catalogue, compare, periods
from ui import drill, twin
from ui.labels import lang, t


def sentence(kpi: catalogue.Kpi, current, previous, period: periods.Period) -> str:
    """"Tỷ lệ nộp trực tuyến tăng 4,2 điểm % so với Quý I/2020"."""
    lg = lang()
    d = compare.change(current, previous)
    name, label = kpi.name(lg), period.label(lg)
    if d is None:
        return t("move.none", name=name, period=label)
    if fmt.flat(d, kpi):
        return t("move.flat_sentence", name=name, period=label)
    magnitude = fmt.delta(abs(d), kpi, lg).lstrip("+")
    return t("move.sentence", name=name, verb=t("move.up" if d > 0 else "move.down"), delta=magnitude, period=label)


def card(container, code: str, cur: dict, prev: dict | None, last_year: dict | None,
         period: periods.Period) -> None:
    kpi = catalogue.load().kpis[code]
    lg = lang()
    value = cur.get(code)
    d_prev = compare.change(value, prev.get(code)) if prev else None
    twin.card(code, value, prev.get(code) if prev else None, last_year.get(code) if last_year else None)
    flat = fmt.flat(d_prev, kpi)  # no change (as shown): no arrow, no colour
    improves = None if flat else compare.better(d_prev, kpi)
    with container.container(border=True):
        st.metric(kpi.name(lg), fmt.value(value, kpi, lg), delta=fmt.delta(d_prev, kpi, lg),
                  delta_color="off" if improves is None else ("normal" if (d_prev > 0) == improves else "inverse"),
                  delta_arrow="off" if flat else "auto",
                  help=f"{kpi.definition(lg)}" + (f" · {t('estimate')}" if code == "SCORE" else ""))
        band = _band(kpi, value)
        if band:
            st.markdown(f":{band[0]}-badge[{band[1]}]")
        if prev is not None:
            st.caption(sentence(kpi, value, prev.get(code), period.previous()))
        if last_year is not None:
            d_ly = compare.change(value, last_year.get(code))
            st.caption(f"{t('vs.last_year', period=period.same_last_year().label(lg))}: "
                       f"{fmt.delta(d_ly, kpi, lg) or fmt.MISSING}")
        if drill.records(code) and value:  # the dossiers behind the number, one click away
            drill.open_list(drill.records(code), t("drill.records"), key=f"card-{code}")


def _band(kpi: catalogue.Kpi, value) -> tuple[str, str] | None:
    """(badge colour, text) by the catalogue's bands (the score uses its rating scale)."""
    if value is None:
        return None
    lg = lang()
    if kpi.code == "SCORE":
        b = catalogue.load().score_band(value)
        return BAND_BADGES.get(kpi.band(value), "gray"), b[f"name_{lg}"]
    band = kpi.band(value)
    if band is None:
        return None
    target = f" · {t('target')} {fmt.value(kpi.target, kpi, lg)}" if kpi.target is not None else ""
    return BAND_BADGES[band], catalogue.load().band_name(band, lg) + target


__all__ = ["card", "sentence", "BAND_COLORS"]
