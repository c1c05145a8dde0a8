"""The contract between dashboard.py and the pages: a page runs only inside the entry script, which has
drawn the sidebar and knows the view. A page run any other way is sent back through the entry."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import NoReturn

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import state
from ui.labels import t

ENTRY = Path(__file__).resolve().parent.parent / "dashboard.py"


def started() -> None:
    """The entry script started (dashboard.py): a page may ask for it again."""
    state.ask_entry_rerun(False)
    state.page_keys().clear()   # the URL keys read on this run (ui/url.py)


@contextlib.contextmanager
def running_page():
    """Around pg.run() in the entry: pages check they run inside it (require)."""
    state.set_in_entry(True)
    try:
        yield
    finally:
        state.set_in_entry(False)


def require() -> None:
    """At the top of every page (through filters.current)."""
    if not state.in_entry():
        _outside_entry()


def _outside_entry() -> NoReturn:
    """A page ran without dashboard.py.

    Under dashboard.py this is Streamlit's legacy pages/ mode, which lasts until the first st.navigation
    call of the process (AppTest even returns to it before every run): a deep link (/dossiers) that is
    a fresh server's first request runs the page file alone. Leave that mode and rerun, once: the entry
    then draws the requested page. A page that is itself the main script (`streamlit run pages/x.py`,
    AppTest.from_file("pages/x.py")) would rerun itself forever: it says how to open the app and ends."""
    ctx = get_script_run_ctx()
    line = f"{t('entry.only', 'vi')} · {t('entry.only', 'en')}"
    if ctx is None:  # plain `python pages/x.py`
        raise SystemExit(line)
    if Path(ctx.main_script_path).resolve() == ENTRY and not state.entry_rerun_asked():
        state.ask_entry_rerun()
        _leave_legacy_pages_mode()
        st.rerun()
    st.info(line, icon=":material/info:")
    st.stop()


def _leave_legacy_pages_mode() -> None:
    """The one place the dashboard touches a Streamlit internal. Streamlit has no public way to end its
    legacy pages/ mode before st.navigation first runs, and a deep link that is a fresh server's first
    request arrives in that mode (tests/test_page_smoke.py opens such a link). The flag is read again
    by the next st.navigation call, which sets it the same way: nothing else changes."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
