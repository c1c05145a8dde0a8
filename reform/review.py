"""The council's indicator review for one period and scope: every indicator with its definition,
numerator, denominator, value, target, 766 points and band, the score's arithmetic, plus the reported
indicators with their own periods. The Indicators page, the Excel/PDF pack and `python -m reform report`
all read these tables."""
from __future__ import annotations

import pandas as pd

import queries
from reform import catalogue as cat
from reform import compute, fmt, labels, periods
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


def score_line(parts: dict, lang: str = "vi") -> str:
    """The score as arithmetic a council member can redo: "49,00 / 54 điểm … × 100 / 54 = 90,7"."""
    if parts["score"] is None:
        return labels.text("score.none", lang)
    n = lambda v, d: fmt.number(v, d, lang)  # noqa: E731
    key = "score.how_all" if parts["computable"] == parts["scored"] else "score.how"
    return labels.text(key, lang, earned=n(parts["earned"], 2), available=n(parts["available"], 0),
                       scale=n(parts["scale"], 0), score=n(parts["score"], 1), computable=parts["computable"],
                       scored=parts["scored"], full=n(parts["full"], 0))


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


def reported_display(rep: pd.DataFrame, lang: str = "vi") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reported indicators as text for people, split: those of the period under review, and those
    of other periods with their age. Columns name, period, [age], value, source, as_of (no raw codes)."""
    kpis = cat.load().kpis
    out = pd.DataFrame({
        "name": rep["name"], "period": rep["period_label"],
        "age": [_age(m, lang) for m in rep.get("months_before", pd.Series([None] * len(rep), index=rep.index))],
        "value": [fmt.value(v, kpis[c], lang) if c in kpis else fmt.number(v, 2, lang)
                  for c, v in zip(rep["indicator_code"], rep["value"])],
        "source": rep["source"].fillna(""), "as_of": [fmt.date(d) for d in rep["as_of"]]}, index=rep.index)
    current = (rep["current"] if "current" in rep else pd.Series(True, index=rep.index)).astype(bool)
    return out.loc[current].drop(columns="age").reset_index(drop=True), out.loc[~current].reset_index(drop=True)


def _age(months, lang: str) -> str:
    if months is None or pd.isna(months):
        return ""
    if months < 0:
        return labels.text("age.later", lang)
    y, m = divmod(int(months), 12)
    key = "age.ym" if y and m else "age.y" if y else "age.m"
    return labels.text(key, lang, y=y, m=m)


def _count(counts: dict, columns) -> int | None:
    values = [counts.get(c) for c in columns]
    if any(v is None or pd.isna(v) for v in values):
        return None
    return int(sum(values))


def display(review: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The review as text for people (page and PDF): numbers in the language's format, empty where an
    indicator has no such number, points as "earned/max" ("—/max": no value, so not in the score)."""
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
    out["points"] = ["" if m is None or pd.isna(m) else
                     f"{fmt.MISSING if p is None or pd.isna(p) else fmt.number(p, 2, lang)}/{fmt.number(m, 0, lang)}"
                     for p, m in zip(review["points"], review["max_points"])]
    out["band"] = [b if isinstance(b, str) else "" for b in review["band"]]
    return out
