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

from ui import state
from ui.labels import t

MAX_LEN = 80


def adopt(key: str, parse: Callable[[str], object], default, *, cleared_by_navigation: bool = False) -> None:
    """Before the widget `key`: take a new URL value into session state (checked by `parse`, which
    returns the value or raises ValueError/KeyError), else keep the session's value, else the default."""
    state.page_keys().add(key)   # a key read on this run is known (drop_unknown)
    published = state.published()
    raw = st.query_params.get_all(key)
    url = raw[-1] if raw else None
    if len(raw) > 1:
        notice("notice.param", key=key, value=", ".join(raw))
    if url is not None and url != published.get(key):
        try:
            if len(url) > MAX_LEN:
                raise ValueError("too long")
            state.set_widget(key, parse(url))
        except (ValueError, KeyError, TypeError):
            notice("notice.param", key=key, value=url)
            state.set_widget(key, default)
        published[key] = url
    elif url is None and key in published and not cleared_by_navigation:
        state.set_widget(key, default)  # the back button to a view without it
        published.pop(key)
    elif not state.has(key) or not _valid(parse, state.widget(key)):
        # a page switch drops a widget's state, or leaves its display label in place of the value:
        # take the copy kept by publish()
        state.set_widget(key, state.kept(key, default))


def _valid(parse, value) -> bool:
    try:
        parse(value)
        return True
    except (ValueError, KeyError, TypeError):
        return False


def publish(key: str, value, default, to_code: Callable[[object], str] = str) -> None:
    """After the widget: the URL shows the value as a code, or nothing for the default."""
    published = state.published()
    state.keep(key, value)
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
    state.published().pop(key, None)
    if key in st.query_params:
        del st.query_params[key]


def notice(label_key: str, **fields) -> None:
    fields = {k: (v[:MAX_LEN] + "…" if isinstance(v, str) and len(v) > MAX_LEN else v) for k, v in fields.items()}
    msg = t(label_key, **fields)
    shown = state.notices()
    if msg not in shown:
        shown.append(msg)


def notices() -> list[str]:
    return state.notices()


def clear_notices() -> None:
    state.clear_notices()


def drop_unknown(known) -> None:
    """After the page ran: a key neither in `known` nor read on this run (adopt) is dropped, with a
    notice: each page owns the keys it reads, and no list of them is kept elsewhere."""
    known = {*known, *state.page_keys()}
    for key in list(st.query_params):
        if key not in known:
            notice("notice.unknown_param", key=key)
            del st.query_params[key]


def cleared(keys) -> bool:
    """True when the URL lost every one of these keys that this session had written: a page switch in
    the navigation clears the query string, which is not the user asking for the defaults."""
    published = state.published()
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
