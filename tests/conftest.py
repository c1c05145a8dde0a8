import pathlib
import subprocess
import sys
from dataclasses import dataclass

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def reform_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `python -m reform ...` from the repository root, as a user would."""
    proc = subprocess.run([sys.executable, "-m", "reform", *args], cwd=ROOT, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"reform {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def small_db(tmp_path_factory) -> pathlib.Path:
    """The generated sample at scale 0.01 (about 60 thousand dossiers), built once per test run."""
    path = tmp_path_factory.mktemp("small") / "small.duckdb"
    reform_cli("generate", "--db", str(path), "--scale", "0.01", "--seed", "7")
    return path


@pytest.fixture(scope="session")
def reader(small_db):
    """One read-only Reader of the small sample, as the dashboard reads it, for the tests that only read."""
    from reform import db
    con = db.Reader(small_db)
    yield con
    con.close()


@dataclass
class Uploaded:
    """What st.file_uploader hands the Data page: a name and the bytes (tests of ui.upload.run)."""
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


class _PagesManagerWithoutLegacyMode:
    """Stands in for PagesManager inside AppTest, which switches Streamlit back to its legacy pages/
    mode before every run (a real server leaves it at the first st.navigation call), so that its
    reruns run a page file without the entrypoint. Assignments are dropped; construction passes on."""

    def __init__(self, real):
        self.__dict__["_real"] = real

    def __setattr__(self, name, value):
        pass

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __call__(self, *args, **kwargs):
        return self._real(*args, **kwargs)


@pytest.fixture
def app_test_as_served(monkeypatch):
    """AppTest runs as the dashboard runs under `streamlit run` after its first page view."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    monkeypatch.setattr(PagesManager, "uses_pages_directory", False)
    monkeypatch.setattr(app_test, "PagesManager", _PagesManagerWithoutLegacyMode(PagesManager))


@pytest.fixture
def open_app(monkeypatch, small_db, app_test_as_served):
    """open_app(page, **query params): the dashboard on the small sample, as a deep link opens it."""
    from ui.twin import open_page
    monkeypatch.setenv("REFORM_DB", str(small_db))
    return lambda page_=None, **params: open_page(page_, params)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium through Playwright, one for the whole run: Playwright's sync API runs an event
    loop in the main thread, so a second sync_playwright() in the same process fails."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import ARGS, CHROMIUM, need_chromium
    need_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
