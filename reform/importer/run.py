"""Import and validate units, procedures, dossiers, indicators and unit mapping files (DESIGN §4, §8).

    python -m reform import   [--db PATH] [--kind KIND] FILE...
    python -m reform validate [--db PATH] [--kind KIND] FILE...

Pipeline, all vectorized (no per-row Python except the cells openpyxl hands over for XLSX, and the
exact CSV fallback for files with blank lines, line breaks inside values or ragged rows):
1. read each file into an Arrow table of strings with its spreadsheet row number (header = row 1, first
   data row = 2): CSV with pyarrow (all columns as strings, delimiter sniffed, BOM skipped), XLSX with
   openpyxl (first sheet), Parquet with pyarrow (typed columns turned into text by DuckDB);
2. map the headers (canonical or Vietnamese, see reform.headers), drop personal-data columns (never
   staged), note unknown ones, guess the kind;
3. trim the cells (Arrow compute), map coded labels once per distinct value, parse dates and numbers in
   DuckDB SQL into one staging table per kind, then list every problem with one SQL query per kind
   (empty required cells, bad dates, unknown labels, dates out of order, duplicate keys, unknown
   unit/procedure codes against the database plus the batch);
4. if there is no problem, upsert by key (delete rows with the batch's keys, insert) and log each file
   in import_log.

Import runs inside reform.db.rebuild(): the work happens in a new database file that replaces the live
one only at the end, so a bad batch, an exception or a killed process leaves the live file untouched.
All values are bound or registered as Arrow data, never formatted into SQL.
"""
from __future__ import annotations

import datetime as dt
import getpass
import os
import pathlib
import re
import sys
import time

import duckdb
import pyarrow as pa

from reform import db as rdb
from reform import limits, restructure, write_scope, writelock
from reform.headers import COLUMNS, KEYS, KINDS, REQUIRED, TABLES
from reform.importer.checks import problem_sql
from reform.importer.columns import map_columns
from reform.importer.read import Loaded, read_file
from reform.importer.report import Report, _short
from reform.importer.staging import _insert_expr, convert_file, create_conv_tables, label_tables
from reform.limits import MAX_PROBLEMS_SHOWN


class Abort(Exception):
    """Raised inside rebuild() to discard the new file when the batch has problems."""


# ---------------------------------------------------------------------------------------------- batch
def _prepare(con: duckdb.DuckDBPyConnection, kind_opt: str | None, files: list[str], rep: Report):
    """Read, map, stage, convert and check every file. Returns the loaded files."""
    loaded = []
    for i, name in enumerate(files):
        lf = read_file(i, name, rep)
        if lf is not None:
            map_columns(lf, kind_opt, rep)
            if lf.kind is not None:     # staged even with header problems, to report its cells too
                loaded.append(lf)
    create_conv_tables(con)
    labels = label_tables(con)
    for lf in loaded:
        convert_file(con, lf, labels)
        lf.table = None         # free the Arrow copy
    by_idx = {lf.idx: lf for lf in loaded}
    for kind in KINDS:
        if not any(lf.kind == kind for lf in loaded):
            continue
        absent = {col: [lf.idx for lf in loaded if lf.kind == kind and col not in lf.columns]
                  for col in REQUIRED[kind]}
        sql = problem_sql(kind, absent)
        con.execute(f"create or replace temp table _problems as {sql}")
        if kind == "mapping":       # rules across rows and tables: weights, cycles, unmapped units
            restructure.add_batch_problems(con)
        total = con.sql("select count(*) from _problems").fetchall()[0][0]
        if not total:
            continue
        room = max(0, MAX_PROBLEMS_SHOWN - len(rep.problems))
        rows = con.sql(f"select * from _problems p order by 1, 2, 3 limit {int(room)}").fetchall()
        for f, r, col, reason in rows:
            lf = by_idx[f]
            pos = lf.columns.get(col)
            rep.problem(lf.name, r, lf.headers[pos] if pos is not None else col, reason)
        rep.extra_problems += total - len(rows)
    con.execute("drop table if exists _problems")
    return loaded


