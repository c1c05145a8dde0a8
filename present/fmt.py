"""Number and date formats per language: vi 1.960 and 23,06 %; en 1,960 and 23.06%; dates dd/mm/yyyy.
A missing value is —."""
from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from reform.catalogue import Kpi

MISSING = "—"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) in ("<NA>", "NaT")


def rounded(x: float, decimals: int = 0) -> Decimal:
    """x rounded as a reader and Excel round it: halves away from zero, on the shortest decimal that
    reads back as x (2.5 -> 3, 0.125 -> 0.13, 1.005 -> 1.01), where Python's format rounds a binary
    half to even and 1.005 down. A value that rounds to zero is 0, never -0."""
    r = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return r.copy_abs() if r.is_zero() else r


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
    if _missing(v):
        return MISSING
    if kpi.format == "pct":
        return pct(v, lang)
    if kpi.format in ("days", "score"):
        return number(v, 1, lang)
    return number(v, 0, lang)


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
    if kpi.format == "pct":
        return abs(100 * d), 1, " điểm %" if lang == "vi" else " pts"
    return abs(d), 1 if kpi.format in ("days", "score") else 0, ""


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
