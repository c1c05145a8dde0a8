"""Database lifecycle: where the database lives, how a new one is built and swapped in atomically.

Readers (the dashboard) open the file read-only. Every write (generation, import) makes a complete new
file beside the live one and replaces it with os.replace, so a reader never sees half a write and a
killed writer leaves the old file untouched (DESIGN §8, tech-notes §2e): built whole from the schema, or,
for an import into a file built by the same rules, a byte copy of the live file that the import changes
and whose summaries it brings up to date by difference (rebuild(amend=True), reform.refresh).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pathlib
import re
import shutil
import stat
import uuid
from collections.abc import Callable, Iterator

import duckdb

import queries
from reform import catalogue, kept, limits, lookups, refresh, writelock
from reform.sql import facts as facts_sql
from reform.sql import text as sql_text

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"
DEFAULT_DB = SAMPLE_DIR / "reform.duckdb"
REFERENCE_TABLES = ("units", "procedures", "indicators", "holidays", "unit_mapping")
DATA_TABLES = REFERENCE_TABLES + ("dossiers", "import_log")
# DuckDB keeps the blocks it read in its buffer pool up to 80 % of RAM by default: at 60 M dossiers the
# dossier list and the data page alone grew the dashboard to 2 GB. The pages read summaries and pages of
# records, so a small pool costs little; the OS page cache still holds the file.
READ_MEMORY_LIMIT = os.environ.get("REFORM_READ_MEMORY", "400MB")


# which application a database file belongs to (reform_meta, written on every build): the CLI and the
# dashboard refuse a file of another application before they read or write anything in it
APP_ID = "reform-kpi-dashboard"
SCHEMA_VERSION = 2      # raise when a build writes what an older version could not read or write correctly
# 2: import_log.rows_updated, rows_unchanged, sha256 (an older importer cannot copy them: it fails)
# a file from before reform_meta (schema version 0) is ours if it has these tables with these columns
OUR_TABLES = {"units": {"unit_code", "parent_code", "level"},
              "procedures": {"procedure_code", "legal_days"},
              "dossiers": {"dossier_code", "procedure_code", "unit_code", "received_at", "status_code"},
              "import_log": {"imported_at", "rows_new"}}


class DatabaseFileError(Exception):
    """The database path is not a database of this application: a one-line message, and its kind
    (directory, unreadable, empty, not_duckdb, unopenable, foreign, newer) for the dashboard's labels."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


def db_path(path: str | os.PathLike | None = None) -> pathlib.Path:
    """The database to use: the explicit path, else $REFORM_DB, else the built-in sample database."""
    return pathlib.Path(path or os.environ.get("REFORM_DB") or DEFAULT_DB)


def identify(path: str | os.PathLike) -> dict:
    """{"version": schema version (0 before reform_meta), "sample": built by `generate`} of an existing
    database file of ours; DatabaseFileError if it is anything else. Only read, never written."""
    path = pathlib.Path(path)
    if path.is_dir():
        raise DatabaseFileError(f"{path} is a directory, not a database file", "directory")
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as e:
        raise DatabaseFileError(f"cannot read {path}: {e.strerror}", "unreadable") from None
    if not head:
        raise DatabaseFileError(f"{path} is empty (0 bytes), not a database", "empty")
    if head[8:12] != b"DUCK":   # DuckDB's magic bytes
        raise DatabaseFileError(f"{path} is not a DuckDB database file", "not_duckdb")
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute("attach ? as f (read_only)", [str(path)])
        except duckdb.OutOfMemoryException:
            raise   # not the file's fault: the caller says memory ran out (reform.importer.failure)
        except duckdb.Error as e:
            raise DatabaseFileError(f"{path} cannot be opened as a DuckDB database: "
                                    f"{str(e).splitlines()[0][:200]}", "unopenable") from None
        cols: dict[str, set[str]] = {}
        for t, c in con.execute("select table_name, column_name from duckdb_columns() "
                                "where database_name = 'f' and schema_name = 'main'").fetchall():
            cols.setdefault(t, set()).add(c)
        if "reform_meta" in cols:
            try:
                app, ver, sample = con.execute("select app, version, sample from f.main.reform_meta").fetchall()[0]
            except (duckdb.Error, IndexError):
                app = ver = sample = None
            if app != APP_ID:
                raise DatabaseFileError(f"{path} belongs to another application (reform_meta names "
                                        f"{str(app)[:60]!r}, not {APP_ID!r}): left untouched", "foreign")
            if (ver or 0) > SCHEMA_VERSION:
                raise DatabaseFileError(f"{path} was written by a newer version of this dashboard (schema {ver}; "
                                        f"this one knows up to {SCHEMA_VERSION}): update it", "newer")
            return {"version": ver, "sample": bool(sample)}
        if all(want <= cols.get(t, set()) for t, want in OUR_TABLES.items()):
            # ours from before reform_meta: the built-in sample if at its own place
            return {"version": 0, "sample": path.resolve() == DEFAULT_DB.resolve()}
        raise DatabaseFileError(f"{path} is not a database of this dashboard (no reform_meta table and not "
                                f"its tables): left untouched", "foreign")
    finally:
        con.close()