def _upsert(con: duckdb.DuckDBPyConnection, loaded: list[Loaded], by: str | None) -> list[tuple]:
    """Replace rows with the same key, insert the batch, log each file. Returns (file, kind, in, new)."""
    now = dt.datetime.now().replace(microsecond=0)
    stats = []
    for kind in KINDS:
        files = [lf for lf in loaded if lf.kind == kind]
        if not files:
            continue
        t, key, table = f"_conv_{kind}", KEYS[kind], TABLES[kind]
        match = " and ".join(f'x."{k}" is not distinct from c."{k}"' for k in key)
        counts = dict((f, (n, new)) for f, n, new in con.sql(
            f"select f, count(*), count(*) filter (where not exists (select 1 from {table} x where {match})) "
            f"from {t} c group by f").fetchall())
        if len(key) == 1:
            con.execute(f'delete from {table} where "{key[0]}" in (select "{key[0]}" from {t})')
        else:
            con.execute(f"delete from {table} x where exists (select 1 from {t} c where {match})")
        cols = ", ".join(f'"{c}"' for c, _ in COLUMNS[kind])
        exprs = ", ".join(_insert_expr(kind, c) for c, _ in COLUMNS[kind])
        con.execute(f"insert into {table} ({cols}) select {exprs} from {t}")
        for lf in files:
            n, new = counts.get(lf.idx, (0, 0))
            con.execute("insert into import_log (imported_at, kind, file, rows_in, rows_new, imported_by) "
                        "values (?, ?, ?, ?, ?, ?)", [now, kind, pathlib.Path(lf.name).name, n, new, by])
            stats.append((lf.name, kind, lf.fmt, n, new))
    return stats


def _clean_stale_tmp(live: pathlib.Path) -> None:
    """Remove temp files left by killed writers (.<name>.<pid>[.<hex>].tmp[.wal], see db.rebuild)
    whose process is gone. Files of a running process (another import) are left alone."""
    pat = re.compile(rf"^\.{re.escape(live.name)}\.(\d+)(\.[0-9a-f]+)?\.tmp(\.wal)?$")
    if not live.parent.is_dir():
        return
    for p in live.parent.iterdir():
        m = pat.match(p.name)
        if not m or int(m.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(m.group(1)), 0)
            continue                    # still running: another import in progress
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        try:
            p.unlink()
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------- commands
def run_import(db: str | None, kind: str | None, files: list[str], out=None, by: str | None = None,
               scope: str | None = None) -> int:
    """Validate and import files all-or-nothing; by = who imports, for the import log; scope = the only
    unit (with those under it) whose rows may be imported (reform.write_scope)."""
    out = out or sys.stdout
    path = rdb.db_path(db)
    rep = Report()
    t0 = time.perf_counter()
    stats = []
    by = by or os_user()
    task = f"import of {', '.join(pathlib.Path(f).name for f in files)} by {by}"
    try:
        rdb.check_path(path)
        _clean_stale_tmp(pathlib.Path(os.path.realpath(path)))  # temp files sit beside a symlink's target
        with rdb.rebuild(path, task=task, say=lambda msg: print(msg, file=out, flush=True)) as con:
            loaded = _prepare(con, kind, files, rep)
            write_scope.check(con, loaded, scope, rep)
            if rep.n_problems or not loaded:
                raise Abort
            stats = _upsert(con, loaded, by)
            for kd in KINDS:
                con.execute(f"drop table if exists _conv_{kd}")
    except Abort:
        rep.print(out)
        print(f"{rep.n_problems} problem(s): nothing imported, {path} unchanged", file=out)
        return 1
    except writelock.LockTimeout as e:
        print(f"not imported: {e}", file=out)
        return 3
    except FAILURES as e:
        print(f"not imported: {failure(e)}", file=out)
        return 2
    rep.print(out)
    for name, kd, fmt, n, new in stats:
        print(f"{name}: {kd} ({fmt}): {n} rows, {new} new, {n - new} replaced", file=out)
    print(f"imported {sum(s[3] for s in stats)} rows into {path} in {time.perf_counter() - t0:.1f} s", file=out)
    return 0


