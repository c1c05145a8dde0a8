"""The dashboard's access to the database: built on first run (with progress), read through a Reader
of the current file version (a new one after every import), results cached by their parameters.

Every cached function takes the file version as its first argument, so an import (a new file) is a
cache miss everywhere and nobody is served the old data after a refresh."""
from __future__ import annotations

import datetime as dt
import os
import threading

import pandas as pd
import streamlit as st

import queries
from reform import compute, data_range, db, generate, periods, report
from reform.safe import md
from ui import access
from ui.labels import t

LEVEL_ORDER = ("province", "district", "commune", "unassigned")
# the data is called stale when its newest dossier is older than this many days (REFORM_STALE_DAYS)
STALE_DAYS = 45
_build_lock = threading.Lock()  # two sessions opening on first run build it once
_reader_lock = threading.Lock()
_readers: dict[str, db.Reader] = {}
DOSSIER_SETS = ("F01", "F04d", "F04o", "F04p", "F02", "FIN", "F07", "F08", "F09", "F11i", "F11o", "F12",
                "F13r", "F13w", "F18")
# the dossiers behind each indicator: a count's own set; a ratio's denominator (the list shows the
# channel, outcome and rating that make the numerator); catalogue (C) indicators have none
RECORDS = {**{c: c for c in DOSSIER_SETS}, "F05": "F01", "D02": "F01", "D06": "F01", "F10": "FIN",
           "F15": "FIN", "D01": "FIN", "S01": "FIN"}


def ensure_database(stop_if_outdated: bool = True) -> None:
    """Build the sample database on first run, only at its own default path (a missing $REFORM_DB is
    a mistake to show, not a place to put the sample); stop with one message when the file is not a
    database of ours; say so when it is from an older version (and stop, except on the Data page,
    where an import rebuilds it)."""
    path = db.db_path()
    if os.path.exists(path):
        try:
            _identify(path, db.version(path))
        except db.DatabaseFileError as e:
            _stop(t(f"db.file.{e.kind}", path=path.name))
        missing = _missing(path, db.version(path))
        if missing:
            st.error(t("db.outdated", path=md(path.name), tables=", ".join(missing)), icon=":material/database:")
            if stop_if_outdated:
                st.stop()
        return
    if os.path.abspath(path) != os.path.abspath(db.DEFAULT_DB):
        _stop(t("db.missing", path=path.name))
    with _build_lock:
        if not path.exists():
            _build(path)


def _stop(message: str) -> None:
    st.error(message, icon=":material/database:")
    st.stop()


def is_sample() -> bool:
    """Whether the database served is the built-in synthetic sample (reform_meta, or its default path)."""
    path = db.db_path()
    return _identify(path, db.version(path))["sample"]


@st.cache_data(max_entries=8, show_spinner=False)
def _identify(path, ver) -> dict:
    return db.identify(os.path.realpath(path))


@st.cache_data(max_entries=8, show_spinner=False)
def _missing(path, ver) -> list[str]:
    return db.missing_tables(path)


def _build(path) -> None:
    from reform import fmt
    from ui.labels import lang
    started = dt.datetime.now()
    # every stage's line in the session's language, as it starts; then, folded, how long it took, above the
    # page while its first view is drawn (gone at the next rerun)
    with st.status(t("first_run"), expanded=True) as status:
        # REFORM_SAMPLE_SCALE (default 1) makes a smaller first-run sample, e.g. for tests
        generate.generate(path, scale=float(os.environ.get("REFORM_SAMPLE_SCALE", 1)), lang=lang(),
                          progress=lambda line: status.write(md(line.strip())))
        seconds = fmt.number((dt.datetime.now() - started).total_seconds(), 0, lang())
        status.update(label=t("first_run.done", seconds=seconds), state="complete", expanded=False)


def reader() -> db.Reader:
    """The Reader of the file as it is now, seen through this session's unit scope (one Reader per
    scope); a new one when an import has swapped the file. Its version, the first argument of every
    cached function, includes the scope."""
    path, scope = db.db_path(), access.scope()
    with _reader_lock:
        current = _readers.get((str(path), scope))
        if current is None or current.version[:2] != db.version(path):
            # the old Reader is dropped, not closed: queries still running on it finish on the old file
            current = _readers[(str(path), scope)] = db.Reader(path, scope)
        return current


def version() -> tuple:
    return reader().version


def _run(name: str, **params) -> pd.DataFrame:
    return queries.run(reader(), name, **params)


@st.cache_data(max_entries=512, show_spinner=False)
def _kpis(ver, period_code: str, by: str | None, bucket: str | None, catalogue: bool, filters: tuple) -> list[dict]:
    return compute.kpis(reader(), periods.parse(period_code), by=by, bucket=bucket, catalogue=catalogue,
                        **dict(filters))


def kpis(period_code: str, by: str | None = None, bucket: str | None = None, catalogue: bool = True,
         **filters) -> list[dict]:
    """compute.kpis for the current file, cached by (file version, period, grouping, filters)."""
    return _kpis(version(), period_code, by, bucket, catalogue, tuple(sorted(filters.items())))


