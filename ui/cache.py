"""One cache decorator for every read of the database: keyed by the file version (ui/database.py) and
the call's arguments, so an import (a new file) is a miss everywhere and no session is served old data."""
from __future__ import annotations

import functools

import streamlit as st

from ui import database


def per_file(max_entries: int = 64, shared: bool = False):
    """Cache fn(*args, **kwargs) per database version. shared=True keeps one object for every session
    (st.cache_resource: read-only lookups such as code -> name); otherwise each caller gets a copy."""
    def wrap(fn):
        def cached(ver, *args, **kwargs):
            return fn(*args, **kwargs)
        # Streamlit names a cache by the function's module, qualified name and source: without these
        # every decorated function would be one `cached` and share one cache
        cached.__module__, cached.__qualname__ = fn.__module__, f"{fn.__qualname__}.per_file"
        store = (st.cache_resource if shared else st.cache_data)(max_entries=max_entries, show_spinner=False)(cached)

        @functools.wraps(fn)
        def call(*args, **kwargs):
            return store(database.version(), *args, **dict(sorted(kwargs.items())))
        call.clear = store.clear
        return call
    return wrap
