"""The council's indicator review as text for people (the Indicators page and the pack): numbers in the
language's format, the score as arithmetic, reported indicators split by period with their age."""
from __future__ import annotations

import pandas as pd

from present import fmt
from present.text import text
from reform import catalogue as cat


def score_line(parts: dict, lang: str = "vi") -> str:
    """The score as arithmetic a council member can redo: "49,00 / 54 điểm … × 100 / 54 = 90,7"."""
    if parts["score"] is None:
        return text("score.none", lang)
    n = lambda v, d: fmt.number(v, d, lang)  # noqa: E731
    key = "score.how_all" if parts["computable"] == parts["scored"] else "score.how"
    return text(key, lang, earned=n(parts["earned"], 2), available=n(parts["available"], 0),
                       scale=n(parts["scale"], 0), score=n(parts["score"], 1), computable=parts["computable"],
                       scored=parts["scored"], full=n(parts["full"], 0))


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
        return text("age.later", lang)
    y, m = divmod(int(months), 12)
    key = "age.ym" if y and m else "age.y" if y else "age.m"
    return text(key, lang, y=y, m=m)


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


SCOPE_ORDER = ("unit", "level", "field", "procedure", "channel", "lens")


def scope_words(scope: dict, lang: str = "vi") -> str:
    """The scope of a review (reform.review.build's `scope`) in words, no raw codes: "Đơn vị: UBND xã
    Tân Thành (10570) · Kênh tiếp nhận: Trực tuyến", or "Toàn tỉnh" with no filter."""
    parts = []
    for k in SCOPE_ORDER:
        v = scope.get(k)
        if v is None:
            continue
        shown = text(f"{k}.{v}", lang) if k in ("level", "channel", "lens") else str(v)   # names from text.toml
        label = text("filters.lens" if k == "lens" else f"filters.{k}", lang)
        parts.append(f"{label}: {shown}")
    return " · ".join(parts) or text("pack.province", lang)
