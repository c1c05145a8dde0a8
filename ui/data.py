"""The dashboard's access to the database: built on first run (with progress), opened read-only,
one cursor per query, results cached by their parameters."""
from __future__ import annotations

import streamlit as st

from reform import compute, db, generate, periods


def ensure_database() -> None:
    """Build the sample database when the configured one is missing (first run)."""
    path = db.db_path()
    if path.exists():
        return
    with st.status("Đang tạo cơ sở dữ liệu mẫu lần đầu… / Building the sample database (first run)…",
                   expanded=True) as status:
        generate.generate(path, progress=status.write)
        status.update(label="Đã tạo xong / Ready", state="complete", expanded=False)


@st.cache_resource
def connection():
    return db.connect_read_only(db.db_path())


@st.cache_data(max_entries=256, show_spinner=False)
def kpis(period_code: str, by: str | None = None, **filters) -> list[dict]:
    return compute.kpis(connection(), periods.parse(period_code), by=by, **filters)
