"""Sessions keep working through an import (DESIGN §8): the dashboard server runs on a copy of the small
sample while websocket clients (bench/ws_load.py, Streamlit's own protocol) change a filter every 2 s;
halfway through, `python -m reform import` swaps in a new file with more dossiers. No session may see an
error, and each one's next view shows the new count, computed here with SQL on the file.

CI runs 4 sessions for 16 s; the long run (20 sessions, 5 minutes):
    REFORM_LOAD_SESSIONS=20 REFORM_LOAD_SECONDS=300 pytest tests/test_load_import.py -s
prints the server's RSS over the run."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import duckdb

from bench import browser, ws_load
from reform import periods
from tests.conftest import ROOT

SESSIONS = int(os.environ.get("REFORM_LOAD_SESSIONS", "4"))
SECONDS = float(os.environ.get("REFORM_LOAD_SECONDS", "16"))
NEW = 37  # dossiers the import adds to the latest quarter


def vi_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_sessions_keep_answering_through_an_import_and_then_see_the_new_data(small_db, tmp_path):
    db = tmp_path / "reform.duckdb"
    shutil.copy(small_db, db)
    con = duckdb.connect(str(db), read_only=True)
    last = con.execute("select max(received_at) from dossiers").fetchone()[0]
    quarter = periods.quarter_of(last.date())
    unit, proc = con.execute("select unit_code, procedure_code from dossiers order by received_at desc limit 1"
                             ).fetchone()
    before = con.execute("select count(*) from dossiers where received_at::date between ? and ?",
                         [quarter.start, quarter.end]).fetchone()[0]
    con.close()
    new = tmp_path / "new.csv"
    new.write_text("dossier_code,procedure_code,unit_code,received_at,status_code\n" + "".join(
        f"LOAD-{i},{proc},{unit},{quarter.start:%Y-%m-%d} 08:{i:02d},2\n" for i in range(NEW)), encoding="utf-8")

    def do_import() -> int:
        r = subprocess.run([sys.executable, "-m", "reform", "import", "--db", str(db), str(new)], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
        return r.returncode

    server = browser.Server(db, tmp_path / "server.log")
    try:
        res = browser.measured(server, lambda: ws_load.load(server.url, quarter.code, SESSIONS, SECONDS,
                                                             midway=do_import))
    finally:
        server.stop()
    print(f"\n{ws_load.summary(res)}; server RSS (MB) every second: "
          + ", ".join(f"{mb:.0f}" for _, mb in res["rss"]))
    assert res["midway"] == 0, (tmp_path / "server.log").read_text()[-2000:]
    assert res["errors"] == []
    assert len(res["latencies"]) >= SESSIONS * (SECONDS / 2 - 1)
    con = duckdb.connect(str(db), read_only=True)
    after = con.execute("select count(*) from dossiers where received_at::date between ? and ?",
                        [quarter.start, quarter.end]).fetchone()[0]
    con.close()
    assert after == before + NEW
    assert [cards.get("Hồ sơ tiếp nhận") for cards in res["final"]] == [vi_int(after)] * SESSIONS

