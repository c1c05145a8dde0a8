"""The drill-down path province → level → unit → procedure → dossier list: a breadcrumb that shows
where the view is and steps back up, and the links that open the dossiers behind a count. Names and
codes in the breadcrumb are data: a button label is Markdown, so they go through reform.safe.md."""
from __future__ import annotations

import streamlit as st

from reform.safe import md
from ui import access, data, filters
from ui.labels import t


def breadcrumb(scope: filters.Scope) -> None:
    root = access.scope()     # a scoped account's top is its own unit, not the province
    steps = [(data.unit_names().get(root, root) if root else t("drill.province"), ("level", "unit", "proc"))]
    if scope.level:
        steps.append((t(f"level.{scope.level}"), ("unit", "proc")))
    if scope.unit:
        steps.append((data.unit_names().get(scope.unit, scope.unit), ("proc",)))
    if scope.procedure:
        steps.append((scope.procedure, ()))
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        for i, (label, clears) in enumerate(steps):
            last = i == len(steps) - 1
            st.button(md(label), key=f"crumb-{i}", type="tertiary", disabled=last, on_click=filters.clear,
                      args=clears, icon=":material/home:" if i == 0 else None)
            if not last:
                st.markdown("›")


def open_list(set_code: str, label: str | None = None, key: str | None = None) -> None:
    """A button that opens the Dossiers page on the list behind one count, keeping the filters."""
    if st.button(label or t("drill.open_list"), key=key or f"open-{set_code}", icon=":material/list_alt:",
                 type="tertiary"):
        st.session_state["list"] = set_code
        st.session_state["page"] = 1
        st.session_state["_list_first"] = True
        st.switch_page("pages/dossiers.py", query_params={**st.query_params.to_dict(), "list": set_code})
