"""One writer at a time (issue 13 part 1, DESIGN §8 rev 2): concurrent imports from the command line and
from the Data page's upload all land, every row and every import-log line; a writer that has to wait
says for whom, gives up after its timeout having changed nothing, and a killed holder frees the lock.

CI runs 3 rounds of 10 writers; the long run (20 rounds):
    REFORM_LOCK_ROUNDS=20 pytest tests/test_write_lock.py -s"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import duckdb

from reform import db as rdb
from reform import writelock
from tests.conftest import ROOT, Uploaded
from ui import upload

ROUNDS = int(os.environ.get("REFORM_LOCK_ROUNDS", "3"))
WRITERS = 10      # half through the command line, half through the upload
ROWS = 40         # dossiers per file, disjoint codes



def _copy(small_db, tmp_path):
    path = tmp_path / "reform.duckdb"
    shutil.copy(small_db, path)
    con = duckdb.connect(str(path), read_only=True)
    unit, proc, day = con.execute("select unit_code, procedure_code, received_at::date from dossiers "
                                  "order by received_at desc limit 1").fetchone()
    con.close()
    return path, unit, proc, day


def _file(folder, name, codes, unit, proc, day):
    path = folder / name
    path.write_text("dossier_code,procedure_code,unit_code,received_at,status_code\n" + "".join(
        f"{c},{proc},{unit},{day:%Y-%m-%d} 08:00,2\n" for c in codes), encoding="utf-8")
    return path


def _cli_import(db, path, by):
    return subprocess.run([sys.executable, "-m", "reform", "import", "--db", str(db), "--by", by, str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_concurrent_imports_from_cli_and_upload_lose_nothing(small_db, tmp_path, monkeypatch):
    db, unit, proc, day = _copy(small_db, tmp_path)
    monkeypatch.setenv("REFORM_DB", str(db))  # the upload imports into $REFORM_DB, as the dashboard does
    monkeypatch.setenv("REFORM_OPEN_UPLOADS", "1")  # no sign-in here: the operator's opt-in (tests/test_write_roles.py)
    con = duckdb.connect(str(db), read_only=True)
    base_rows = con.execute("select count(*) from dossiers").fetchone()[0]
    base_log = con.execute("select count(*) from import_log").fetchone()[0]
    con.close()

    # a reader keeps answering throughout, as the dashboard does
    stop, reader_errors, reads = threading.Event(), [], []

    def read_loop():
        while not stop.is_set():
            try:
                r = rdb.Reader(db)
                cur = r.cursor()
                reads.append(cur.execute("select count(*) from dossiers").fetchone()[0])
                cur.close()
                r.close()
            except Exception as e:  # noqa: BLE001 - any failure of a reader is what this test looks for
                reader_errors.append(repr(e))
            time.sleep(0.05)

    reader = threading.Thread(target=read_loop)
    reader.start()
    expected, outcomes, waited = set(), [], 0
    try:
        for rnd in range(ROUNDS):
            folder = tmp_path / f"round{rnd}"
            folder.mkdir()
            files = []
            for w in range(WRITERS):
                codes = [f"LK-{rnd}-{w}-{i}" for i in range(ROWS)]
                expected.update(codes)
                files.append(_file(folder, f"r{rnd}w{w}.csv", codes, unit, proc, day))
            results = [None] * WRITERS

            def go(w):
                if w % 2:
                    p = _cli_import(db, files[w], f"cli{w}")
                    results[w] = (p.returncode, p.stdout + p.stderr)
                else:
                    results[w] = upload.run("import", [Uploaded(files[w].name, files[w].read_bytes())], by=f"upload{w}")

            threads = [threading.Thread(target=go, args=(w,)) for w in range(WRITERS)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            outcomes += results
            waited += sum("waiting for the import of" in out for _, out in results)
    finally:
        stop.set()
        reader.join()

    assert [c for c, _ in outcomes] == [0] * (ROUNDS * WRITERS), [o for c, o in outcomes if c]
    con = duckdb.connect(str(db), read_only=True)
    got = {r[0] for r in con.execute("select dossier_code from dossiers where dossier_code like 'LK-%'").fetchall()}
    total = con.execute("select count(*) from dossiers").fetchone()[0]
    log = con.execute("select file, rows_in, imported_by from import_log order by imported_at").fetchall()
    con.close()
    assert got == expected
    assert total == base_rows + len(expected)
    assert len(log) == base_log + ROUNDS * WRITERS
    assert sorted(by for _, _, by in log[base_log:]) == sorted(
        f"{'cli' if w % 2 else 'upload'}{w}" for _ in range(ROUNDS) for w in range(WRITERS))
    assert all(n == ROWS for _, n, _ in log[base_log:])
    assert waited > 0          # the writers did overlap: some of them had to wait
    assert reader_errors == [] and reads and min(reads) >= base_rows
    print(f"\n{ROUNDS} rounds x {WRITERS} writers: {len(expected)} rows, all in; {waited} writers waited; "
          f"{len(reads)} reads without error")


def test_a_waiting_writer_names_the_holder_then_gives_up_changing_nothing(small_db, tmp_path):
    db, unit, proc, day = _copy(small_db, tmp_path)
    new = _file(tmp_path, "late.csv", ["WAIT-1"], unit, proc, day)
    before = rdb.version(db)
    with writelock.hold(db, "import of big.xlsx by hoa@camau.gov.vn"):
        env = {**os.environ, "REFORM_LOCK_TIMEOUT": "1"}
        p = subprocess.run([sys.executable, "-m", "reform", "import", "--db", str(db), str(new)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 3
    assert "waiting for the import of big.xlsx by hoa@camau.gov.vn" in p.stdout
    assert "gave up after 1 s" in p.stdout and "Traceback" not in p.stdout + p.stderr
    assert rdb.version(db) == before
    # once the holder is gone the same import goes through
    assert _cli_import(db, new, "hoa").returncode == 0


def test_a_killed_holder_frees_the_lock(small_db, tmp_path):
    db, unit, proc, day = _copy(small_db, tmp_path)
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from reform import writelock\n"
                               "with writelock.hold(sys.argv[1], 'import of x.csv by test'):\n"
                               "    print('held', flush=True); time.sleep(600)", str(db)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    new = _file(tmp_path, "after.csv", ["KILL-1"], unit, proc, day)
    env = {**os.environ, "REFORM_LOCK_TIMEOUT": "5"}
    p = subprocess.run([sys.executable, "-m", "reform", "import", "--db", str(db), str(new)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "waiting" not in p.stdout
