"""The dashboard's access to the database: built on first run (with progress), opened read-only,
one cursor per query, results cached by their parameters."""
from __future__ import annotations

import os
import threading

import pandas as pd
import streamlit as st

import queries
from reform import compute, db, generate, periods

_build_lock = threading.Lock()  # two sessions opening on first run build it once


def ensure_database() -> None:
    """Build the sample database when the configured one is missing (first run)."""
    path = db.db_path()
    if path.exists():
        return
    with _build_lock:
        if not path.exists():
            _build(path)


def _build(path) -> None:
    box = st.empty()  # the progress disappears once the pages can show the data
    with box.status("Đang tạo cơ sở dữ liệu mẫu lần đầu (khoảng một phút)… / "
                    "Building the sample database on first run (about a minute)…", expanded=True) as status:
        # REFORM_SAMPLE_SCALE (default 1) makes a smaller first-run sample, e.g. for tests
        generate.generate(path, scale=float(os.environ.get("REFORM_SAMPLE_SCALE", 1)), progress=status.write)
    box.empty()


@st.cache_resource
def connection():
    return db.connect_read_only(db.db_path())


@st.cache_data(max_entries=256, show_spinner=False)
def kpis(period_code: str, by: str | None = None, **filters) -> list[dict]:
    return compute.kpis(connection(), periods.parse(period_code), by=by, **filters)


@st.cache_data(show_spinner=False)
def latest_quarter() -> str | None:
    """The quarter of the latest dossier, the default view; None for an empty database."""
    info = queries.run(connection(), "data_info")
    last = None if info.empty else info.at[0, "last_month"]
    return None if last is None or pd.isna(last) else periods.quarter_of(pd.Timestamp(last).date()).code
