"""Number and date formats per language: vi 1.960 and 23,06 %; en 1,960 and 23.06%; dates dd/mm/yyyy.
A missing value is —."""
from __future__ import annotations

import datetime as dt
import math

from reform import catalogue
from reform.catalogue import Kpi
from reform.rounding import rounded  # noqa: F401 - the rule, here for every caller of fmt

MISSING = "—"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) in ("<NA>", "NaT")


def number(x: float, decimals: int = 0, lang: str = "vi") -> str:
    if _missing(x):
        return MISSING
    s = f"{rounded(x, decimals):,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def pct(x: float | None, lang: str = "vi", decimals: int = 2) -> str:
    if _missing(x):
        return MISSING
    return number(100 * x, decimals, lang) + (" %" if lang == "vi" else "%")


def value(v, kpi: Kpi, lang: str = "vi") -> str:
    """A KPI's value as its format shows it (catalogue [formats]: scale and decimals)."""
    if _missing(v):
        return MISSING
    f = catalogue.load().formats[kpi.format]
    if kpi.format == "pct":
        return pct(v, lang, f["decimals"])
    return number(f["scale"] * v, f["decimals"], lang)


def delta(d: float | None, kpi: Kpi, lang: str = "vi") -> str | None:
    """A signed change: percentage points for shares, plain numbers otherwise; None when unknown.
    A change that rounds to zero is "±0" (see flat)."""
    if _missing(d):
        return None
    size, decimals, unit = _delta_shown(d, kpi, lang)
    sign = "±" if flat(d, kpi) else ("+" if d > 0 else "-")  # ASCII minus: st.metric reads it for the arrow
    return f"{sign}{number(size, decimals, lang)}{unit}"


def flat(d: float | None, kpi: Kpi) -> bool:
    """A known change that shows as zero at the precision shown: no arrow and no colour for it."""
    if _missing(d):
        return False
    size, decimals, _ = _delta_shown(d, kpi)
    return rounded(size, decimals).is_zero()


def _delta_shown(d: float, kpi: Kpi, lang: str = "vi") -> tuple[float, int, str]:
    f = catalogue.load().formats[kpi.format]
    unit = (" điểm %" if lang == "vi" else " pts") if kpi.format == "pct" else ""
    return abs(f["scale"] * d), f["delta_decimals"], unit


def cell(v, kpi: Kpi | None = None, lang: str = "vi") -> str:
    """A value as a plain table shows it: a KPI's by its format (value), any other number in the
    language's format (a whole number without decimals, else 2), text as it is; — for no data."""
    if _missing(v):
        return MISSING
    if kpi is not None:
        return value(v, kpi, lang)
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    return number(v, 0 if float(v).is_integer() else 2, lang)


def date(d, lang: str = "vi") -> str:
    if _missing(d):
        return MISSING
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return f"{d:%d/%m/%Y}"
