"""The council's indicator review for one period and scope: every indicator with its definition,
numerator, denominator, value, target, 766 points and band, the score's arithmetic, plus the reported
indicators with their own periods. The Indicators page, the Excel/PDF pack and `python -m reform report`
all read these tables."""
from __future__ import annotations

import pandas as pd

import queries
from reform import catalogue as cat
from reform import compute, periods
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
        points = compute.points(k, value)
        if k.code == "SCORE":
            b = catalogue.score_band(value)
            band = b[f"name_{lang}"] if b else None
        else:
            band = catalogue.band_name(k.band(value), lang)
        rows.append(dict(code=k.code, name=k.name(lang), definition=k.definition(lang), numerator=num,
                         denominator=den, value=value, target=k.target, points=points, max_points=k.points,
                         band=band))
    return pd.DataFrame(rows, columns=COLUMNS)


def score_parts(review: pd.DataFrame) -> dict:
    """compute.score_parts over the values in the review table (earned, available, scale, score)."""
    values = {c: None if pd.isna(v) else v for c, v in zip(review["code"], review["value"])}
    return compute.score_parts(values, cat.load())


def reported(con, unit: str | None = None, lang: str = "vi", period: Period | None = None) -> pd.DataFrame:
    """Reported indicators (indicators table) with their catalogue names, newest first. With the period
    under review: `current` = the figure's own period overlaps it; `months_before` = months from the end
    of the figure's period to the end of the period under review (negative: the figure is later)."""
    df = queries.run(con, "reported_indicators", unit=unit)
    kpis = cat.load().kpis
    df.insert(1, "name", [kpis[c].name(lang) if c in kpis else c for c in df["indicator_code"]])
    own = [_period(v) for v in df["period"]]
    df["period_label"] = [p.label(lang) if p else str(v) for p, v in zip(own, df["period"])]
    if period is not None:
        df["current"] = [p is not None and p.start <= period.end and p.end >= period.start for p in own]
        df["months_before"] = pd.array([None if p is None or cur else _months(p.end, period.end)
                                        for p, cur in zip(own, df["current"])], dtype="Int64")
    return df


def _period(code) -> Period | None:
    try:
        return periods.parse(code)
    except ValueError:
        return None


def _months(a, b) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _count(counts: dict, columns) -> int | None:
    values = [counts.get(c) for c in columns]
    if any(v is None or pd.isna(v) for v in values):
        return None
    return int(sum(values))


def build(con, period: periods.Period, unit: str | None = None, lang: str = "vi", **more) -> dict:
    """Everything the pack shows, computed once: review tables, scope name, data freshness, trend.
    `more` takes the dashboard's other filters (level, field, procedure, channel)."""
    filters = {k: v for k, v in {"unit": unit, **more}.items() if v is not None}
    scope = build_scope(con, filters)
    trend_period = trend_range(period)
    trend = compute.kpis(con, trend_period, by=period.kind if period.kind in compute.TIME_GROUPS else None,
                         **filters) if trend_period else []
    last = queries.run(con, "data_info")
    computed_ = computed(con, period, lang, **filters)
    return dict(period=period, lang=lang, scope=scope, unit=unit, computed=computed_,
                score=score_parts(computed_), reported=reported(con, unit, lang, period),
                trend=trend, filters=filters, data_to=None if last.empty else last.at[0, "last_received"])


def trend_range(period: periods.Period) -> periods.Period | None:
    if period.parts:
        return None
    first = period
    for _ in range(7):
        first = first.previous()
    return periods.parse(f"{first.code}:{period.code}")


def build_scope(con, filters: dict) -> dict:
    """What each filter means, for the documents' words (present/review.scope_words): a unit's and a
    procedure's name with its code, the other filters as their codes; the default lens is no filter.
    An unknown unit code is refused (ValueError)."""
    scope = {}      # filter -> what it means: a unit's or procedure's name and code, the others as codes
    unit = filters.get("unit")
    if unit:
        info = queries.run(con, "unit_info", unit=unit)
        if info.empty:
            raise ValueError(f"unknown unit code {unit!r}")
        scope["unit"] = f"{info.at[0, 'name']} ({unit})"
    for k, v in filters.items():
        if k == "procedure":
            procs = queries.run(con, "procedure_list")
            names = procs.loc[procs["procedure_code"] == v, "name"]
            scope[k] = f"{names.iloc[0]} ({v})" if len(names) else v
        elif k != "unit" and not (k == "lens" and v == "recorded"):
            scope[k] = v
    return scope
