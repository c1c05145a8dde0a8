"""KPI tables for display: values formatted per language and cells coloured by the catalogue's bands,
while the numbers underneath stay numbers (sorting, downloads)."""
from __future__ import annotations

import pandas as pd

from present import fmt
from present.theme import BAND_CELLS
from reform import catalogue


def kpi_table(df: pd.DataFrame, codes: list[str], lang: str, color: list[str] | None = None,
              formats: dict | None = None):
    """A Styler: every KPI column formatted by its catalogue format, `color` columns shaded by band;
    `formats` adds formatters for other columns (one format call: a second one would reset the first)."""
    kpis = catalogue.load().kpis
    styler = df.style.format({**{c: (lambda v, k=kpis[c]: fmt.value(None if pd.isna(v) else v, k, lang))
                                 for c in codes if c in df}, **(formats or {})})
    for c in color or []:
        if c in df:
            styler = styler.map(lambda v, k=kpis[c]: BAND_CELLS.get(k.band(None if pd.isna(v) else v), ""), subset=[c])
    return styler