def kpi_row(period_code: str, **filters) -> dict:
    return kpis(period_code, **filters)[0]


def compared(period: periods.Period, **filters) -> tuple[dict, dict | None, dict | None]:
    """The KPIs of a period, the previous one and the same one last year, from one query over the
    periods between them (a period with nothing to report there is asked for alone)."""
    if period.parts:  # a range has no previous period
        return kpi_row(period.code, **filters), None, None
    prev, last_year = period.previous(), period.same_last_year()
    rows = {r[period.kind]: r for r in kpis(f"{last_year.code}:{period.code}", bucket=period.kind, **filters)}
    pick = [rows.get(p.code) or kpi_row(p.code, **filters) for p in (period, prev, last_year)]
    return pick[0], pick[1], pick[2]


@st.cache_data(max_entries=64, show_spinner=False)
def _query(ver, name: str, params: tuple) -> pd.DataFrame:
    return _run(name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """A named query for the current file, cached by its parameters (copy before changing it)."""
    return _query(version(), name, tuple(sorted(params.items())))


def bounds() -> tuple[dt.date, dt.date] | None:
    """First and last month with dossiers; None for an empty database."""
    b = query("period_bounds")
    if b.empty or pd.isna(b.at[0, "first_month"]):
        return None
    return pd.Timestamp(b.at[0, "first_month"]).date(), pd.Timestamp(b.at[0, "last_month"]).date()


def period_options(grain: str) -> list[str]:
    """Every period code of one grain with data, newest first (the command line's rule, data_range)."""
    return data_range.codes(grain, bounds())


def stock_day(period: periods.Period) -> dt.date:
    """The day stocks are read for a period: its end, or the end of the last month with data."""
    b = bounds()
    if b is None or period.last_month <= b[1]:
        return period.end
    return periods.parse_first(b[1], "month").end


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


def procedures() -> pd.DataFrame:
    return query("procedure_list")


def dossier_page(set_code: str, period: periods.Period, filters: dict, sort: str, limit: int,
                 offset: int, cached: bool = True) -> pd.DataFrame:
    """One page of the dossiers behind a count (never the whole set); an export (cached=False) is
    read once and not kept in the cache."""
    if set_code not in DOSSIER_SETS:
        raise ValueError(f"unknown dossier set {set_code!r}")
    params = dict(set=set_code, p_start=period.start, p_end=period.end, s_day=stock_day(period), sort=sort,
                  limit=limit, offset=offset, **filters)
    return query("dossier_list", **params) if cached else _run("dossier_list", **params)


def stale_since() -> tuple[dt.date, int] | None:
    """(the newest dossier's day, days since then) when that is more than REFORM_STALE_DAYS days
    ago (default 45): the one-stop export has stopped arriving. None when fresh or empty."""
    info = query("data_info")
    if info.empty or pd.isna(info.at[0, "last_received"]):
        return None
    last = pd.Timestamp(info.at[0, "last_received"]).date()
    days = (dt.date.today() - last).days
    try:
        limit = int(os.environ.get("REFORM_STALE_DAYS", STALE_DAYS))
    except ValueError:
        limit = STALE_DAYS
    return (last, days) if days > limit else None


def latest_quarter() -> str | None:
    """The quarter of the latest dossier, the default view; None for an empty database."""
    b = bounds()
    return None if b is None else periods.quarter_of(b[1]).code


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
    (no catalogue KPIs: no trend chart shows them, and they are most of the cost)."""
    return _trend(version(), scope.trend, scope.grain, scope.lang, by_level, tuple(sorted(scope.filters().items())))


@st.cache_data(max_entries=256, show_spinner=False)
def _trend(ver, trend_range: str, grain: str, lang: str, by_level: bool, filters: tuple) -> pd.DataFrame:
    # kept as the frame: labelling a few hundred periods is more work than the cached query
    rows = kpis(trend_range, by="level" if by_level else None, bucket=grain, catalogue=False, **dict(filters))
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
    order = {lv: i for i, lv in enumerate(LEVEL_ORDER)}
    return df.sort_values(["level", *then], key=lambda s: s.map(order) if s.name == "level" else s)


def unit_names() -> dict[str, str]:
    """Code -> name of every unit (shared, read-only)."""
    return _names(version(), "unit_list", "unit_code")


def procedure_names() -> dict[str, str]:
    """Code -> name of every procedure (shared, read-only)."""
    return _names(version(), "procedure_list", "procedure_code")


@st.cache_resource(max_entries=8, show_spinner=False)
def _names(ver, name: str, key: str) -> dict[str, str]:
    df = query(name)
    return dict(zip(df[key], df["name"]))


@st.cache_data(max_entries=64, show_spinner=False)
def _pack(ver, period_code: str, lang: str, filters: tuple) -> dict:
    return report.build(reader(), periods.parse(period_code), lang=lang, **dict(filters))


def pack(period_code: str, lang: str, **filters) -> dict:
    """The council review (reform/report.py) for the current file, cached."""
    if access.scope() and not filters.get("unit"):   # a scoped account's pack is titled with its unit
        filters["unit"] = access.scope()
    return _pack(version(), period_code, lang, tuple(sorted(filters.items())))
