"""Session state, in one place: every key the dashboard keeps between reruns, behind a named accessor.

Two kinds of keys live in st.session_state:
- widget keys (`lang`, `p`, `unit`, `list`, `page`, ...): a widget's value under the name of its URL key
  (ui/url.py keeps them in the URL); read and set through widget() / set_widget();
- the dashboard's own keys, below, which no widget has; nothing outside this module names them.
"""
from __future__ import annotations

import streamlit as st

_VIEW = "_view"                  # the Scope the sidebar chose on this run (filters.current)
_IN_ENTRY = "_entry"             # dashboard.py is running the page (ui/entry.py)
_ENTRY_RERUN = "_entry_rerun"    # a page asked the entry to run it again (ui/entry.py)
_NAV_CLEARED = "_nav_cleared"    # the navigation cleared the URL on this run (ui/url.py)
_PUBLISHED = "_url_published"    # URL key -> the code this session last wrote to the URL
_NOTICES = "_notices"            # notices about the link, shown after the page
_KEPT = "_kept."                 # + URL key: a widget's value, kept across page switches
_PAGE_KEYS = "_page_url_keys"    # the URL keys the page registered on this run
_LIST_FIRST = "_list_first"      # the Dossiers page opens on its list tab (a jump to a list)
_GOTO = "_goto"                  # a table row asked for another page (pages/indicators.py)
_ACCOUNT_UNIT = "_access_scope"  # the unit a signed-in account is limited to (ui/access.py)
TWIN = "_twin"                   # what a JSON twin records (ui/twin.py; AppTest sets it)


# ------------------------------------------------------------------ widget values (URL keys)
def widget(key: str, default=None):
    return st.session_state.get(key, default)


def set_widget(key: str, value) -> None:
    st.session_state[key] = value


def forget(key: str) -> None:
    st.session_state.pop(key, None)


def has(key: str) -> bool:
    return key in st.session_state


def lang() -> str:
    """The session's language (the `lang` switch), vi until it is drawn."""
    return st.session_state.get("lang") or "vi"


def selected_rows(table_key: str) -> list[int]:
    """The rows picked in a dataframe drawn with on_select (its key)."""
    return (st.session_state.get(table_key) or {}).get("selection", {}).get("rows", [])


def chart_points(chart_key: str) -> list[dict]:
    """The points picked in a chart drawn with on_select (its key)."""
    return (st.session_state.get(chart_key) or {}).get("selection", {}).get("points", [])


# ------------------------------------------------------------------ the view and the entry
def view():
    return st.session_state.get(_VIEW)


def set_view(scope) -> None:
    st.session_state[_VIEW] = scope


def in_entry() -> bool:
    return bool(st.session_state.get(_IN_ENTRY))


def set_in_entry(flag: bool) -> None:
    st.session_state[_IN_ENTRY] = flag


def entry_rerun_asked() -> bool:
    return bool(st.session_state.get(_ENTRY_RERUN))


def ask_entry_rerun(flag: bool = True) -> None:
    if flag:
        st.session_state[_ENTRY_RERUN] = True
    else:
        st.session_state.pop(_ENTRY_RERUN, None)


# ------------------------------------------------------------------ URL sync (ui/url.py)
def nav_cleared() -> bool:
    return bool(st.session_state.get(_NAV_CLEARED))


def set_nav_cleared(flag: bool) -> None:
    st.session_state[_NAV_CLEARED] = flag


def published() -> dict:
    return st.session_state.setdefault(_PUBLISHED, {})


def keep(key: str, value) -> None:
    st.session_state[_KEPT + key] = value


def kept(key: str, default=None):
    return st.session_state.get(_KEPT + key, default)


def page_keys() -> set[str]:
    return st.session_state.setdefault(_PAGE_KEYS, set())


def notices() -> list[str]:
    return st.session_state.setdefault(_NOTICES, [])


def clear_notices() -> None:
    st.session_state[_NOTICES] = []


# ------------------------------------------------------------------ jumps between pages
def open_list_first() -> None:
    st.session_state[_LIST_FIRST] = True


def take_list_first() -> bool:
    return bool(st.session_state.pop(_LIST_FIRST, False))


def set_goto(page: str, set_code: str | None) -> None:
    st.session_state[_GOTO] = (page, set_code)


def take_goto() -> tuple[str, str | None] | None:
    return st.session_state.pop(_GOTO, None)


# ------------------------------------------------------------------ sign-in
def account_unit() -> str | None:
    return st.session_state.get(_ACCOUNT_UNIT)


def set_account_unit(unit: str | None) -> None:
    st.session_state[_ACCOUNT_UNIT] = unit


def forget_account_unit() -> None:
    st.session_state.pop(_ACCOUNT_UNIT, None)


def twin_record() -> dict | None:
    return st.session_state.get(TWIN)
