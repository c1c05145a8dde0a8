"""The council's indicator review for one period and scope: every indicator with its definition,
numerator, denominator, value, target, 766 points and band, plus the reported indicators. The Indicators
page, the Excel/PDF pack and `python -m reform report` all read this one table."""
from __future__ import annotations

import pandas as pd

import queries
from reform import catalogue as cat
from reform import compute
from reform.periods import Period

COLUMNS = ["code", "name", "definition", "numerator", "denominator", "value", "target", "points",
           "max_points", "band"]


def computed(con, period: Period, lang: str = "vi", **filters) -> pd.DataFrame:
    """One row per computed indicator (catalogue order). Counts come from compute.counts, the value and
    the score from compute.kpis, so the review shows exactly what the dashboard shows."""
    catalogue = cat.load()
    counts = compute.counts(con, period, **filters).iloc[0].to_dict()
    values = compute.kpis(con, period, **filters)[0]
    rows = []
    for k in catalogue.computed():
        value = values.get(k.code)
        num = den = None
        if k.kind == "count":
            num = _count(counts, (k.count,))
        elif k.kind in ("ratio", "mean"):
            num, den = _count(counts, k.numerator), _count(counts, k.denominator)
        points = None
        if k.points and value is not None:
            points = k.points * min(1.0, value / k.threshold)
        if k.code == "SCORE":
            b = catalogue.score_band(value)
            band = b[f"name_{lang}"] if b else None
        else:
            band = catalogue.band_name(k.band(value), lang)
        rows.append(dict(code=k.code, name=k.name(lang), definition=k.definition(lang), numerator=num,
                         denominator=den, value=value, target=k.target, points=points, max_points=k.points,
                         band=band))
    return pd.DataFrame(rows, columns=COLUMNS)


def reported(con, unit: str | None = None, lang: str = "vi") -> pd.DataFrame:
    """Reported indicators (indicators table) with their catalogue names; newest first."""
    df = queries.run(con, "reported_indicators", unit=unit)
    kpis = cat.load().kpis
    df.insert(1, "name", [kpis[c].name(lang) if c in kpis else c for c in df["indicator_code"]])
    return df


def _count(counts: dict, columns) -> int | None:
    values = [counts.get(c) for c in columns]
    if any(v is None or pd.isna(v) for v in values):
        return None
    return int(sum(values))
