"""The daily feed (issue 15, item 3): `python -m reform watch DIR` imports the export files that arrive in
a folder, one at a time, in arrival order, each all-or-nothing under the database's write lock
(reform.importer), and files each one away with its report beside it:

    DIR/done/<file>  and  DIR/done/<file>.report.txt      imported, or a content imported before
    DIR/failed/<file> and DIR/failed/<file>.report.txt    refused for its rows (nothing of it imported)

A file that is not yet complete is left for the next look: a hidden name or one ending in .part or .tmp
(write there, then rename), or one modified in the last --settle seconds. A content imported before (the
same SHA-256 in import_log) is not imported again: a late second delivery of yesterday's export would
otherwise put back statuses a newer export replaced. A failure outside the file (the disk, the memory,
another writer holding the lock too long) leaves the file where it is, stops the run and exits non-zero:
the next run retries it. Two runs at once (a cron job that outlasts its interval) are one: the second
sees the folder's lock and leaves."""
from __future__ import annotations

import datetime as dt
import fcntl
import io
import os
import pathlib
import signal
import sys
import time

import duckdb

from reform import db as rdb
from reform.importer.batch import _sha256

EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq")
UNFINISHED = (".part", ".tmp", ".crdownload")
DONE, FAILED = "done", "failed"
LOCK = ".watch.lock"


def pending(folder: pathlib.Path, settle: float) -> list[pathlib.Path]:
    """The complete export files in the folder itself, oldest first (modification time, then name)."""
    now = time.time()
    found = []
    with os.scandir(folder) as it:
        for e in it:
            name = e.name
            if name.startswith(".") or name.lower().endswith(UNFINISHED) or \
                    not name.lower().endswith(EXTENSIONS) or not e.is_file(follow_symlinks=False):
                continue
            st = e.stat(follow_symlinks=False)
            if now - st.st_mtime >= settle:
                found.append((st.st_mtime_ns, name))
    return [folder / name for _, name in sorted(found)]


def imported_before(db: pathlib.Path, digest: str) -> tuple | None:
    """(when, file) of an earlier import of this content, from the live database's import_log."""
    if not db.exists():
        return None
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as f (read_only)", [str(db)])
        cols = {c for (c,) in con.execute("select column_name from duckdb_columns() where database_name = 'f' "
                                          "and table_name = 'import_log'").fetchall()}
        if "sha256" not in cols:
            return None
        return con.execute("select imported_at, file from f.main.import_log where sha256 = ? "
                           "order by imported_at limit 1", [digest]).fetchone()
    finally:
        con.close()


def file_away(path: pathlib.Path, where: str, report: str) -> pathlib.Path:
    """Move the file into DIR/<where>/ under its name (name.1.csv, name.2.csv ... if taken) and write its
    report beside it; returns the new path."""
    target_dir = path.parent / where
    target_dir.mkdir(exist_ok=True)
    target, n = target_dir / path.name, 0
    while target.exists() or target.with_name(target.name + ".report.txt").exists():
        n += 1
        target = target_dir / f"{path.stem}.{n}{path.suffix}"
    os.replace(path, target)
    target.with_name(target.name + ".report.txt").write_text(report, encoding="utf-8")
    return target


def run(folder: str, db: str | None = None, by: str | None = None, scope: str | None = None,
        settle: float = 10.0, every: float | None = None, out=None) -> int:
    """Import what is pending, until nothing is (files that arrive meanwhile included); with `every`,
    look again every that many seconds until stopped (SIGTERM or Ctrl-C). Exit code: 0 all imported
    or skipped, 1 a file was refused, 2 a failure outside the files (or no such folder), 3 the lock."""
    from reform import importer
    out = out or sys.stdout
    here = pathlib.Path(folder)
    if not here.is_dir():
        print(f"error: {here} is not a folder", file=out)
        return 2
    path = rdb.db_path(db)
    lock = open(here / LOCK, "a+")
    try:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another watch of {here} is running: left to it", file=out)
            return 0
        stop = []
        if every is not None:
            signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
        worst = 0
        while True:
            while not stop and (files := pending(here, settle)):
                f = files[0]
                digest = _sha256(str(f))
                stamp = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
                before = imported_before(path, digest)
                if before is not None:
                    note = (f"{stamp}: {f.name}: the same content was imported on {before[0]} as {before[1]}: "
                            f"not imported again\n")
                    file_away(f, DONE, note)
                    print(note, end="", file=out, flush=True)
                    continue
                buf = io.StringIO()
                rc = importer.run_import(db, None, [str(f)], out=buf, by=by, scope=scope)
                report = f"{stamp}: python -m reform import {f.name}\n{buf.getvalue()}"
                if rc == 0:
                    where = file_away(f, DONE, report)
                elif rc == 1:
                    where = file_away(f, FAILED, report)
                else:           # the disk, the memory, the lock: not the file's fault, retried next run
                    print(report + f"{f.name} left in place for the next run\n", end="", file=out, flush=True)
                    return rc
                worst = max(worst, rc)
                print(report + f"-> {where.parent.name}/{where.name}\n", end="", file=out, flush=True)
            if every is None or stop:
                return worst
            wake = time.monotonic() + every
            while not stop and time.monotonic() < wake:     # a stop ends the wait, not only the next one
                time.sleep(min(0.2, every))
    finally:
        lock.close()
