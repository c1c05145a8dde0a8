"""The benchmark runs end to end on a tiny database and writes a report with a row per query.
No timing assertions: the numbers depend on the machine."""
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from bench import browser, build, queries
from tests.conftest import ROOT


def test_bench_writes_a_report_with_every_query(small_db, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(small_db, data / "scale-0.01.duckdb")  # reused: the bench does not regenerate it
    out = tmp_path / "results.md"
    proc = subprocess.run([sys.executable, "-m", "bench", "--scales", "0.01", "--repeat", "1", "--no-import",
                           "--data-dir", str(data), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "## Scale 0.01" in text and "Machine:" in text
    for name, _ in queries.QUERIES.values():
        row = next((line for line in text.splitlines() if line.startswith(f"| {name} |")), None)
        assert row is not None, f"no row for {name}"
        assert "failed" not in row
    for name, calls in queries.SETS.values():
        row = next((line for line in text.splitlines() if line.startswith(f"| {name} | {calls} |")), None)
        assert row is not None and "failed" not in row, name
    assert "pandas numbers **equal** the DuckDB ones" in text
    assert "| generate (`python -m reform generate`)" in text


def test_ops_runs_only_the_rows_asked_for(small_db, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(small_db, data / "scale-0.01.duckdb")
    out = tmp_path / "results.md"
    args = [sys.executable, "-m", "bench", "--scales", "0.01", "--repeat", "1", "--no-import", "--no-pandas",
            "--data-dir", str(data), "--out", str(out)]
    proc = subprocess.run([*args, "--ops", "a,overview"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = {line.split(" | ")[0].lstrip("| ") for line in out.read_text(encoding="utf-8").splitlines()
            if line.startswith("| (") or line.startswith("| overview") or line.startswith("| procedures")}
    assert rows == {queries.QUERIES["a"][0], "overview"}
    bad = subprocess.run([*args, "--ops", "overview,nonsense"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and "unknown --ops ['nonsense']" in bad.stderr


def test_the_page_sets_ask_what_a_first_load_asks():
    """The bench cannot import the pages (no streamlit there): its copies of their defaults are checked here."""
    from ui import dossier_list, filters
    first_load = filters.Scope("vi", "quarter", "2026Q3", "2019Q1", None, None, None, None, None)
    assert queries.DEFAULT_FILTERS == first_load.filters()
    assert (queries.PAGE_SIZE, queries.SORT) == (dossier_list.PAGE_SIZE, dossier_list.SORTS[0])


def test_scales_accept_millions():
    scales = build.parse_scales("0.01, 1,50M", ROOT / "no-such-dir")
    assert [s for _, s in scales][:2] == [0.01, 1.0]
    assert abs(scales[2][1] * build.ROWS_PER_SCALE - 50e6) < 0.01 * build.ROWS_PER_SCALE


def test_the_browser_benchmark_runs_end_to_end(small_db, tmp_path):
    """A tiny `bench --browser` in its own process (the browser tests' Playwright may be running in this
    one): every page loads, a filter change and a drill-down, two concurrent sessions as websocket clients
    and as Chromium tabs, the server's RSS; the report has a row for each and no session hit an error."""
    if not pathlib.Path(browser.CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"no chromium at {browser.CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip("no chromium")
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(small_db, data / "scale-0.01.duckdb")
    out = tmp_path / "results.md"
    proc = subprocess.run([sys.executable, "-m", "bench", "--scales", "0.01", "--repeat", "1", "--no-import",
                           "--no-pandas", "--browser", "--browser-reps", "1", "--sessions", "2", "--tabs",
                           "--session-seconds", "4", "--data-dir", str(data), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for page in ("overview", "dossiers", "units", "procedures", "indicators", "data"):
        assert f"| first load, {page} page (new session) |" in text
    assert "| global filter change (level) |" in text and "| drill-down click (a bar) |" in text
    assert "Server RSS:" in text
    concurrent = [line for line in text.splitlines() if line.startswith("Concurrent, ")]
    assert len(concurrent) == 2, concurrent
    assert "websocket clients" in concurrent[0] and "Chromium tabs" in concurrent[1]
    for line in concurrent:
        changes = int(line.split(" changes,")[0].rsplit(" ", 1)[1])
        errors = [x for x in text.splitlines() if x.startswith("- session")]   # what went wrong, if it did
        assert changes >= 2 and ", 0 errors (target 0)" in line, "\n".join([line, *errors])
