"""Widget values kept in the URL as codes (?unit=964&p=2025Q2), so a copied link, a reload or the back
button restores the view.

Streamlit's own bind="query-params" writes a selectbox's *display label* into the URL (language
dependent, and not unique for units), so the sync is done here: before a widget is drawn, a value that
arrived in the URL (a deep link, the back button) is checked and put into session state; after it, the
widget's value is written back. A bad value gives a notice and the default, never a traceback.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui.labels import t

_PUBLISHED = "_url_published"   # key -> the code this session last wrote to the URL
_NOTICES = "_notices"
_KEPT = "_kept."               # + key: the widget's value, kept across page switches
MAX_LEN = 80


def adopt(key: str, parse: Callable[[str], object], default, *, cleared_by_navigation: bool = False) -> None:
    """Before the widget `key`: take a new URL value into session state (checked by `parse`, which
    returns the value or raises ValueError/KeyError), else keep the session's value, else the default."""
    published = st.session_state.setdefault(_PUBLISHED, {})
    raw = st.query_params.get_all(key)
    url = raw[-1] if raw else None
    if len(raw) > 1:
        notice("notice.param", key=key, value=", ".join(raw))
    if url is not None and url != published.get(key):
        try:
            if len(url) > MAX_LEN:
                raise ValueError("too long")
            st.session_state[key] = parse(url)
        except (ValueError, KeyError, TypeError):
            notice("notice.param", key=key, value=url)
            st.session_state[key] = default
        published[key] = url
    elif url is None and key in published and not cleared_by_navigation:
        st.session_state[key] = default  # the back button to a view without it
        published.pop(key)
    elif key not in st.session_state or not _valid(parse, st.session_state[key]):
        # a page switch drops a widget's state, or leaves its display label in place of the value:
        # take the copy kept by publish()
        st.session_state[key] = st.session_state.get(_KEPT + key, default)


def _valid(parse, value) -> bool:
    try:
        parse(value)
        return True
    except (ValueError, KeyError, TypeError):
        return False


def publish(key: str, value, default, to_code: Callable[[object], str] = str) -> None:
    """After the widget: the URL shows the value as a code, or nothing for the default."""
    published = st.session_state.setdefault(_PUBLISHED, {})
    st.session_state[_KEPT + key] = value
    code = None if value == default or value is None else to_code(value)
    if code is None:
        if key in st.query_params:
            del st.query_params[key]
        published.pop(key, None)
    else:
        if st.query_params.get(key) != code:
            st.query_params[key] = code
        published[key] = code


def withdraw(key: str) -> None:
    """Take a key out of the URL while its widget is not shown; its kept copy stays for later."""
    st.session_state.setdefault(_PUBLISHED, {}).pop(key, None)
    if key in st.query_params:
        del st.query_params[key]


def notice(label_key: str, **fields) -> None:
    fields = {k: (v[:MAX_LEN] + "…" if isinstance(v, str) and len(v) > MAX_LEN else v) for k, v in fields.items()}
    msg = t(label_key, **fields)
    shown = st.session_state.setdefault(_NOTICES, [])
    if msg not in shown:
        shown.append(msg)


def notices() -> list[str]:
    return st.session_state.get(_NOTICES, [])


def clear_notices() -> None:
    st.session_state[_NOTICES] = []


def drop_unknown(known: set[str]) -> None:
    for key in list(st.query_params):
        if key not in known:
            notice("notice.unknown_param", key=key)
            del st.query_params[key]


def cleared(keys) -> bool:
    """True when the URL lost every one of these keys that this session had written: a page switch in
    the navigation clears the query string, which is not the user asking for the defaults."""
    published = st.session_state.get(_PUBLISHED, {})
    mine = [k for k in keys if k in published]
    return bool(mine) and not any(k in st.query_params for k in mine)


def one_of(allowed) -> Callable[[str], object]:
    """A parser for adopt(): the value itself when it is one of the allowed codes."""
    allowed = tuple(allowed)

    def parse(value):
        if value not in allowed:
            raise ValueError(value)
        return value
    return parse