NotADatabase = DatabaseFileError   # the importer's name for a database path no command can use


def check_path(path: str | os.PathLike) -> None:
    """Refuse a path that cannot be our database before anything opens or replaces it: a path under a
    file, or an existing file or folder that is not a database of ours (identify). A missing file is
    fine: a write creates it."""
    p = pathlib.Path(path)
    parent = next((a for a in p.parents if a.exists()), None)
    if parent is not None and not parent.is_dir():
        raise DatabaseFileError(f"{p}: {parent} is a file, not a folder", "no_folder")
    if os.path.lexists(p):
        identify(os.path.realpath(p))


def connect_read_only(path: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def version(path: str | os.PathLike) -> tuple[int, int]:
    """Identifies one file version: an import swaps in a new file, so the inode and mtime change."""
    st = os.stat(path)
    return st.st_ino, st.st_mtime_ns


# summaries built by reform.db.finish on every write; with the schema's tables, what the dashboard reads
SUMMARY_TABLES = ("kpi_month_unit", "stock_month_unit", "unit_tree", "unit_restated", "data_info", "fact_units",
                  *kept.TABLES)


def missing_tables(path: str | os.PathLike) -> list[str]:
    """The tables and columns of the current schema (reform/sql/schema.sql) and summaries, and the SQL
    macros, that the file lacks, as "table", "table.column" or "macro()": a file made by an older version (any import, or a fresh
    `generate`, rebuilds it)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(sql_text("schema"))
        con.execute("drop table reform_meta")  # a file from before it is still ours (see identify)
        con.execute("attach ? as f (read_only)", [str(path)])
        cols = "select table_name, column_name from duckdb_columns() where database_name = ? and not internal"
        want = con.execute(cols, ["memory"]).fetchall()
        have = set(con.execute(cols, ["f"]).fetchall())
        tables = {t for t, _ in have}
        macros = {m for (m,) in con.execute("select function_name from duckdb_functions() where database_name = 'f' "
                                             "and function_type in ('macro', 'table_macro')").fetchall()}
    finally:
        con.close()
    out = [t for t in SUMMARY_TABLES if t not in tables]
    out += [t if t not in tables else f"{t}.{c}" for t, c in want if (t, c) not in have]
    out += [f"{m}()" for m in _macros() if m not in macros]   # the rules the queries call (scope.sql, ...)
    return list(dict.fromkeys(out))


def _macros() -> list[str]:
    """The SQL macros every file of this version holds: those finish() and write_facts() create."""
    text = "\n".join(sql_text(name) for name in ("calendar", "summaries", "restate", "scope"))
    return ["merger_day", *re.findall(r"(?im)^create or replace macro (\w+)", text)]


def rules() -> str:
    """A digest of every rule a file's summaries are built by: the schema and summary SQL, the count
    queries kept per quarter, the horizons kept and the facts write_facts writes. A file whose
    reform_meta.rules differs was built by other rules: an import builds its summaries whole."""
    h = hashlib.sha256()
    for name in ("schema", "calendar", "facts", "summaries", "build", "restate", "scope"):
        h.update(sql_text(name).encode())
    for name in ("kpi_counts", "procedure_counts", "at_risk"):
        h.update(queries.sql(name).encode())
    h.update(repr((kept.VIEWS, kept.LENSES, catalogue.load().due_days, lookups.MERGER_DAY, lookups.LEVELS,
                   lookups.CHANNELS, SCHEMA_VERSION)).encode())
    return h.hexdigest()[:16]


def amendable(path: str | os.PathLike) -> bool:
    """Whether an import may start from a byte copy of this file and add to its summaries
    (reform.refresh): a file of ours with every table of this version, built by these rules, and no
    write-ahead log beside it (a byte copy would leave out what only the log holds; a build reads it)."""
    if os.path.exists(f"{path}.wal"):
        return False
    try:
        identify(path)
        if missing_tables(path):
            return False
        con = duckdb.connect(":memory:")
        try:
            con.execute("attach ? as f (read_only)", [str(path)])
            [(built,)] = con.execute("select rules from f.main.reform_meta").fetchall()
        finally:
            con.close()
    except (DatabaseFileError, duckdb.Error, ValueError):
        return False    # no reform_meta.rules (an older file), or no single row: build whole
    return built == rules()


class Reader:
    """A read-only view of one version of the database file, for a long-running process.

    duckdb.connect(path) returns the instance it cached for that path, so after an import it would keep
    reading the replaced file. Attaching the file inside a fresh in-memory instance reads the file as it
    is now; cursors start in the in-memory catalog, hence the USE on every cursor. Cursors already running
    on an older Reader keep their (unlinked) file until they finish.

    With an account unit (reform.access: an account limited to one unit and those under it), the file is
    attached as `src` and every table is seen through a view in the catalog `reform` that keeps only the
    rows of those units (see _unit_views): every query, whatever its text, reads only those. The account
    unit is part of the version, so nothing cached for one is served to another."""

    def __init__(self, path: str | os.PathLike, account_unit: str | None = None):
        self.path = pathlib.Path(path)
        self.account_unit = account_unit
        self.version = (*version(path), account_unit)
        self._con = duckdb.connect(":memory:", config={"memory_limit": READ_MEMORY_LIMIT})
        if account_unit is None:
            self._con.execute("attach ? as reform (read_only)", [str(self.path)])
        else:
            self._con.execute("attach ? as src (read_only)", [str(self.path)])
            _unit_views(self._con, account_unit)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._con.cursor()
        cur.execute("use reform")
        return cur

    def close(self) -> None:
        self._con.close()


# tables without a unit that hold no dossier facts: seen whole under a scope
SHARED_TABLES = ("channels", "holidays", "levels", "procedures", "return_channels", "status_codes", "workdays")


def _unit_views(con: duckdb.DuckDBPyConnection, scope: str) -> None:
    """The catalog `reform` of a scoped Reader: the scope's unit tree, and one view per table of `src`.
    A table with a unit_code keeps the rows of the scope's units (the scope's own unit has no parent
    there, so it is the top of the unit tree); the shared reference tables are whole; data_info is
    recomputed from the scope's dossiers; anything else (the import log, a table added later) is empty
    until it is given a rule here. Only names read from the file's own catalog are put into SQL."""
    con.execute("attach ':memory:' as reform")
    con.execute("create table reform.main._scope as select unit_code from src.main.unit_tree "
                "where ancestor_code = ?", [scope])
    if not con.execute("select count(*) from reform.main._scope").fetchone()[0]:
        raise ValueError(f"unknown unit scope {scope!r}")
    con.execute("create table reform.main._scope_root as select ?::varchar as unit_code", [scope])
    inside = "unit_code in (select unit_code from reform.main._scope)"
    relations = con.execute("select table_name, 'table' from duckdb_tables() where database_name = 'src' "
                            "union all select view_name, 'view' from duckdb_views() "
                            "where database_name = 'src' and not internal").fetchall()
    # the units whose dossiers count under the scope's units in today's structure (the restated lens:
    # a ward's predecessors): their facts are seen too, and scope_units (below) counts them only there
    restated = any(name == "unit_restated" for name, _ in relations)
    con.execute("create table reform.main._counted as select unit_code from reform.main._scope" + (
        " union select old_code from src.main.unit_restated where today_code in "
        "(select unit_code from reform.main._scope)" if restated else ""))
    counted = "unit_code in (select unit_code from reform.main._counted)"
    for name, _ in relations:
        cols = [r[0] for r in con.execute("select column_name from duckdb_columns() where database_name = 'src' "
                                          "and table_name = ?", [name]).fetchall()]
        src = f'src.main."{name}"'
        if name == "units":
            # a predecessor outside the tree keeps a parent outside it, or (a top unit) itself: no walk
            # from the scope's top reaches it, so it is in no picker and no tree, only named
            body = (f"select * replace (case when unit_code in (select unit_code from reform.main._scope_root) "
                    f"then null when not {inside} then coalesce(parent_code, unit_code) "
                    f"else parent_code end as parent_code) from {src} where {counted}")
        elif name == "unit_restated":
            body = f"select * from {src} where old_code in (select unit_code from reform.main._counted)"
        elif name == "unit_tree":
            body = (f"select * from {src} where {inside} "
                    f"and ancestor_code in (select unit_code from reform.main._scope)")
        elif name == "data_info":
            body = ("select max(received_at)::date as last_received, "
                    "date_trunc('month', max(received_at))::date as last_month, count(*) as dossiers "
                    f"from src.main.dossiers where {inside}")
        elif "unit_code" in cols:
            body = f"select * from {src} where {counted}"
        elif name in SHARED_TABLES:
            body = f"select * from {src}"
        else:
            body = f"select * from {src} where false"
        con.execute(f'create view reform.main."{name}" as {body}')
    # the file's macros (period_buckets, the scope macros...), which the queries call unqualified; their
    # bodies name tables and other macros unqualified too, so they are created from inside `reform`
    # and a macro can be created only after the ones it calls: each pass creates those it can
    con.execute("use reform")
    pending = con.execute(
        "select function_name, function_type, parameters, macro_definition from duckdb_functions() "
        "where database_name = 'src' and function_type in ('macro', 'table_macro')").fetchall()
    while pending:
        waiting = []
        for name, kind, params, body in pending:
            table = "table " if kind == "table_macro" else ""
            try:
                if name in _UNIT_FIRST:
                    _scope_default_unit(con, name, kind, params, body)
                else:
                    con.execute(f'create macro reform.main."{name}"({", ".join(params)}) as {table}{body}')
            except duckdb.CatalogException:
                waiting.append((name, kind, params, body))
        if len(waiting) == len(pending):
            raise RuntimeError(f"macros calling what does not exist: {[w[0] for w in waiting]}")
        pending = waiting


