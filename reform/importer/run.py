"""The commands: `python -m reform import` (all-or-nothing, inside reform.db.rebuild()) and
`python -m reform validate` (the same checks against a copy of the live codes), and the one-line
failures for what stops a command outside the files (exit code 2)."""
from __future__ import annotations

import getpass
import os
import pathlib
import re
import sys
import time

import duckdb
import pyarrow as pa

from reform import db as rdb
from reform import limits, write_scope, writelock
from reform.headers import KINDS
from reform.importer.batch import _clean_stale_tmp, _prepare, _upsert
from reform.importer.report import Report, _short


class Abort(Exception):
    """Raised inside rebuild() to discard the new file when the batch has problems."""


def run_import(db: str | None, kind: str | None, files: list[str], out=None, by: str | None = None,
               scope: str | None = None) -> int:
    """Validate and import files all-or-nothing; by = who imports, for the import log; scope = the only
    unit (with those under it) whose rows may be imported (reform.write_scope)."""
    out = out or sys.stdout
    path = rdb.db_path(db)
    rep = Report()
    t0 = time.perf_counter()
    stats = []
    steps: list[str] = []   # the build's stages: a full build sorts, an import of dossiers alone adds
    by = by or os_user()
    task = f"import of {', '.join(pathlib.Path(f).name for f in files)} by {by}"
    try:
        rdb.check_path(path)
        _clean_stale_tmp(pathlib.Path(os.path.realpath(path)))  # temp files sit beside a symlink's target
        with rdb.rebuild(path, task=task, say=lambda msg: print(msg, file=out, flush=True), amend=True,
                         step=lambda name, **_: steps.append(name)) as con:
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
    for name, kd, fmt, n, new, upd, same in stats:
        print(f"{name}: {kd} ({fmt}): {n} rows, {new} new, {upd} updated, {same} unchanged", file=out)
    how = "rebuilt whole" if "sort" in steps else "brought up to date by difference"
    print(f"imported {sum(s[3] for s in stats)} rows into {path} in {time.perf_counter() - t0:.1f} s "
          f"(summaries {how})", file=out)
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
