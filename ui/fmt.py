"""Number formats per language: vi 1.960 and 23,06 %; en 1,960 and 23.06%. A missing value is —."""
from __future__ import annotations

from reform.catalogue import Kpi


def number(x: float, decimals: int = 0, lang: str = "vi") -> str:
    s = f"{x:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def value(v, kpi: Kpi, lang: str = "vi") -> str:
    if v is None:
        return "—"
    if kpi.format == "pct":
        return number(100 * v, 2, lang) + (" %" if lang == "vi" else "%")
    if kpi.format in ("days", "score"):
        return number(v, 1, lang)
    return number(v, 0, lang)
