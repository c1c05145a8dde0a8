"""KPI values for any period, filter and grouping: counts come from SQL (queries/), ratios and the
score are derived here from the catalogue, always from summed counts (never averaged ratios)."""
from __future__ import annotations

import math

import duckdb
import pandas as pd

import queries
from reform import catalogue as cat
from reform.periods import Period, parse_first

GROUP_KEYS = {"level": "level", "unit": "unit_code", "procedure": "procedure_code", "field": "field",
              "month": "month", "quarter": "quarter",
              "year": "year"}
TIME_GROUPS = ("month", "quarter", "year")
COMPUTED_KINDS = ("count", "ratio", "mean")  # "score" comes after them; "reported" is imported, not computed


def counts(con: duckdb.DuckDBPyConnection, period: Period, *, by: str | None = None, level=None, unit=None,
           field=None, procedure=None, channel=None) -> pd.DataFrame:
    """One row per group with every count column of both count queries (zeros where absent)."""
    if by is not None and by not in GROUP_KEYS:
        raise ValueError(f"unknown grouping {by!r}")
    params = dict(p_start=period.start, p_last=period.last_month, by=by, level=level, unit=unit, field=field,
                  procedure=procedure, channel=channel)
    dossiers = queries.run(con, "kpi_counts", **params)
    if by == "unit":
        procs = None  # procedures are not attached to units: C-KPIs have no per-unit value
    else:
        if unit is not None and level is None:  # a unit's procedures are those of its level
            params["level"] = unit_level(con, unit)
        procs = queries.run(con, "catalogue_counts", **params)
    keys = ["b_start", "grp"]
    for frame in (dossiers, procs):
        if frame is not None:  # an empty Arrow-backed string column cannot be merged
            frame["grp"] = frame["grp"].astype(object)
    if procs is None:
        merged = dossiers
    else:
        merged = dossiers.merge(procs, on=keys, how="outer")
    if merged.empty and by is None:  # nothing at all matches: every count is 0
        merged = pd.DataFrame([{**dict.fromkeys(merged.columns, 0), "b_start": pd.Timestamp(period.start), "grp": None}])
    count_cols = [c for c in merged.columns if c not in keys]
    merged[count_cols] = merged[count_cols].fillna(0).astype("int64")
    if procs is None:
        for c in _columns("procedures"):
            merged[c] = pd.NA
    return merged.sort_values(keys, na_position="first").reset_index(drop=True)


def _columns(source: str) -> set[str]:
    """The count columns that the catalogue's KPIs of one source read."""
    return {c for k in cat.load().kpis.values() if k.source == source
            for c in ((k.count,) if k.count else k.numerator + k.denominator)}


def unit_level(con: duckdb.DuckDBPyConnection, unit: str) -> str | None:
    row = queries.run(con, "unit_info", unit=unit)
    return None if row.empty else row.at[0, "level"]


def _value(kpi: cat.Kpi, row: dict) -> float | int | None:
    if kpi.kind == "count":
        v = row.get(kpi.count)
        return None if v is None or v is pd.NA else int(v)
    num = [row.get(c) for c in kpi.numerator]
    den = [row.get(c) for c in kpi.denominator]
    if any(v is None or v is pd.NA for v in num + den):
        return None
    d = sum(den)
    return None if d == 0 else sum(num) / d


def score(values: dict, catalogue: cat.Catalogue) -> float | None:
    """Σ points·min(1, value/threshold) over the KPIs with points and a value, renormalised."""
    got = [(k.points, min(1.0, values[c] / k.threshold)) for c, k in catalogue.kpis.items()
           if k.points and values.get(c) is not None]
    total = sum(p for p, _ in got)
    return None if total == 0 else catalogue.score_scale * sum(p * r for p, r in got) / total


def kpis(con: duckdb.DuckDBPyConnection, period: Period, *, by: str | None = None, **filters) -> list[dict]:
    """A list of {group key: ..., <every KPI code>: value}; counts int, ratios in [0, 1], None = no data."""
    catalogue = cat.load()
    out = []
    for row in counts(con, period, by=by, **filters).to_dict("records"):
        item: dict = {}
        if by in TIME_GROUPS:
            item[GROUP_KEYS[by]] = parse_first(pd.Timestamp(row["b_start"]).date(), by).code
        elif by:
            item[GROUP_KEYS[by]] = None if _missing(row["grp"]) else row["grp"]
        values = {code: _value(k, row) for code, k in catalogue.kpis.items() if k.kind in COMPUTED_KINDS}
        values["SCORE"] = score(values, catalogue)
        item.update(values)
        out.append(item)
    return out


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
