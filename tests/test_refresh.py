"""Imports that cost what they carry (issue 15, item 1): an import of dossiers alone works on a byte copy
of the live file and adds what its rows change to the summaries (reform/refresh.py). Whatever the batches
(new dossiers, status changes of old ones, rows sent again unchanged, months before, inside and after the
data), every table must come out as a full build of the same dossiers writes it (reform.db.finish):
compared here table by table, and through `kpi --format json` for every quarter."""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from reform import db, kept
from reform.headers import COLUMNS
from tests.conftest import ROOT, reform_cli

DOSSIER_COLUMNS = [c for c, _ in COLUMNS["dossiers"]]
# every table a build writes from the dossiers (the reference tables are not touched by these imports)
COMPARED = ("dossiers", "kpi_month", "stock_month", "kpi_month_unit", "stock_month_unit", "data_info",
            "open_now", "fact_units", "kept_counts", "kept_at_risk", "import_log")


def batch_sql(seed: int, kinds: tuple[str, ...]) -> str:
    """One export of the one-stop system as SQL over the live dossiers: `update` finishes or changes
    old dossiers of many months, `new` brings dossiers under new codes (a month before the data, inside
    it, and the month after its last), `same` sends rows again unchanged."""
    r = random.Random(seed)
    parts = []
    pick = f"hash(dossier_code || '{seed}') % 997"
    if "update" in kinds:
        k = r.randint(3, 40)
        parts.append(f"""
            select * replace (
                case when finished_at is null then 10 else status_code end as status_code,
                coalesce(finished_at + interval {r.randint(1, 40)} day,
                         received_at + interval {r.randint(1, 90)} day) as finished_at,
                case when channel = 2 then 1 else 2 end as channel,
                not coalesce(apology_issued, false) as apology_issued)
            from dossiers where {pick} < {k}""")
    if "new" in kinds:
        shift = r.choice([-400, -30, 0, 20, 45])
        parts.append(f"""
            select * replace ('NEW-{seed}-' || dossier_code as dossier_code,
                              received_at + interval ({shift}) day as received_at,
                              due_at + interval ({shift}) day as due_at,
                              finished_at + interval ({shift}) day as finished_at,
                              returned_at + interval ({shift}) day as returned_at)
            from dossiers where {pick} between 500 and {500 + r.randint(1, 30)}""")
    if "same" in kinds:
        parts.append(f"from dossiers where {pick} between 900 and 905")
    cols = ", ".join(DOSSIER_COLUMNS)
    return f"select {cols} from (" + " union all by name ".join(parts) + ")"


def export(path, sql: str, out) -> None:
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute(f"copy ({sql}) to '{out}' (header, format csv)")
    finally:
        con.close()


def full_build(path, out) -> None:
    """The same file with every summary built whole (what any import did before this issue)."""
    shutil.copy(path, out)
    con = duckdb.connect(str(out))
    try:
        db.finish(con)
    finally:
        con.close()


