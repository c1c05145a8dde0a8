"""The dashboard's database: built on first run (with progress), checked to be a database of ours and of
this version, and read through one Reader per file version and account (a new one after every import).

version() is the key of every cached read (ui/cache.py): an import swaps in a new file, so every cache
misses and nobody is served the old data after a refresh."""
from __future__ import annotations

import datetime as dt
import os
import threading

import pandas as pd
import streamlit as st

import queries
from present import fmt, progress
from reform import db, generate
from reform.safe import md
from ui import access
from ui.labels import lang, t

# the data is called stale when its newest dossier is older than this many days (REFORM_STALE_DAYS)
STALE_DAYS = 45
_build_lock = threading.Lock()  # two sessions opening on first run build it once
_reader_lock = threading.Lock()
_readers: dict[tuple[str, str | None], db.Reader] = {}


def ensure(stop_if_outdated: bool = True) -> None:
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


# these two are keyed by (path, mtime) themselves: they run before a Reader may be opened
@st.cache_data(max_entries=8, show_spinner=False)
def _identify(path, ver) -> dict:
    return db.identify(os.path.realpath(path))


@st.cache_data(max_entries=8, show_spinner=False)
def _missing(path, ver) -> list[str]:
    return db.missing_tables(path)


def _build(path) -> None:
    started = dt.datetime.now()
    # every stage's line in the session's language, as it starts; then, folded, how long it took, above the
    # page while its first view is drawn (gone at the next rerun)
    with st.status(t("first_run"), expanded=True) as status:
        # REFORM_SAMPLE_SCALE (default 1) makes a smaller first-run sample, e.g. for tests
        generate.generate(path, scale=float(os.environ.get("REFORM_SAMPLE_SCALE", 1)),
                          progress=progress.to(lang(), lambda line: status.write(md(line.strip()))))
        seconds = fmt.number((dt.datetime.now() - started).total_seconds(), 0, lang())
        status.update(label=t("first_run.done", seconds=seconds), state="complete", expanded=False)


def reader() -> db.Reader:
    """The Reader of the file as it is now, seen through this session's account unit (one Reader per
    account unit); a new one when an import has swapped the file. Its version, the first argument of
    every cached read, includes the account unit."""
    path, unit = db.db_path(), access.account_unit()
    with _reader_lock:
        current = _readers.get((str(path), unit))
        if current is None or current.version[:2] != db.version(path):
            # the old Reader is dropped, not closed: queries still running on it finish on the old file
            current = _readers[(str(path), unit)] = db.Reader(path, unit)
        return current


def version() -> tuple:
    return reader().version


def run(name: str, **params) -> pd.DataFrame:
    """A named query on the current file, not cached (an export read once)."""
    return queries.run(reader(), name, **params)


def stale_since(last_received: dt.date | None) -> tuple[dt.date, int] | None:
    """(the newest dossier's day, days since then) when that is more than REFORM_STALE_DAYS days
    ago (default 45): the one-stop export has stopped arriving. None when fresh or empty."""
    if last_received is None:
        return None
    days = (dt.date.today() - last_received).days
    try:
        limit = int(os.environ.get("REFORM_STALE_DAYS", STALE_DAYS))
    except ValueError:
        limit = STALE_DAYS
    return (last_received, days) if days > limit else None