# the scope macros whose first parameter is the view's unit (null = all units)
_UNIT_FIRST = ("scope_units", "scope_procedures")


def _scope_default_unit(con: duckdb.DuckDBPyConnection, name: str, kind: str, params: list, body: str) -> None:
    """Under a scope, "all units" is the scope's own unit: the macro is the file's, called with the scope's
    unit when the view names none. So a scoped account's default view is the same as a link to its unit
    (the predecessors it sees count only where they count for that unit: restated, under it)."""
    if params[0] != "p_unit":
        raise RuntimeError(f"{name}: the first parameter is {params[0]!r}, not p_unit")
    table = "table " if kind == "table_macro" else ""
    con.execute(f'create or replace macro reform.main."_all_{name}"({", ".join(params)}) as {table}{body}')
    args = ", ".join(["coalesce(p_unit, (select unit_code from reform.main._scope_root))", *params[1:]])
    select = f'select * from "_all_{name}"({args})' if table else f'"_all_{name}"({args})'
    con.execute(f'create macro reform.main."{name}"({", ".join(params)}) as {table}{select}')


@contextlib.contextmanager
def rebuild(path: str | os.PathLike, copy_existing: bool = True, task: str = "write",
            say: Callable[[str], None] | None = None, sample: bool = False,
            step: Callable[..., None] | None = None, amend: bool = False,
            build: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a NEW database file with the schema (and, if the live file exists and
    copy_existing is true, its data); on success rebuild the summaries and swap the file in.
    Any exception leaves the live file exactly as it was. sample: the generator's build (reform_meta
    says so; an import keeps what the live file says).

    A file that is not ours (identify) is refused before anything is written, the lock file included.
    A symlink is written through: its target is replaced, the link kept; the new file gets the live
    file's mode and owner.

    The whole of it runs under the database's write lock (reform.writelock): the live file is read only
    once no other writer can swap it, so two writers never start from the same file and lose each
    other's rows. task names the write for a writer that has to wait ("import of a.csv by hoa").
    Holding the lock, it first removes the temp files of writes that were killed (remove_stale_temps).

    step, if given, is called with the name of each stage as it starts, for progress: "stale" (with
    files=[(name, bytes)], when dead writers' temp files were removed), then after the body "sort",
    "summaries", "restate", "checkpoint" (finish) and "swap".

    amend (an import): when the live file is amendable, the new file is a byte copy of it instead of a
    build from the schema, and a batch of dossiers alone is added to its summaries (reform.refresh:
    steps "summaries", "kept", "checkpoint") rather than a full finish.

    build, if given, writes the summary tables in finish instead of build.sql (the national file takes
    Spark's: reform.national.build)."""
    live = pathlib.Path(os.path.realpath(path))
    if os.path.lexists(live):
        identify(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    with writelock.hold(live, task, say=say):
        removed = _remove_temps(live)   # holding the lock: every temp file there is a dead writer's
        if removed and step:
            step("stale", files=removed)
        if amend and live.exists() and amendable(live):
            with _amend_locked(live, step) as con:
                yield con
        else:
            with _rebuild_locked(live, copy_existing, sample, step, build) as con:
                yield con


def _temps(live: pathlib.Path) -> list[pathlib.Path]:
    """The temp files of writes to `live` beside it: .<name>.<pid>.<hex>.tmp and its .wal (_rebuild_locked;
    older versions wrote .<name>.<pid>.tmp)."""
    pat = re.compile(rf"^\.{re.escape(live.name)}\.\d+(\.[0-9a-f]+)?\.tmp(\.wal)?$")
    try:
        return sorted(p for p in live.parent.iterdir() if pat.match(p.name))
    except OSError:     # no folder (yet), or not readable: nothing of ours to remove there
        return []


def _remove_temps(live: pathlib.Path) -> list[tuple[str, int]]:
    """Remove every temp file of writes to `live`; only for the holder of its write lock. (name, bytes) of
    each file removed."""
    removed = []
    for p in _temps(live):
        try:
            size = p.stat().st_size
            p.unlink()
        except OSError:
            continue
        removed.append((p.name, size))
    return removed


def remove_stale_temps(path: str | os.PathLike) -> list[tuple[str, int]]:
    """Remove the temp files that interrupted writes left beside the database (a build stopped halfway
    leaves its whole unfinished file, about 240 MB for the sample), only if no writer holds the
    database's write lock at this moment: a running write's temp file is never touched. Every write also
    does this itself once it holds the lock (rebuild). (name, bytes) of each file removed."""
    live = pathlib.Path(os.path.realpath(path))
    if not _temps(live):
        return []       # nothing to do: not even the lock file is created
    try:
        with writelock.hold(live, "removal of temporary files", timeout=0):
            return _remove_temps(live)
    except writelock.LockTimeout:
        return []       # a writer is at work: its temp file is not stale


@contextlib.contextmanager
def _rebuild_locked(live: pathlib.Path, copy_existing: bool, sample: bool,
                    step: Callable[..., None] | None = None,
                    build: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    tmp = live.with_name(f".{live.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    _remove(tmp)
    before = live.stat() if live.exists() else None
    con = duckdb.connect(str(tmp))
    try:
        if before is not None:  # from the start: the copy is as private as the live file
            _same_owner_and_mode(tmp, before)
        # bounded memory: sorts and summaries of large tables spill beside the database instead
        # the writer's share of the machine that also serves the dashboard (reform.limits)
        con.execute("set memory_limit = ?", [limits.duckdb_memory()])
        con.execute("set temp_directory = ?", [str(live.parent / ".duckdb_tmp")])
        con.execute(sql_text("schema"))
        write_facts(con)   # before the generator's and the importer's SQL, which may read them
        if copy_existing and live.exists() and not sample:
            sample = identify(live)["sample"]   # data imported into the sample: still mostly the sample
        con.execute("insert into reform_meta values (?, ?, ?, ?)", [APP_ID, SCHEMA_VERSION, sample, rules()])
        if copy_existing and live.exists():
            con.execute("attach ? as _reform_previous (read_only)", [str(live)])
            # a file built before a table existed (e.g. unit_mapping) simply has no rows for it
            present = {r[0] for r in con.execute(
                "select table_name from duckdb_tables() where database_name = '_reform_previous'").fetchall()}
            for table in DATA_TABLES:
                if table in present:
                    con.execute(f"insert into {table} by name select * from _reform_previous.{table}")
            con.execute("detach _reform_previous")
        else:
            load_holidays(con)
        yield con
        finish(con, step, build)
        _swap(con, tmp, live, before, step)
    except BaseException:
        con.close()
        _remove(tmp)
        raise


@contextlib.contextmanager
def _amend_locked(live: pathlib.Path, step: Callable[..., None] | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """rebuild's amend: a byte copy of the live file (its schema, rules and data as they are), the body's
    writes, then the summaries by difference (reform.refresh) or, for a batch of other kinds, whole."""
    tmp = live.with_name(f".{live.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    _remove(tmp)
    before = live.stat()
    con = None
    try:
        shutil.copyfile(live, tmp)
        _same_owner_and_mode(tmp, before)
        con = duckdb.connect(str(tmp))
        con.execute("set memory_limit = ?", [limits.duckdb_memory()])
        con.execute("set temp_directory = ?", [str(live.parent / ".duckdb_tmp")])
        yield con
        say = step or (lambda name, **_: None)
        quarters = None
        if refresh.possible(con):
            say("summaries")
            quarters = refresh.apply(con, facts_sql)
        if quarters is None:
            finish(con, step)
        else:
            if quarters:
                con.execute(sql_text("scope"))      # fact_units, from the unit tables just brought up to date
                say("kept")
                kept.refresh(con, quarters)
            say("checkpoint")
            con.execute("checkpoint")
        _swap(con, tmp, live, before, step)
    except BaseException:
        if con is not None:
            con.close()
        _remove(tmp)
        raise


def _swap(con, tmp: pathlib.Path, live: pathlib.Path, before: os.stat_result | None,
          step: Callable[..., None] | None) -> None:
    if step:
        step("swap")
    con.close()
    if before is not None:
        _same_owner_and_mode(tmp, before)
    os.replace(tmp, live)


def _same_owner_and_mode(path: pathlib.Path, like: os.stat_result) -> None:
    """Give the new file the live file's permission bits and, where this process may, its owner and group."""
    os.chmod(path, stat.S_IMODE(like.st_mode))
    if (like.st_uid, like.st_gid) != (os.getuid(), os.getgid()):
        for uid in (like.st_uid, -1):   # a process that may not give the file away may still set the group
            try:
                os.chown(path, uid, like.st_gid)
                break
            except PermissionError:
                continue


def load_holidays(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("insert into holidays select * from read_csv(?, header = true, columns = "
                "{'day': 'DATE', 'name_vi': 'VARCHAR'})", [str(SAMPLE_DIR / "holidays.csv")])


def write_facts(con: duckdb.DuckDBPyConnection) -> None:
    """What the SQL reads of facts defined once in Python, written into every new file right after the
    schema (the generator's SQL, the scope macros and the queries read them): merger_day() from
    reform.lookups.MERGER_DAY; the levels (in display order) and channels tables from reform.lookups
    (their names are interface text, present/text.toml: the domain keeps codes)."""
    # a date constant, not user input
    con.execute(f"create or replace macro merger_day() as date '{lookups.MERGER_DAY.isoformat()}'")
    con.executemany("insert into levels values (?, ?)", [(c, i) for i, c in enumerate(lookups.LEVELS, start=1)])
    con.executemany("insert into channels values (?)", [(c,) for c in lookups.CHANNELS])


def finish(con: duckdb.DuckDBPyConnection, step: Callable[..., None] | None = None,
           build: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> None:
    """Sort the base table by received time and rebuild every summary; step(name) before each stage
    (see rebuild); build(con), if given, writes the summary tables instead of build.sql."""
    step = step or (lambda name, **_: None)
    step("sort")
    con.execute("create or replace table dossiers as select * from dossiers order by received_at, dossier_code")
    step("summaries")
    con.execute(sql_text("calendar"))
    con.execute("create or replace view dossier_facts_v as " + facts_sql("dossiers"))
    con.execute(sql_text("summaries"))
    if build is None:
        con.execute(sql_text("build"))
    else:
        build(con)
    step("restate")
    con.execute(sql_text("restate"))  # unit_restated: every unit resolved to today's units
    con.execute(sql_text("scope"))    # the scope macros every query file reads through
    step("kept")
    kept.build(con)                   # the count queries' rows per quarter for the common views
    step("checkpoint")
    con.execute("checkpoint")


def _remove(p: pathlib.Path) -> None:
    for f in (p, p.with_name(p.name + ".wal")):
        if f.exists():
            f.unlink()
