"""The daily feed (issue 15, item 3): `python -m reform watch DIR` imports each export file in arrival
order, files it under done/ or failed/ with its report, imports a content once, and keeps going while files
arrive during an import."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tests.conftest import ROOT, reform_cli
from tests.test_refresh import DOSSIER_COLUMNS, differences, export, full_build


@pytest.fixture()
def live(small_db, tmp_path):
    path = tmp_path / "db" / "reform.duckdb"
    path.parent.mkdir()
    shutil.copy(small_db, path)
    return path


def new_rows(live, tag: str, n: int, offset: int = 0) -> str:
    """n dossiers under new codes (copies of stored ones: valid units and procedures)."""
    return (f"select * replace ('{tag}-' || dossier_code as dossier_code) from "
            f"(select {', '.join(DOSSIER_COLUMNS)} from dossiers order by dossier_code limit {n} offset {offset})")


def drop(folder, name: str, live, sql: str, age: float = 60) -> None:
    """Write an export into the folder, dated `age` seconds ago (arrival order = modification time)."""
    export(live, sql, folder / name)
    t = time.time() - age
    os.utime(folder / name, (t, t))


def q(live, sql: str, params=None):
    con = duckdb.connect(str(live), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def watch(live, folder, *args, check=False):
    return reform_cli("watch", "--db", str(live), "--settle", "0", *args, str(folder), check=check)


def test_a_bad_file_in_the_middle_is_filed_as_failed_and_the_others_are_imported(live, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    drop(inbox, "a.csv", live, new_rows(live, "A", 20), age=30)
    bad = inbox / "b.csv"
    bad.write_text(",".join(DOSSIER_COLUMNS) + "\nB-1,NO-SUCH-PROC,NO-SUCH-UNIT,2,2026-01-05 08:00,,,,,4,,,,,,\n",
                   encoding="utf-8")
    os.utime(bad, (time.time() - 20, time.time() - 20))
    drop(inbox, "c.csv", live, new_rows(live, "C", 15, offset=100), age=10)
    (inbox / "notes.docx").write_bytes(b"not an export")            # not an export's extension: left alone
    (inbox / "d.csv.part").write_text("half a file", encoding="utf-8")  # still being written: left alone
    r = watch(live, inbox)
    assert r.returncode == 1, r.stdout + r.stderr
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["a.csv", "a.csv.report.txt", "c.csv",
                                                                  "c.csv.report.txt"]
    assert sorted(p.name for p in (inbox / "failed").iterdir()) == ["b.csv", "b.csv.report.txt"]
    report = (inbox / "failed" / "b.csv.report.txt").read_text(encoding="utf-8")
    assert "NO-SUCH-UNIT" in report or "NO-SUCH-PROC" in report, report
    assert "nothing imported" in report
    assert "20 rows, 20 new, 0 updated, 0 unchanged" in (inbox / "done" / "a.csv.report.txt").read_text("utf-8")
    assert sorted(p.name for p in inbox.iterdir() if p.is_file() and p.name != ".watch.lock") == [
        "d.csv.part", "notes.docx"]
    assert q(live, "select count(*) filter (where dossier_code like 'A-%'), count(*) filter (where dossier_code "
                   "like 'C-%'), count(*) filter (where dossier_code like 'B-%') from dossiers") == [(20, 15, 0)]
    assert [f for (f,) in q(live, "select file from import_log order by imported_at, rowid")] == ["a.csv", "c.csv"]


def test_the_same_content_twice_is_imported_once_and_a_later_status_replaces_the_old(live, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    drop(inbox, "day1.csv", live, new_rows(live, "N", 30))
    assert watch(live, inbox).returncode == 0
    ten = "select * from dossiers where dossier_code like 'N-%' order by dossier_code limit 10"
    day1 = q(live, ten)
    # the next day's export: ten of them finished
    drop(inbox, "day2.csv", live, "select * replace (10 as status_code, received_at + interval 5 day as finished_at) "
         "from dossiers where dossier_code like 'N-%' order by dossier_code limit 10")
    assert watch(live, inbox).returncode == 0
    assert "10 rows, 0 new, 10 updated, 0 unchanged" in (inbox / "done" / "day2.csv.report.txt").read_text("utf-8")
    day2 = q(live, ten)
    assert day2 != day1 and {r[DOSSIER_COLUMNS.index("status_code")] for r in day2} == {10}
    # day 1's file delivered again, under another name: not imported, the newer statuses stay
    shutil.copy(inbox / "done" / "day1.csv", inbox / "day1-again.csv")
    before = q(live, "select * from dossiers where dossier_code like 'N-%' order by dossier_code")
    r = watch(live, inbox)
    assert r.returncode == 0 and "the same content was imported" in r.stdout, r.stdout
    assert "day1.csv" in (inbox / "done" / "day1-again.csv.report.txt").read_text("utf-8")
    assert q(live, "select * from dossiers where dossier_code like 'N-%' order by dossier_code") == before
    assert q(live, ten) == day2
    assert q(live, "select file, rows_new, rows_updated, rows_unchanged from import_log order by imported_at, rowid") \
        == [("day1.csv", 30, 0, 0), ("day2.csv", 0, 10, 0)]
    # the same name again (another day's content): filed beside the first, neither overwritten
    drop(inbox, "day2.csv", live, new_rows(live, "M", 5))
    assert watch(live, inbox).returncode == 0
    assert (inbox / "done" / "day2.1.csv").exists() and (inbox / "done" / "day2.1.csv.report.txt").exists()
    # the Data page's history says the same, newest first, without the digest
    view = json.loads(reform_cli("view", "/data", "--db", str(live)).stdout)
    [history] = [tb["rows"] for tb in view["tables"] if tb["name"] == "history"]
    assert [(r["file"], r["rows_new"], r["rows_updated"], r["rows_unchanged"]) for r in history] == [
        ("day2.csv", 5, 0, 0), ("day2.csv", 0, 10, 0), ("day1.csv", 30, 0, 0)]
    assert all("sha256" not in r for r in history)
    # day 2's finish dates fall after some stored return dates: a quality flag, its example codes a list
    [flags] = [tb["rows"] for tb in view["tables"] if tb["name"] == "flags"]
    assert flags and all(isinstance(r["examples"], list) and all(isinstance(x, str) for x in r["examples"])
                         for r in flags), flags
    # and the summaries are what a full build of the same dossiers gives
    full = tmp_path / "full.duckdb"
    full_build(live, full)
    assert differences(live, full) == {}


def test_files_arriving_during_an_import_are_imported_in_arrival_order(live, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "reform", "watch", "--db", str(live), "--settle", "0",
                             "--every", "0.2", str(inbox)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        names = [f"f{i}.csv" for i in range(4)]
        for i, name in enumerate(names):
            drop(inbox, name, live, new_rows(live, f"F{i}", 50 + i, offset=200 * i), age=0)
            time.sleep(0.7)     # about an import's time: some arrive while one runs
        deadline = time.time() + 120
        while time.time() < deadline and len(list((inbox / "done").glob("f*.csv"))) < len(names):
            time.sleep(0.2)
        # a second watch of the same folder leaves it to the first
        second = watch(live, inbox)
        assert second.returncode == 0 and "another watch" in second.stdout
    finally:
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0, out
    assert sorted(p.name for p in (inbox / "done").glob("f*.csv")) == names, out
    assert [f for (f,) in q(live, "select file from import_log order by imported_at, rowid")] == names
    assert q(live, "select count(*) from dossiers where dossier_code similar to 'F[0-3]-.*'") == [(50 + 51 + 52 + 53,)]


def test_a_file_still_settling_waits_and_a_missing_folder_is_an_error(live, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    drop(inbox, "fresh.csv", live, new_rows(live, "S", 3), age=0)
    r = reform_cli("watch", "--db", str(live), "--settle", "60", str(inbox))
    assert r.returncode == 0 and (inbox / "fresh.csv").exists() and not (inbox / "done").exists()
    r = reform_cli("watch", "--db", str(live), str(tmp_path / "nowhere"), check=False)
    assert r.returncode == 2 and "is not a folder" in r.stdout + r.stderr
