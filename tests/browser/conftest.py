"""The dashboard served by `streamlit run` on a free port, driven by Playwright in Debian's chromium
(tech-notes §2h: no browser download)."""
from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = ROOT / "screenshots"  # git-ignored: look at them after a run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need_chromium() -> None:
    if not pathlib.Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail(f"no chromium at {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")


@contextlib.contextmanager
def serve(db: pathlib.Path, log: pathlib.Path, port: int | None = None, args: tuple[str, ...] = (),
          env: dict | None = None):
    """`streamlit run dashboard.py` on a free port (or `port`) with REFORM_DB=db and more `env` and
    Streamlit options (`args`), until the block ends: its URL."""
    port = port or free_port()
    env = {**os.environ, "REFORM_DB": str(db), **(env or {})}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--browser.gatherUsageStats", "false", *args], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the dashboard did not start; see {log}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def server(small_db, tmp_path_factory):
    need_chromium()
    with serve(small_db, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1800}, accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    ctx.close()
