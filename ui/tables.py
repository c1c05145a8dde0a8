"""Tables with their downloads: every table shown can be saved as CSV and as Excel (text cells that a
spreadsheet would take for a formula neutralised: reform.safe.cells)."""
from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from reform import safe
from ui import twin
from ui.labels import TEXT, t


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            safe.cells(df).to_excel(writer, sheet_name=name[:31], index=False)
    return buf.getvalue()


def csv_bytes(df: pd.DataFrame) -> bytes:
    return safe.csv(df).encode("utf-8-sig")  # the BOM lets Excel read Vietnamese text


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel buttons for one table; the files are made only when clicked."""
    row = st.container(horizontal=True, gap="small")
    row.download_button(t("download.csv"), data=lambda: csv_bytes(df), file_name=f"{name}.csv", mime="text/csv",
                      key=f"{key}-csv", icon=":material/download:", on_click="ignore")
    row.download_button(t("download.xlsx"), data=lambda: xlsx_bytes({name: df}), file_name=f"{name}.xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      key=f"{key}-xlsx", icon=":material/download:", on_click="ignore")


def table(df: pd.DataFrame, name: str, key: str, *, column_config: dict | None = None, on_select=None,
          height: int | str = "auto", styler=None, data: pd.DataFrame | list | None = None):
    """A table with CSV/Excel downloads; on_select (a callback) makes a row click a drill-down. data: the
    same rows with codes and raw values (unit_code, KPI codes, fractions), for the JSON twin; without
    it the twin gets the shown frame."""
    twin.table(key, df if data is None else data)
    shown = styler if styler is not None else df
    config = {c: st.column_config.Column(t(f"col.{c}")) for c in df.columns if f"col.{c}" in TEXT}
    config.update(column_config or {})
    kwargs = dict(hide_index=True, width="stretch", column_config=config, key=key, height=height)
    if on_select is not None:
        event = st.dataframe(shown, on_select=on_select, selection_mode="single-row", **kwargs)
    else:
        event = st.dataframe(shown, **kwargs)
    downloads(df, name, key)
    return event
