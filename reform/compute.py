"""KPI values for any period, filter and grouping: counts come from SQL (queries/), ratios and the
score are derived here from the catalogue, always from summed counts (never averaged ratios)."""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

import queries
from reform import catalogue as cat
from reform import kept
from reform.periods import Period, parse_first

# by="unit": each unit's own dossiers; by="peer": each ranking unit with the units under it at its level
# (a department with its branches), the scope (unit, level) its row opens (reform/sql/scope.sql)
GROUP_KEYS = {"level": "level", "unit": "unit_code", "peer": "unit_code", "procedure": "procedure_code",
              "field": "field"}
TIME_GROUPS = ("month", "quarter", "year")
LENSES = (None, "recorded", "restated")  # as recorded (default) or restated to today's units
COMPUTED_KINDS = ("count", "ratio", "mean")  # "score" comes after them; "reported" is imported, not computed


def count_columns(con: duckdb.DuckDBPyConnection, period: Period, *, by: str | None = None,
                  bucket: str | None = None, procedure_kpis: bool = True, lens: str | None = None, level=None,
                  unit=None, field=None, procedure=None, channel=None) -> dict[str, list | np.ndarray]:
    """Every count column of both count queries, one entry per (bucket, group): b_start and grp as
    lists, the counts as numpy arrays (0 where absent); sorted by bucket, then group (no group first).
    procedure_kpis=False skips the procedure counts (queries/procedure_counts.sql: their columns are then
    NaN and C-KPIs have no value), e.g. for trend charts. lens="restated" counts every dossier under
    today's units (kpi_counts.sql): counts may be fractions."""
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
    with_procedures = procedure_kpis and by not in ("unit", "peer")  # procedures are not attached to units
    if kept.holds(con, period, by, bucket, lens, dict(level=level, unit=unit, field=field, procedure=procedure,
                                                      channel=channel)):
        # both queries' rows, kept per quarter, joined and in order (reform/kept.py): one statement
        sources = [queries.columns(con, "kept_counts", procedure_kpis=with_procedures, **params)]
        keyed = [(list(zip(_days(sources[0]["b_start"]), sources[0]["grp"].tolist())), sources[0])]
        keys = keyed[0][0]
    else:
        sources = [queries.columns(con, name, **params)
                   for name in ("kpi_counts", "procedure_counts")[:2 if with_procedures else 1]]
        keyed = [(list(zip(_days(s["b_start"]), s["grp"].tolist())), s) for s in sources]
        # no group first, then groups in text order (the order every chart and table shows)
        keys = sorted({k for ks, _ in keyed for k in ks}, key=lambda k: (k[0], k[1] is not None, str(k[1] or "")))
    if not keys and by is None and bucket is None:  # nothing at all matches: every count is 0
        keys = [(period.start, None)]
    at = {k: i for i, k in enumerate(keys)}
    n = len(keys)
    out: dict = {"b_start": [k[0] for k in keys], "grp": [k[1] for k in keys]}
    for ks, s in keyed:
        same = ks is keys   # the kept rows: already one per key, in order
        rows = None if same else np.fromiter((at[k] for k in ks), dtype=np.intp, count=len(ks))
        for c, v in s.items():
            if c in KEYS:
                continue
            if same:
                out[c] = v
            else:
                out.setdefault(c, np.full(n, np.nan))[rows] = v
    procedure_columns = _columns("procedures")
    for c in (_columns("dossiers") | procedure_columns | out.keys()) - KEYS - {"approximate"}:
        out[c] = _counts(out[c]) if c in out else np.zeros(n, dtype=np.int64)
    if "approximate" in out:
        out["approximate"] = np.nan_to_num(out["approximate"], nan=0.0).astype(bool)
    if not with_procedures:
        for c in procedure_columns:
            out[c] = np.full(n, np.nan)
    return out


KEYS = {"b_start", "grp"}


def _days(v: np.ndarray) -> list:
    return v.astype("datetime64[D]").tolist()


def _counts(v: np.ndarray) -> np.ndarray:
    """Counts as ints; restated sums of weights that are fractions stay floats, with their float noise
    (1937.0000000000005) rounded off; absent = 0."""
    f = np.round(np.nan_to_num(v.astype(float), nan=0.0), 9)
    return f.astype(np.int64) if np.all(f == np.round(f)) else f