# what stops a command for a reason outside the files (the database path, the disk, the memory, a
# limit's variable): one line and exit code 2, and the live database unchanged (reform.db.rebuild)
FAILURES = (rdb.NotADatabase, limits.BadLimit, OSError, MemoryError, pa.ArrowMemoryError, duckdb.IOException,
            duckdb.OutOfMemoryException,
            duckdb.TransactionException, duckdb.FatalException)    # how DuckDB reports a full disk at commit


def failure(e: BaseException) -> str:
    """One line for a FAILURES exception."""
    text = _short(e)
    if isinstance(e, (MemoryError, pa.ArrowMemoryError, duckdb.OutOfMemoryException)) or (
            isinstance(e, duckdb.Error) and re.search(r"\ballocat", text)):     # "Failed to allocate block"
        return limits.memory_message()
    if isinstance(e, OSError) and e.strerror:
        where = f" ({e.filename})" if e.filename else ""
        return f"{e.strerror}{where}; nothing changed"
    if isinstance(e, duckdb.Error):     # DuckDB's words about the file, without its layers of context
        m = re.search(r"Could not .*", str(e).strip().splitlines()[0] if str(e).strip() else "")
        text = (m.group(0) if m else text) + "; nothing changed"
    return text


def run_validate(db: str | None, kind: str | None, files: list[str], out=None, scope: str | None = None) -> int:
    out = out or sys.stdout
    try:
        return _validate(db, kind, files, out, scope)
    except FAILURES as e:
        print(f"not validated: {failure(e)}", file=out)
        return 2


def _validate(db: str | None, kind: str | None, files: list[str], out, scope: str | None) -> int:
    path = rdb.db_path(db)
    rdb.check_path(path)
    rep = Report()
    con = duckdb.connect(config={"memory_limit": limits.duckdb_memory()})
    try:
        con.execute(rdb.sql_text("schema"))
        checked = "the files only"
        if path.exists():
            try:
                con.execute("attach ? as live (read_only)", [str(path)])
                con.execute("insert into units by name select * from live.units")
                con.execute("insert into procedures by name select * from live.procedures")
                if con.execute("select count(*) from duckdb_tables() where database_name = 'live' "
                               "and table_name = 'unit_mapping'").fetchone()[0]:
                    # a mapping file is checked with the rows already imported (a partial file)
                    con.execute("insert into unit_mapping by name select * from live.unit_mapping")
                con.execute("detach live")
                checked = f"codes in {path}"
            except duckdb.Error as e:
                rep.notice(f"cannot read {path} ({_short(e)}): codes checked against the files only")
        loaded = _prepare(con, kind, files, rep)
        write_scope.check(con, loaded, scope, rep)
        counts = {}
        for kd in {lf.kind for lf in loaded}:
            counts.update(dict(con.sql(f"select f, count(*) from _conv_{kd} group by f").fetchall()))
    finally:
        con.close()
    rep.print(out)
    if rep.n_problems or not loaded:
        print(f"{rep.n_problems} problem(s) found", file=out)
        return 1
    for lf in loaded:
        print(f"{lf.name}: {lf.kind} ({lf.fmt}): {counts.get(lf.idx, 0)} rows OK", file=out)
    print(f"no problems found (checked against {checked})", file=out)
    return 0


def os_user() -> str:
    """The account running the import, for the log when no one else is named."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):     # a container user without a passwd entry
        return f"uid {os.getuid()}"


def cmd_import(db: str | None, kind: str | None, files: list[str], by: str | None = None,
               scope: str | None = None) -> int:
    return run_import(db, kind, files, by=by, scope=scope)


def cmd_validate(db: str | None, kind: str | None, files: list[str], scope: str | None = None) -> int:
    return run_validate(db, kind, files, scope=scope)
