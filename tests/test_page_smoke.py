"""Streamlit's standard smoke test: every file in pages/ run on its own with AppTest. A page opened
without the entry (dashboard.py) shows one line pointing to it and ends, without touching the database:
it used to rerun itself forever."""
import time

import pytest
from streamlit.testing.v1 import AppTest

from present.text import text
from tests.conftest import ROOT

PAGES = sorted((ROOT / "pages").glob("*.py"))
TIMEOUT = 60


def test_there_are_pages():
    assert len(PAGES) >= 6


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_a_page_run_on_its_own_points_to_the_entry_and_ends(path, monkeypatch, tmp_path):
    db = tmp_path / "absent.duckdb"
    monkeypatch.setenv("REFORM_DB", str(db))
    started = time.monotonic()
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT).run()  # raises when the run does not end
    assert time.monotonic() - started < TIMEOUT
    assert not at.exception
    assert [i.value for i in at.info] == [f"{text('entry.only', 'vi')} · {text('entry.only', 'en')}"]
    assert "streamlit run dashboard.py" in at.info[0].value
    assert not at.metric and not at.title  # nothing after the pointer line
    assert not db.exists()