def count_rows(con: duckdb.DuckDBPyConnection, period: Period, **kw) -> list[dict]:
    """count_columns as dicts (None where a count has no value)."""
    columns = count_columns(con, period, **kw)
    return _records(columns, columns.keys() - KEYS)


def counts(con: duckdb.DuckDBPyConnection, period: Period, **kw) -> pd.DataFrame:
    """count_columns as a DataFrame (the review and the tests read it this way)."""
    return pd.DataFrame(count_columns(con, period, **kw))


def _records(columns: dict, whole: frozenset[str] | set[str] = frozenset()) -> list[dict]:
    """Columns as one dict per row of Python values, NaN as None; in the `whole` columns (counts that
    restated may make fractions), whole numbers as ints, as a count of whole dossiers reads."""
    names = list(columns)
    return [dict(zip(names, row)) for row in zip(*(_plain(columns[c], c in whole) for c in names))]


def _plain(v, whole: bool) -> list:
    if not isinstance(v, np.ndarray):
        return list(v)
    if v.dtype.kind != "f":
        return v.tolist()
    if whole and not np.array_equal(v, np.round(v), equal_nan=True):
        return [None if x != x else int(x) if x.is_integer() else x for x in v.tolist()]
    missing = np.isnan(v)
    if whole:   # every value a whole number: ints
        return v.astype(np.int64).tolist() if not missing.any() else \
            [None if m else x for x, m in zip(np.nan_to_num(v).astype(np.int64).tolist(), missing.tolist())]
    if not missing.any():
        return v.tolist()
    out = v.astype(object)
    out[missing] = None
    return out.tolist()


def _columns(source: str) -> set[str]:
    """The count columns that the catalogue's KPIs of one source read."""
    return {c for k in cat.load().kpis.values() if k.source == source
            for c in ((k.count,) if k.count else k.numerator + k.denominator)}


def unit_level(con: duckdb.DuckDBPyConnection, unit: str) -> str | None:
    row = queries.run(con, "unit_info", unit=unit)
    return None if row.empty else row.at[0, "level"]


def values(counts: dict, catalogue: cat.Catalogue | None = None) -> dict[str, np.ndarray]:
    """Every computed KPI (count, ratio, mean) for each entry of count columns (count_columns): a count
    is its column; a ratio or mean Σ numerator / Σ denominator, no value (NaN) where the denominator is 0
    or a count it reads has none."""
    catalogue = catalogue or cat.load()
    n = len(counts["grp"]) if "grp" in counts else len(next(iter(counts.values())))
    out = {}
    for code, k in catalogue.kpis.items():
        if k.kind == "count":
            out[code] = counts[k.count] if k.count in counts else np.full(n, np.nan)
        elif k.kind in COMPUTED_KINDS:
            num = sum(np.asarray(counts[c], dtype=float) for c in k.numerator)
            den = sum(np.asarray(counts[c], dtype=float) for c in k.denominator)
            with np.errstate(divide="ignore", invalid="ignore"):
                out[code] = np.where(den != 0, num / den, np.nan)
    return out


def _points(kpi: cat.Kpi, value):
    """Decision 766 points: Pmax·min(1, value/threshold), for one value or a column of them."""
    return kpi.points * np.minimum(1.0, value / kpi.threshold)


def points(kpi: cat.Kpi, value) -> float | None:
    """A KPI's Decision 766 points; None without points or value."""
    if not kpi.points or value is None or value is pd.NA or value != value:
        return None
    return float(_points(kpi, value))


