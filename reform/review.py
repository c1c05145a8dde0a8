"""The council's indicator review for one period and scope: every indicator with its definition,
numerator, denominator, value, target, 766 points and band, plus the reported indicators. The Indicators
page, the Excel/PDF pack and `python -m reform report` all read this one table."""
from __future__ import annotations

import pandas as pd

import queries
from reform import catalogue as cat
from reform import compute, fmt
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


def display(review: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The review as text for people (page and PDF): numbers in the language's format, empty where an
    indicator has no such number, points as "earned/max"."""
    kpis = cat.load().kpis

    def num(v, k=None, decimals=0):
        if v is None or pd.isna(v):
            return ""
        return fmt.value(float(v), k, lang) if k is not None else fmt.number(v, decimals, lang)

    out = review[["code", "name", "definition"]].copy()
    out["numerator"] = [num(v) for v in review["numerator"]]
    out["denominator"] = [num(v) for v in review["denominator"]]
    out["value"] = [num(v, kpis[c]) or fmt.MISSING for c, v in zip(review["code"], review["value"])]
    out["target"] = [num(v, kpis[c]) for c, v in zip(review["code"], review["target"])]
    out["points"] = ["" if p is None or pd.isna(p) else f"{fmt.number(p, 1, lang)}/{fmt.number(m, 0, lang)}"
                     for p, m in zip(review["points"], review["max_points"])]
    out["band"] = [b if isinstance(b, str) else "" for b in review["band"]]
    return out
