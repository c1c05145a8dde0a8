"""Number and date formats per language: vi 1.960 and 23,06 %; en 1,960 and 23.06%; dates dd/mm/yyyy.
A missing value is —."""
from __future__ import annotations

import datetime as dt
import math

from reform.catalogue import Kpi

MISSING = "—"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) in ("<NA>", "NaT")


def number(x: float, decimals: int = 0, lang: str = "vi") -> str:
    s = f"{x:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def pct(x: float | None, lang: str = "vi", decimals: int = 2) -> str:
    if _missing(x):
        return MISSING
    return number(100 * x, decimals, lang) + (" %" if lang == "vi" else "%")


def value(v, kpi: Kpi, lang: str = "vi") -> str:
    if _missing(v):
        return MISSING
    if kpi.format == "pct":
        return pct(v, lang)
    if kpi.format in ("days", "score"):
        return number(v, 1, lang)
    return number(v, 0, lang)


def delta(d: float | None, kpi: Kpi, lang: str = "vi") -> str | None:
    """A signed change: percentage points for shares, plain numbers otherwise; None when unknown."""
    if _missing(d):
        return None
    sign = "+" if d > 0 else ("-" if d < 0 else "±")  # ASCII minus: st.metric reads it for the arrow
    if kpi.format == "pct":
        return f"{sign}{number(abs(100 * d), 1, lang)} {'điểm %' if lang == 'vi' else 'pts'}"
    if kpi.format in ("days", "score"):
        return f"{sign}{number(abs(d), 1, lang)}"
    return f"{sign}{number(abs(d), 0, lang)}"


def date(d, lang: str = "vi") -> str:
    if _missing(d):
        return MISSING
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return f"{d:%d/%m/%Y}"