def scores(values_: dict, catalogue: cat.Catalogue) -> dict[str, np.ndarray]:
    """The score of each entry as a council member redoes it: earned = Σ points over the computable KPIs
    (those with points and a value), available = Σ their Pmax, full = Σ Pmax of all scored KPIs, scale
    (100), score = earned × scale / available (NaN when nothing is computable)."""
    scored = [k for k in catalogue.kpis.values() if k.points]
    n = len(next(iter(values_.values())))
    earned, available, computable = np.zeros(n), np.zeros(n), np.zeros(n, dtype=np.int64)
    for k in scored:
        v = np.asarray(values_[k.code], dtype=float) if k.code in values_ else np.full(n, np.nan)
        has = ~np.isnan(v)
        earned += np.where(has, _points(k, np.where(has, v, 0.0)), 0.0)
        available += np.where(has, k.points, 0.0)
        computable += has
    with np.errstate(divide="ignore", invalid="ignore"):
        score_ = np.where(available != 0, catalogue.score_scale * earned / available, np.nan)
    return dict(earned=earned, available=available, full=np.full(n, float(sum(k.points for k in scored))),
                scale=np.full(n, float(catalogue.score_scale)), computable=computable,
                scored=np.full(n, len(scored)), score=score_)


def score_parts(values_: dict, catalogue: cat.Catalogue) -> dict:
    """scores for one set of values {code: value} (None = no value), as Python numbers (score None
    when nothing is computable)."""
    one = {c: np.array([np.nan if v is None or v is pd.NA else v], dtype=float) for c, v in values_.items()}
    return _records(scores(one or {"": np.zeros(1)}, catalogue))[0]


def score(values_: dict, catalogue: cat.Catalogue) -> float | None:
    """SCORE (DESIGN §5): Σ Pmax·min(1, R/T) over the computable KPIs, renormalised to 100."""
    return score_parts(values_, catalogue)["score"]


def kpis(con: duckdb.DuckDBPyConnection, period: Period, *, by: str | None = None, bucket: str | None = None,
         procedure_kpis: bool = True, **filters) -> list[dict]:
    """A list of {group keys: ..., <every KPI code>: value}; counts int, ratios in [0, 1], None = no data.
    Group keys: the bucket's period code under "month"/"quarter"/"year", and level / unit_code /
    procedure_code / field for `by`. by="quarter" (a time grouping) means bucket="quarter"."""
    if by in TIME_GROUPS and bucket is None:
        by, bucket = None, by
    kpi_catalogue = cat.load()
    counts_ = count_columns(con, period, by=by, bucket=bucket, procedure_kpis=procedure_kpis, **filters)
    out: dict = {}
    if bucket:
        out[bucket] = [parse_first(d, bucket).code for d in counts_["b_start"]]
    if by:
        out[GROUP_KEYS[by]] = counts_["grp"]
    vals = values(counts_, kpi_catalogue)
    vals["SCORE"] = scores(vals, kpi_catalogue)["score"]
    out.update(vals)
    if filters.get("lens") == "restated":   # how much of the row rests on a split's weights
        n = len(counts_["grp"])
        out["approximate"] = counts_.get("approximate", np.zeros(n, dtype=bool))
        f01 = np.asarray(counts_["F01"], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["approx_share"] = np.where(f01 != 0, counts_.get("F01_approx", np.zeros(n)) / f01, np.nan)
    return _records(out, {c for c, k in kpi_catalogue.kpis.items() if k.kind == "count"})


def idle(procedure_rows: list[dict]) -> list[str]:
    """The procedures in force at the period's end that received no dossier in it under the scope: of
    kpis(..., by="procedure"), those counted in C01 and not in C07's numerator (so never more than C01)."""
    return [r["procedure_code"] for r in procedure_rows if (r["C01"] or 0) > 0 and r["C07"] == 0]


def compared(kpis_of, period: Period, **filters) -> tuple[dict, dict | None, dict | None]:
    """The KPIs of a period, the previous one and the same one last year, from one call over the periods
    between them (a period with nothing to report there is asked for alone). `kpis_of(code, **kw)` is
    kpis() on a connection, or the dashboard's cached copy of it (ui/fetch.py)."""
    if period.parts:  # a range has no previous period
        return kpis_of(period.code, **filters)[0], None, None
    prev, last_year = period.previous(), period.same_last_year()
    rows = {r[period.kind]: r for r in kpis_of(f"{last_year.code}:{period.code}", bucket=period.kind, **filters)}
    pick = [rows.get(p.code) or kpis_of(p.code, **filters)[0] for p in (period, prev, last_year)]
    return pick[0], pick[1], pick[2]
