"""Only our files (issue 13, item 6): every build writes reform_meta (application, schema version,
sample or not); the commands and the dashboard refuse, before reading or writing anything, a database
path that is another application's DuckDB file, an empty or non-DuckDB file or a directory; a file of
ours from before reform_meta is still ours; a missing REFORM_DB is an error, not a place for the sample;
the swap keeps the file's mode and owner and writes through a symlink."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from reform import db
from tests.conftest import ROOT, reform_cli
from ui.twin import open_page

UNITS = "unit_code,name,level\nOF-1,Đơn vị thử,commune\n"


def _foreign_app(path):
    con = duckdb.connect(str(path))
    con.execute("create table customers (id integer, name varchar)")
    con.execute("insert into customers values (1, 'An'), (2, 'Bình')")
    con.close()


def _other_meta(path):
    con = duckdb.connect(str(path))
    con.execute("create table reform_meta (app varchar, version integer, sample boolean)")
    con.execute("insert into reform_meta values ('inventory', 3, false)")
    con.execute("create table units (unit_code varchar, parent_code varchar, level varchar)")
    con.close()


BAD = {"another application's tables": (_foreign_app, "not a database of this dashboard"),
       "another application's reform_meta": (_other_meta, "belongs to another application"),
       "a zero-byte file": (lambda p: p.write_bytes(b""), "empty (0 bytes)"),
       "a text file": (lambda p: p.write_text("id,name\n1,An\n"), "not a DuckDB database file"),
       "a directory": (lambda p: p.mkdir(), "is a directory")}


def _snapshot(folder):
    """Every file in the folder with its bytes: nothing written, nothing left beside."""
    return {p.name: (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


@pytest.mark.parametrize("what", list(BAD))
def test_a_file_that_is_not_ours_is_refused_in_one_line(tmp_path, what):
    make, message = BAD[what]
    folder = tmp_path / "data"
    folder.mkdir()
    target = folder / "other.duckdb"
    make(target)
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    before = _snapshot(folder)
    for args in (["import", str(units)], ["validate", str(units)], ["generate", "--scale", "0.001"],
                 ["kpi", "--period", "2024Q2"], ["report", "--period", "2024Q2", "--out", str(tmp_path / "p.xlsx")],
                 ["view", "/?p=2024Q2"]):
        proc = reform_cli(args[0], "--db", str(target), *args[1:], check=False)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and message in proc.stderr, (args, proc.stderr)
        assert "Traceback" not in proc.stderr + proc.stdout
        assert _snapshot(folder) == before, args
    assert not (tmp_path / "p.xlsx").exists()
    # the writer itself refuses too, whoever calls it, before the lock file or a temp file is made
    with pytest.raises(db.DatabaseFileError, match=re.escape(message)):
        with db.rebuild(target):
            pass
    assert _snapshot(folder) == before


def test_a_file_without_a_rule_the_queries_call_is_outdated_until_the_next_write(small_db, tmp_path, app_test_as_served,
                                                                                   monkeypatch):
    """A file made before a SQL macro existed (stock_day) is named outdated with the macro, on the Data page
    too, instead of failing inside a query; the next import writes it."""
    old = tmp_path / "old.duckdb"
    shutil.copy(small_db, old)
    con = duckdb.connect(str(old))
    con.execute("drop macro stock_day")
    con.close()
    assert db.missing_tables(old) == ["stock_day()"]
    monkeypatch.setenv("REFORM_DB", str(old))
    at = open_page("dossiers", {"p": "2024Q2", "list": "F11o"})
    assert not at.exception and len(at.error) == 1 and "stock_day()" in at.error[0].value
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    reform_cli("import", "--db", str(old), str(units))
    assert db.missing_tables(old) == []


def test_a_file_of_ours_from_before_reform_meta_is_still_ours(small_db, tmp_path):
    """Ours when it has our tables (units, procedures, dossiers, import_log with their key columns);
    the next write adds reform_meta."""
    old = tmp_path / "old.duckdb"
    shutil.copy(small_db, old)
    con = duckdb.connect(str(old))
    con.execute("drop table reform_meta")
    con.close()
    assert db.identify(old) == {"version": 0, "sample": False}   # not at the sample's own path
    assert db.missing_tables(old) == []
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    reform_cli("kpi", "--db", str(old), "--period", "2024Q2")
    reform_cli("import", "--db", str(old), str(units))
    con = duckdb.connect(str(old), read_only=True)
    try:
        assert con.execute("select app, version, sample from reform_meta").fetchall() == [
            (db.APP_ID, db.SCHEMA_VERSION, False)]
    finally:
        con.close()


def test_the_sample_flag(small_db, tmp_path):
    assert db.identify(small_db)["sample"] is True       # built by `generate`
    copy = tmp_path / "copy.duckdb"
    shutil.copy(small_db, copy)
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    reform_cli("import", "--db", str(copy), str(units))
    assert db.identify(copy)["sample"] is True            # data imported into the sample: still the sample
    fresh = tmp_path / "fresh.duckdb"
    reform_cli("import", "--db", str(fresh), str(units))
    assert db.identify(fresh) == {"version": db.SCHEMA_VERSION, "sample": False}


def test_the_swap_keeps_mode_owner_and_symlink(small_db, tmp_path):
    real = tmp_path / "store" / "reform.duckdb"
    real.parent.mkdir()
    shutil.copy(small_db, real)
    os.chmod(real, 0o600)
    owner = (os.getuid(), os.getgid())
    if os.getuid() == 0:                 # root can give the file away: the swap must keep that too
        owner = (12345, 23456)
        os.chown(real, *owner)
    link = tmp_path / "reform.duckdb"
    link.symlink_to(real)
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    gone = subprocess.Popen(["true"])
    gone.wait()     # a writer killed mid-import left its temp file beside the target, where writes happen
    stale = real.with_name(f".{real.name}.{gone.pid}.0badc0de.tmp")
    stale.write_bytes(b"half a database")
    reform_cli("import", "--db", str(link), str(units))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert sorted(p.name for p in real.parent.iterdir()) == [".reform.duckdb.lock", "reform.duckdb"]
    st = real.stat()
    assert (oct(st.st_mode & 0o777), (st.st_uid, st.st_gid)) == (oct(0o600), owner)
    con = duckdb.connect(str(real), read_only=True)
    try:
        assert con.execute("select count(*) from units where unit_code = 'OF-1'").fetchall() == [(1,)]
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reform.duckdb", "store", "units.csv"]


def _dashboard(monkeypatch, path) -> AppTest:
    monkeypatch.setenv("REFORM_DB", str(path))
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()


@pytest.mark.parametrize("what", list(BAD))
def test_the_dashboard_says_so_and_shows_no_data(monkeypatch, tmp_path, app_test_as_served, what):
    make, _ = BAD[what]
    path = tmp_path / "other.duckdb"
    make(path)
    before = _snapshot(tmp_path)
    for page in (None, "data"):
        at = _dashboard(monkeypatch, path)
        if page:
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception and not at.metric and not at.get("file_uploader")
        assert len(at.error) == 1 and "other.duckdb" in at.error[0].value and str(tmp_path) not in at.error[0].value
    assert _snapshot(tmp_path) == before


def test_a_missing_reform_db_is_an_error_not_a_new_sample(monkeypatch, tmp_path, app_test_as_served):
    path = tmp_path / "no-such-folder" / "reform.duckdb"
    at = _dashboard(monkeypatch, path)
    assert not at.exception and not at.metric
    assert "REFORM_DB" in at.error[0].value and "reform.duckdb" in at.error[0].value
    assert not path.parent.exists()


def test_every_page_says_sample_data_while_the_sample_is_served(monkeypatch, small_db, tmp_path, app_test_as_served):
    note = "Dữ liệu mẫu"
    for page in ("overview", "dossiers", "units", "procedures", "indicators", "data"):
        at = _dashboard(monkeypatch, small_db)
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception and any(note in c.value for c in at.sidebar.caption), page
    real = tmp_path / "real.duckdb"     # the same rows, but not the sample: no note
    shutil.copy(small_db, real)
    con = duckdb.connect(str(real))
    con.execute("update reform_meta set sample = false")
    con.close()
    at = _dashboard(monkeypatch, real)
    assert not at.exception and at.metric and not any(note in c.value for c in at.sidebar.caption)
