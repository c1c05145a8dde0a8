"""The drill-down path province → level → unit → procedure → dossier list: a breadcrumb that shows
where the view is and steps back up, and the links that open the dossiers behind a count. Names and
codes in the breadcrumb are data: a button label is Markdown, so they go through reform.safe.md."""
from __future__ import annotations

import streamlit as st

from reform import catalogue
from reform.safe import md
from ui import access, fetch, filters, state
from ui.labels import t


def breadcrumb(scope: filters.Scope) -> None:
    root = access.account_unit()     # a scoped account's top is its own unit, not the province
    steps = [(fetch.unit_names().get(root, root) if root else t("drill.province"), ("level", "unit", "proc"))]
    if scope.level:
        steps.append((t(f"level.{scope.level}"), ("unit", "proc")))
    if scope.unit:
        steps.append((fetch.unit_names().get(scope.unit, scope.unit), ("proc",)))
    if scope.procedure:
        steps.append((scope.procedure, ()))
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        for i, (label, clears) in enumerate(steps):
            last = i == len(steps) - 1
            st.button(md(label), key=f"crumb-{i}", type="tertiary", disabled=last, on_click=filters.clear,
                      args=clears, icon=":material/home:" if i == 0 else None)
            if not last:
                st.markdown("›")


def records(code: str) -> str | None:
    """The dossier set behind an indicator (the catalogue's [records]), None when it has none."""
    return catalogue.load().records(code)


def open_list(set_code: str, label: str | None = None, key: str | None = None) -> None:
    """A button that opens the Dossiers page on the list behind one count, keeping the filters."""
    if st.button(label or t("drill.open_list"), key=key or f"open-{set_code}", icon=":material/list_alt:",
                 type="tertiary"):
        go_to_list(set_code)


def go_to_list(set_code: str) -> None:
    """Open the Dossiers page on its list of one set, first page, with the global filters of the view."""
    state.set_widget("list", set_code)
    state.set_widget("page", 1)
    state.open_list_first()
    st.switch_page("pages/dossiers.py", query_params={**filters.global_params(), "list": set_code})


def go_to(page: str) -> None:
    """Open another page with the global filters of the view."""
    st.switch_page(page, query_params=filters.global_params())