def differences(a, b) -> dict[str, int]:
    """Rows in one file's table and not in the other's, per table (doubles to 9 decimals: a restated
    sum's last bits follow the order rows are added in)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{a}' as a (read_only)")
        con.execute(f"attach '{b}' as b (read_only)")
        out = {}
        for t in COMPARED:
            cols = con.execute("select column_name, data_type from duckdb_columns() where database_name = 'a' "
                               "and table_name = ? order by column_index", [t]).fetchall()
            sel = ", ".join(f'round("{c}", 9)' if ty == "DOUBLE" else f'"{c}"' for c, ty in cols)
            n = con.execute(f"select (select count(*) from (select {sel} from a.{t} except all "
                            f"select {sel} from b.{t})) + (select count(*) from (select {sel} from b.{t} "
                            f"except all select {sel} from a.{t}))").fetchone()[0]
            if n:
                out[t] = n
        return out
    finally:
        con.close()


def test_a_batch_of_dossiers_is_added_and_not_rebuilt(small_db, tmp_path):
    """The import takes the difference path (it says so) and the result is what a full build writes."""
    live = tmp_path / "live.duckdb"
    shutil.copy(small_db, live)
    assert db.amendable(live)
    csv = tmp_path / "b.csv"
    export(live, batch_sql(1, ("update", "new", "same")), csv)
    out = reform_cli("import", "--db", str(live), str(csv)).stdout
    assert "(summaries brought up to date by difference)" in out, out
    full = tmp_path / "full.duckdb"
    full_build(live, full)
    assert differences(live, full) == {}


@pytest.mark.parametrize("seed", range(6))
def test_any_sequence_of_batches_gives_what_a_full_build_gives(small_db, tmp_path, seed):
    r = random.Random(seed)
    live = tmp_path / "live.duckdb"
    shutil.copy(small_db, live)
    for i in range(r.randint(1, 3)):
        kinds = tuple(k for k in ("update", "new", "same") if r.random() < 0.7) or ("same",)
        csv = tmp_path / f"b{i}.csv"
        export(live, batch_sql(seed * 10 + i, kinds), csv)
        reform_cli("import", "--db", str(live), str(csv))
    full = tmp_path / "full.duckdb"
    full_build(live, full)
    assert differences(live, full) == {}
    # and what a reader of either is told, every quarter
    [(first, last)] = duckdb.connect(str(full), read_only=True).execute(
        "select min(month), max(month) from kpi_month_unit").fetchall()
    for q in sorted({kept.periods.quarter_of(first).code, kept.periods.quarter_of(last).code}):
        a, b = (json.loads(reform_cli("kpi", "--db", str(p), "--period", q, "--format", "json").stdout)
                for p in (live, full))
        assert a == b, q



def _emptied(small_db, path):
    """The small sample with no dossiers (its units, procedures and calendar kept), summaries built."""
    shutil.copy(small_db, path)
    con = duckdb.connect(str(path))
    try:
        con.execute("delete from dossiers")
        con.execute("delete from import_log")
        db.finish(con)
    finally:
        con.close()


@pytest.mark.parametrize("seed", (11, 12))
def test_a_sequence_of_imports_equals_one_import_of_their_union_into_an_empty_database(small_db, tmp_path, seed):
    """Into a database with no dossiers: the sample's dossiers, then batches of updates, new dossiers and
    repeats, one import after another; and the same rows made one file independently (each dossier as
    the last file holding it sent it) imported once into another such database. The same tables, and
    the same KPIs for every month."""
    r = random.Random(seed)
    cols = ", ".join(DOSSIER_COLUMNS)
    base = tmp_path / "base.csv"
    export(small_db, f"select {cols} from dossiers", base)
    live, union_db = tmp_path / "live.duckdb", tmp_path / "union.duckdb"
    _emptied(small_db, live)
    _emptied(small_db, union_db)
    files = [base]
    reform_cli("import", "--db", str(live), str(base))
    for i in range(3):
        kinds = tuple(k for k in ("update", "new", "same") if r.random() < 0.7) or ("new",)
        csv = tmp_path / f"b{i}.csv"
        export(live, batch_sql(seed * 10 + i, kinds), csv)
        files.append(csv)
        assert "by difference" in reform_cli("import", "--db", str(live), str(csv)).stdout
    union = tmp_path / "union.csv"
    con = duckdb.connect()
    con.execute(f"attach '{small_db}' as s (read_only)")
    types = dict(con.execute("select column_name, data_type from duckdb_columns() "
                             "where database_name = 's' and table_name = 'dossiers'").fetchall())
    con.execute(f"create table u as select {cols}, 0 as n from s.dossiers limit 0")
    for n, csv in enumerate(files):
        con.execute(f"insert into u select {cols}, {n} from read_csv(?, header = true, columns = ?)", [str(csv), types])
    con.execute(f"copy (select {cols} from u qualify row_number() over (partition by dossier_code order by n desc) = 1) "
                f"to '{union}' (header, format csv)")
    con.close()
    reform_cli("import", "--db", str(union_db), str(union))
    assert {t: n for t, n in differences(live, union_db).items() if t != "import_log"} == {}
    [(first, last)] = duckdb.connect(str(live), read_only=True).execute(
        "select strftime(min(month), '%Y-%m'), strftime(max(month), '%Y-%m') from kpi_month_unit").fetchall()
    a, b = (json.loads(reform_cli("kpi", "--db", str(p), "--period", f"{first}:{last}", "--by", "month",
                                  "--format", "json").stdout) for p in (live, union_db))
    assert len(a) > 24 and a == b


KILL_TRIALS = int(os.environ.get("REFORM_KILL_TRIALS", "6"))  # the long run: REFORM_KILL_TRIALS=40


def state(path) -> tuple:
    """What a reader would see: the dossiers, the month summaries, the kept rows and the log."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "select (select count(*) from dossiers), "
            "(select sum(hash(dossier_code, status_code, finished_at, channel)) from dossiers), "
            "(select sum(n_received + 3 * n_early + 5 * n_late) from kpi_month), "
            "(select sum(n_open_all + 7 * n_overdue) from stock_month), "
            "(select count(*) from kept_counts), (select count(*) from open_now), "
            "(select count(*) from import_log)").fetchone()
    finally:
        con.close()


def test_a_killed_import_by_difference_leaves_the_old_or_the_new_file(small_db, tmp_path):
    """SIGKILL at points spread evenly over an import by difference (copy, reading, upsert, the
    summaries' difference, the kept rows, checkpoint, swap): the file opens and holds exactly the old or
    exactly the new data, every time."""
    live = tmp_path / "live.duckdb"
    shutil.copy(small_db, live)
    csv = tmp_path / "b.csv"
    export(live, batch_sql(5, ("update", "new", "same")), csv)
    probe = tmp_path / "probe.duckdb"
    shutil.copy(live, probe)
    t0 = time.perf_counter()
    out = reform_cli("import", "--db", str(probe), str(csv)).stdout
    duration = time.perf_counter() - t0
    assert "by difference" in out, out
    new, old = state(probe), state(live)
    assert new != old
    pristine = tmp_path / "pristine.duckdb"
    shutil.copy(live, pristine)
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    outcomes = []
    for i in range(KILL_TRIALS):
        proc = subprocess.Popen([sys.executable, "-m", "reform", "import", "--db", str(live), str(csv)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.25 * duration * (i + 0.5) / KILL_TRIALS)   # the last ones after the swap
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = state(live)                           # the file opens, every time
        if hashlib.sha256(live.read_bytes()).hexdigest() == before:
            assert now == old
            outcomes.append("old")
        else:
            assert now == new, (i, now)
            outcomes.append("new")
            shutil.copy(pristine, live)
    print(f"\n{KILL_TRIALS} kills over a {duration:.1f} s import by difference: {outcomes.count('old')} old, "
          f"{outcomes.count('new')} new")
    assert outcomes.count("old") >= KILL_TRIALS // 2, outcomes
    # the next import removes the killed imports' temp files and adds by difference again
    assert "by difference" in reform_cli("import", "--db", str(live), str(csv)).stdout
    assert state(live) == new
    assert not [p for p in live.parent.iterdir() if p.name.endswith((".tmp", ".tmp.wal"))]
