"""KPI values for any period, filter and grouping: counts come from SQL (queries/), ratios and the
score are derived here from the catalogue, always from summed counts (never averaged ratios)."""
from __future__ import annotations

import math

import duckdb
import pandas as pd

import queries
from reform import catalogue as cat
from reform.periods import Period, parse_first

# by="unit": each unit's own dossiers; by="peer": each ranking unit with the units under it at its level
# (a department with its branches), the scope (unit, level) its row opens (reform/sql/scope.sql)
GROUP_KEYS = {"level": "level", "unit": "unit_code", "peer": "unit_code", "procedure": "procedure_code",
              "field": "field"}
TIME_GROUPS = ("month", "quarter", "year")
LENSES = (None, "recorded", "restated")  # as recorded (default) or restated to today's units
COMPUTED_KINDS = ("count", "ratio", "mean")  # "score" comes after them; "reported" is imported, not computed


def count_rows(con: duckdb.DuckDBPyConnection, period: Period, *, by: str | None = None,
               bucket: str | None = None, procedure_kpis: bool = True, lens: str | None = None, level=None,
               unit=None, field=None, procedure=None, channel=None) -> list[dict]:
    """One dict per (bucket, group) with every count column of both count queries (0 where absent),
    keys b_start and grp; sorted by bucket, then group (no group first). procedure_kpis=False skips the
    procedure counts (queries/procedure_counts.sql: C-KPIs then have no value), e.g. for trend charts.
    lens="restated" counts every dossier under today's units (kpi_counts.sql): counts may be fractions."""
    if lens not in LENSES:
        raise ValueError(f"unknown lens {lens!r}")
    if by in TIME_GROUPS and bucket is None:  # by="quarter" is the quarters of the period
        by, bucket = None, by
    if by is not None and by not in GROUP_KEYS:
        raise ValueError(f"unknown grouping {by!r}")
    if bucket is not None and bucket not in TIME_GROUPS:
        raise ValueError(f"unknown time bucket {bucket!r}")
    params = dict(p_start=period.start, p_last=period.last_month, by=by, bucket=bucket, level=level, unit=unit,
                  field=field, procedure=procedure, channel=channel, lens=lens)
    merged: dict[tuple, dict] = {}
    with_procedures = procedure_kpis and by not in ("unit", "peer")  # procedures are not attached to units
    sources = [queries.rows(con, "kpi_counts", **params)]
    if with_procedures:
        sources.append(queries.rows(con, "procedure_counts", **params))
    for rows in sources:
        for r in rows:
            merged.setdefault((r["b_start"], r["grp"]), {}).update(r)
    if not merged and by is None and bucket is None:  # nothing at all matches: every count is 0
        merged[(period.start, None)] = {"b_start": period.start, "grp": None}
    columns = _columns("dossiers") | (_columns("procedures") if with_procedures else set())
    out = []
    for key in sorted(merged, key=lambda k: (k[0], k[1] is not None, k[1] or "")):
        row = merged[key]
        for c in columns | (row.keys() - {"b_start", "grp"}):
            row[c] = _count(row.get(c))
        if not with_procedures:
            for c in _columns("procedures"):
                row[c] = None
        out.append(row)
    return out


def _count(v) -> int | float | bool:
    """A count as an int; a restated count that is a fraction stays a float; flags stay flags."""
    if v is None or v is pd.NA:
        return 0
    if isinstance(v, bool):
        return v
    f = round(float(v), 9)   # restated sums of weights carry float noise (1937.0000000000005)
    return int(f) if f.is_integer() else f


def counts(con: duckdb.DuckDBPyConnection, period: Period, **kw) -> pd.DataFrame:
    """count_rows as a DataFrame (the review and the tests read it this way)."""
    return pd.DataFrame(count_rows(con, period, **kw))


def _columns(source: str) -> set[str]:
    """The count columns that the catalogue's KPIs of one source read."""
    return {c for k in cat.load().kpis.values() if k.source == source
            for c in ((k.count,) if k.count else k.numerator + k.denominator)}


def unit_level(con: duckdb.DuckDBPyConnection, unit: str) -> str | None:
    row = queries.run(con, "unit_info", unit=unit)
    return None if row.empty else row.at[0, "level"]


def value(kpi: cat.Kpi, row: dict) -> float | int | None:
    if kpi.kind == "count":
        v = row.get(kpi.count)
        return None if v is None or v is pd.NA else v
    num = [row.get(c) for c in kpi.numerator]
    den = [row.get(c) for c in kpi.denominator]
    if any(v is None or v is pd.NA for v in num + den):
        return None
    d = sum(den)
    return None if d == 0 else sum(num) / d


def points(kpi: cat.Kpi, value) -> float | None:
    """A KPI's Decision 766 points: Pmax·min(1, value/threshold); None without points or value."""
    if not kpi.points or value is None or value is pd.NA:
        return None
    return kpi.points * min(1.0, value / kpi.threshold)


def score_parts(values: dict, catalogue: cat.Catalogue) -> dict:
    """The score as a council member redoes it: earned = Σ points over the computable KPIs (those with
    points and a value), available = Σ their Pmax, full = Σ Pmax of all scored KPIs, scale (100),
    score = earned × scale / available (None when nothing is computable)."""
    scored = [(k, points(k, values.get(c))) for c, k in catalogue.kpis.items() if k.points]
    got = [(k.points, p) for k, p in scored if p is not None]
    earned, available = sum(p for _, p in got), sum(m for m, _ in got)
    return dict(earned=earned, available=available, full=sum(k.points for k, _ in scored),
                scale=catalogue.score_scale, computable=len(got), scored=len(scored),
                score=None if available == 0 else catalogue.score_scale * earned / available)


def score(values: dict, catalogue: cat.Catalogue) -> float | None:
    """SCORE (DESIGN §5): Σ Pmax·min(1, R/T) over the computable KPIs, renormalised to 100."""
    return score_parts(values, catalogue)["score"]


def kpis(con: duckdb.DuckDBPyConnection, period: Period, *, by: str | None = None, bucket: str | None = None,
         procedure_kpis: bool = True, **filters) -> list[dict]:
    """A list of {group keys: ..., <every KPI code>: value}; counts int, ratios in [0, 1], None = no data.
    Group keys: the bucket's period code under "month"/"quarter"/"year", and level / unit_code /
    procedure_code / field for `by`. by="quarter" (a time grouping) means bucket="quarter"."""
    if by in TIME_GROUPS and bucket is None:
        by, bucket = None, by
    kpi_catalogue = cat.load()
    out = []
    for row in count_rows(con, period, by=by, bucket=bucket, procedure_kpis=procedure_kpis, **filters):
        item: dict = {}
        if bucket:
            item[bucket] = parse_first(pd.Timestamp(row["b_start"]).date(), bucket).code
        if by:
            item[GROUP_KEYS[by]] = None if _missing(row["grp"]) else row["grp"]
        values = {code: value(k, row) for code, k in kpi_catalogue.kpis.items() if k.kind in COMPUTED_KINDS}
        values["SCORE"] = score(values, kpi_catalogue)
        item.update(values)
        if filters.get("lens") == "restated":   # how much of the row rests on a split's weights
            item["approximate"] = bool(row.get("approximate"))
            item["approx_share"] = row["F01_approx"] / row["F01"] if row.get("F01") else None
        out.append(item)
    return out


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
