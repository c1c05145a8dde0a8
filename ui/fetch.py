"""The dashboard's reads: KPIs, trends and named queries of the current database file, each cached per
file version and arguments (ui/cache.py). Pages ask here; the rules live in reform/ and queries/."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from reform import brief as brief_
from reform import catalogue, compute, data_range, forecast, kept, periods, review, signals
from reform.lookups import LEVELS
from ui import access, database
from ui.cache import per_file


@per_file(max_entries=512)
def kpis(period_code: str, by: str | None = None, bucket: str | None = None, procedure_kpis: bool = True,
         **filters) -> list[dict]:
    """compute.kpis for the current file."""
    return compute.kpis(database.reader(), periods.parse(period_code), by=by, bucket=bucket,
                        procedure_kpis=procedure_kpis, **filters)


def kpi_row(period_code: str, **filters) -> dict:
    return kpis(period_code, **filters)[0]


def compared(period: periods.Period, **filters) -> tuple[dict, dict | None, dict | None]:
    """The KPIs of a period, the previous one and the same one last year (reform.compute.compared)."""
    return compute.compared(kpis, period, **filters)


@per_file(max_entries=64)
def query(name: str, **params) -> pd.DataFrame:
    """A named query for the current file (copy the frame before changing it)."""
    return database.run(name, **params)


def bounds() -> tuple[dt.date, dt.date] | None:
    """First and last month with dossiers; None for an empty database."""
    b = query("period_bounds")
    if b.empty or pd.isna(b.at[0, "first_month"]):
        return None
    return pd.Timestamp(b.at[0, "first_month"]).date(), pd.Timestamp(b.at[0, "last_month"]).date()


def period_options(grain: str) -> list[str]:
    """Every period code of one grain with data, newest first (the command line's rule, data_range)."""
    return data_range.codes(grain, bounds())


def latest_quarter() -> str | None:
    """The quarter of the latest dossier, the default view; None for an empty database."""
    b = bounds()
    return None if b is None else periods.quarter_of(b[1]).code


def stock_day(period: periods.Period) -> dt.date:
    """The day stocks are read for a period (the SQL macro stock_day: its end, or the end of the data)."""
    return pd.Timestamp(query("stock_day", p_end=period.end).at[0, "day"]).date()


def stale_since() -> tuple[dt.date, int] | None:
    """(the newest dossier's day, days since) when the one-stop export has stopped arriving, else None."""
    info = query("data_info")
    last = None if info.empty or pd.isna(info.at[0, "last_received"]) else pd.Timestamp(info.at[0, "last_received"]).date()
    return database.stale_since(last)


def units() -> pd.DataFrame:
    return query("unit_list")


def in_operation(units: pd.DataFrame, first: dt.date | None, last: dt.date | None) -> pd.Series:
    """Which units were in operation on some day of first..last; with no dates, which are today
    (no end date): the unit picker's choice by period and lens."""
    start = pd.to_datetime(units["valid_from"])
    end = pd.to_datetime(units["valid_to"])
    if first is None:
        return end.isna()
    return (start.isna() | (start <= pd.Timestamp(last))) & (end.isna() | (end >= pd.Timestamp(first)))


@per_file(max_entries=64)
def current_day(period_code: str) -> dt.date | None:
    """kept.current_day: the stock day when the period is the data's current one, else None."""
    return kept.current_day(database.reader(), periods.parse(period_code))


@per_file(max_entries=64)
def at_risk(due_days: int, **filters) -> pd.DataFrame:
    """kept.at_risk (what is coming due, by unit) for the current file (copy before changing it)."""
    return kept.at_risk(database.reader(), due_days, **filters)


@per_file(max_entries=64)
def signals_of(quarter_code: str, **filters) -> list:
    """reform.signals.find for the current file: what moved outside its own control limits in the
    scope's quarter, worse first (from the kept quarters when the scope is the province or a level)."""
    b = bounds()
    return [] if b is None else signals.find(database.reader(), periods.parse(quarter_code), first_month=b[0], **filters)


@per_file(max_entries=32)
def forecast_of(lens: str, **where) -> forecast.Forecast | None:
    """reform.forecast for a level or a unit of the current file (seconds: cached per file)."""
    return forecast.forecast(forecast.series(database.reader(), lens=lens, **where))


def procedures() -> pd.DataFrame:
    return query("procedure_list")


def idle_procedures(procedure_rows: list[dict]) -> pd.DataFrame:
    """compute.idle of a view's by-procedure KPIs, with each procedure's catalogue entry, by level,
    field and code."""
    codes = set(compute.idle(procedure_rows))
    listed = procedures()
    idle = listed[listed["procedure_code"].isin(codes)]
    return in_level_order(idle[["procedure_code", "name", "field", "level", "online_level", "legal_days"]],
                          "field", "procedure_code").reset_index(drop=True)


def dossier_page(set_code: str, period: periods.Period, filters: dict, sort: str, limit: int,
                 offset: int, due_days: int, cached: bool = True) -> pd.DataFrame:
    """One page of the dossiers behind a count (never the whole set); due_days: the DUE set's horizon
    in working days; an export (cached=False) is read once and not kept in the cache."""
    if set_code not in catalogue.load().record_sets:
        raise ValueError(f"unknown dossier set {set_code!r}")
    params = dict(set=set_code, p_start=period.start, p_end=period.end, sort=sort, limit=limit, offset=offset,
                  due_days=due_days, **filters)
    return query("dossier_list", **params) if cached else database.run("dossier_list", **params)


def frame(rows: list[dict], time_key: str | None = None, lang: str = "vi") -> pd.DataFrame:
    """compute.kpis rows as a DataFrame; for a time grouping also each period's label and first day."""
    df = pd.DataFrame(rows)
    if time_key and not df.empty:
        ps = [periods.parse(c) for c in df[time_key]]
        df["label"] = [p.label(lang) for p in ps]
        df["period_start"] = [p.start for p in ps]
    return df


def trend(scope, by_level: bool = True) -> pd.DataFrame:
    """The dossier KPIs of every period in the trend range: one row per period, or per level and period
    (no procedure KPIs: no trend chart shows them, and they are most of the cost)."""
    return _trend(scope.trend, scope.grain, scope.lang, by_level, **scope.filters())


@per_file(max_entries=256)
def _trend(trend_range: str, grain: str, lang: str, by_level: bool, **filters) -> pd.DataFrame:
    # kept as the frame: labelling a few hundred periods is more work than the cached query
    rows = kpis(trend_range, by="level" if by_level else None, bucket=grain, procedure_kpis=False, **filters)
    df = frame(rows, grain, lang)
    if not by_level or df.empty:
        return df
    # a level's line ends with its last period in operation (the district level on 30/6/2025): its units'
    # dossiers finished after that still count in the totals and on each unit's page
    ends = level_ends()
    last = df["level"].map(lambda lv: ends.get(lv))
    keep = last.isna() | (pd.to_datetime(df["period_start"]) <= pd.to_datetime(last))
    return in_level_order(df[keep], "period_start")


def level_ends() -> dict[str, dt.date]:
    """The last day of each level whose units all closed (none open-ended), e.g. district: 30/6/2025."""
    u = units()
    ends = {}
    for lv, g in u.groupby("level"):
        if g["valid_to"].notna().all():
            ends[lv] = pd.Timestamp(g["valid_to"].max()).date()
    return ends


def in_level_order(df: pd.DataFrame, *then: str) -> pd.DataFrame:
    """Rows with a level column in the order province, district, commune, unassigned (legends, bars)."""
    if df.empty:
        return df
    order = {lv: i for i, lv in enumerate(LEVELS)}
    return df.sort_values(["level", *then], key=lambda s: s.map(order) if s.name == "level" else s)


def unit_names() -> dict[str, str]:
    """Code -> name of every unit (shared, read-only)."""
    return _names("unit_list", "unit_code")


def procedure_names() -> dict[str, str]:
    """Code -> name of every procedure (shared, read-only)."""
    return _names("procedure_list", "procedure_code")


@per_file(max_entries=8, shared=True)
def _names(name: str, key: str) -> dict[str, str]:
    df = query(name)
    return dict(zip(df[key], df["name"]))


def pack(period_code: str, lang: str, **filters) -> dict:
    """The council review (reform.review.build) for the current file."""
    if access.account_unit() and not filters.get("unit"):   # a scoped account's pack is titled with its unit
        filters["unit"] = access.account_unit()
    return _pack(period_code, lang, **filters)


@per_file(max_entries=64)
def _pack(period_code: str, lang: str, **filters) -> dict:
    return review.build(database.reader(), periods.parse(period_code), lang=lang, **filters)


def brief(period_code: str, lang: str, **filters) -> dict:
    """The one-page brief's data (reform.brief.build) for the current file; a scoped account's is its unit's."""
    if access.account_unit() and not filters.get("unit"):
        filters["unit"] = access.account_unit()
    return _brief(period_code, lang, **filters)


@per_file(max_entries=16)
def _brief(period_code: str, lang: str, **filters) -> dict:
    return brief_.build(database.reader(), periods.parse(period_code), lang, **filters)
