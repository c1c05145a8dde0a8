"""Database lifecycle: where the database lives, how a new one is built and swapped in atomically.

Readers (the dashboard) open the file read-only. Every write (generation, import) builds a complete new
file beside the live one and replaces it with os.replace, so a reader never sees half a write and a
killed writer leaves the old file untouched (DESIGN §8, tech-notes §2e).
"""
from __future__ import annotations

import contextlib
import os
import pathlib
import uuid
from collections.abc import Callable, Iterator

import duckdb

from reform import limits, writelock

ROOT = pathlib.Path(__file__).resolve().parent.parent
SQL_DIR = pathlib.Path(__file__).resolve().parent / "sql"
SAMPLE_DIR = ROOT / "sample_data"
DEFAULT_DB = SAMPLE_DIR / "reform.duckdb"
REFERENCE_TABLES = ("units", "procedures", "indicators", "holidays", "unit_mapping")
DATA_TABLES = REFERENCE_TABLES + ("dossiers", "import_log")
# DuckDB keeps the blocks it read in its buffer pool up to 80 % of RAM by default: at 60 M dossiers the
# dossier list and the data page alone grew the dashboard to 2 GB. The pages read summaries and pages of
# records, so a small pool costs little; the OS page cache still holds the file.
READ_MEMORY_LIMIT = os.environ.get("REFORM_READ_MEMORY", "400MB")


def db_path(path: str | os.PathLike | None = None) -> pathlib.Path:
    """The database to use: the explicit path, else $REFORM_DB, else the built-in sample database."""
    return pathlib.Path(path or os.environ.get("REFORM_DB") or DEFAULT_DB)


class NotADatabase(ValueError):
    """A database path that no command can use: said in one line, nothing written."""


def check_path(path: str | os.PathLike) -> None:
    """Refuse a path that cannot be a database before anything opens or replaces it: a folder, a path
    under a file, an empty file, a file that is not DuckDB (a write would otherwise replace someone's
    file, and a read end in a traceback). A missing file is fine: a write creates it."""
    p = pathlib.Path(path)
    if p.is_dir():
        raise NotADatabase(f"{p} is a folder, not a database file")
    parent = next((a for a in p.parents if a.exists()), None)
    if parent is not None and not parent.is_dir():
        raise NotADatabase(f"{p}: {parent} is a file, not a folder")
    if not p.exists():
        return
    try:
        with open(p, "rb") as fh:
            head = fh.read(12)
    except OSError as e:
        raise NotADatabase(f"cannot open {p}: {e.strerror or e}") from None
    if not head:
        raise NotADatabase(f"{p} is an empty file (0 bytes), not a DuckDB database: name another file, "
                           "or delete this one to start a new database")
    if head[8:12] != b"DUCK":   # every DuckDB file has its magic bytes there
        raise NotADatabase(f"{p} is not a DuckDB database file; nothing was written to it")


def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect_read_only(path: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def version(path: str | os.PathLike) -> tuple[int, int]:
    """Identifies one file version: an import swaps in a new file, so the inode and mtime change."""
    st = os.stat(path)
    return st.st_ino, st.st_mtime_ns


# summaries built by reform.db.finish on every write; with the schema's tables, what the dashboard reads
SUMMARY_TABLES = ("kpi_month_unit", "stock_month_unit", "unit_tree", "unit_restated", "data_info", "fact_units")


def missing_tables(path: str | os.PathLike) -> list[str]:
    """The tables and columns of the current schema (reform/sql/schema.sql) and summaries that the file
    lacks, as "table" or "table.column": a file made by an older version (any import, or a fresh
    `generate`, rebuilds it)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(sql_text("schema"))
        con.execute("attach ? as f (read_only)", [str(path)])
        cols = "select table_name, column_name from duckdb_columns() where database_name = ? and not internal"
        want = con.execute(cols, ["memory"]).fetchall()
        have = set(con.execute(cols, ["f"]).fetchall())
        tables = {t for t, _ in have}
    finally:
        con.close()
    out = [t for t in SUMMARY_TABLES if t not in tables]
    out += [t if t not in tables else f"{t}.{c}" for t, c in want if (t, c) not in have]
    return list(dict.fromkeys(out))


class Reader:
    """A read-only view of one version of the database file, for a long-running process.

    duckdb.connect(path) returns the instance it cached for that path, so after an import it would keep
    reading the replaced file. Attaching the file inside a fresh in-memory instance reads the file as it
    is now; cursors start in the in-memory catalog, hence the USE on every cursor. Cursors already running
    on an older Reader keep their (unlinked) file until they finish.

    With a unit scope (reform.access), the file is attached as `src` and every table is seen through a
    view in the catalog `reform` that keeps only the rows of the scope's units (see _scope_views): every
    query, whatever its text, reads only those. The scope is part of the version, so nothing cached for
    one scope is served to another."""

    def __init__(self, path: str | os.PathLike, scope: str | None = None):
        self.path = pathlib.Path(path)
        self.scope = scope
        self.version = (*version(path), scope)
        self._con = duckdb.connect(":memory:", config={"memory_limit": READ_MEMORY_LIMIT})
        if scope is None:
            self._con.execute("attach ? as reform (read_only)", [str(self.path)])
        else:
            self._con.execute("attach ? as src (read_only)", [str(self.path)])
            _scope_views(self._con, scope)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._con.cursor()
        cur.execute("use reform")
        return cur

    def close(self) -> None:
        self._con.close()


# tables without a unit that hold no dossier facts: seen whole under a scope
SHARED_TABLES = ("channels", "holidays", "levels", "procedures", "return_channels", "status_codes", "workdays")


def _scope_views(con: duckdb.DuckDBPyConnection, scope: str) -> None:
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
    for name, _ in relations:
        cols = [r[0] for r in con.execute("select column_name from duckdb_columns() where database_name = 'src' "
                                          "and table_name = ?", [name]).fetchall()]
        src = f'src.main."{name}"'
        if name == "units":
            body = (f"select * replace (case when unit_code in (select unit_code from reform.main._scope_root) "
                    f"then null else parent_code end as parent_code) from {src} where {inside}")
        elif name == "unit_tree":
            body = (f"select * from {src} where {inside} "
                    f"and ancestor_code in (select unit_code from reform.main._scope)")
        elif name == "data_info":
            body = ("select max(received_at)::date as last_received, "
                    "date_trunc('month', max(received_at))::date as last_month, count(*) as dossiers "
                    f"from src.main.dossiers where {inside}")
        elif "unit_code" in cols:
            body = f"select * from {src} where {inside}"
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
                con.execute(f'create macro reform.main."{name}"({", ".join(params)}) as {table}{body}')
            except duckdb.CatalogException:
                waiting.append((name, kind, params, body))
        if len(waiting) == len(pending):
            raise RuntimeError(f"macros calling what does not exist: {[w[0] for w in waiting]}")
        pending = waiting


@contextlib.contextmanager
def rebuild(path: str | os.PathLike, copy_existing: bool = True, task: str = "write",
            say: Callable[[str], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a NEW database file with the schema (and, if the live file exists and
    copy_existing is true, its data); on success rebuild the summaries and swap the file in.
    Any exception leaves the live file exactly as it was.

    The whole of it runs under the database's write lock (reform.writelock): the live file is read only
    once no other writer can swap it, so two writers never start from the same file and lose each
    other's rows. task names the write for a writer that has to wait ("import of a.csv by hoa")."""
    live = pathlib.Path(path)
    live.parent.mkdir(parents=True, exist_ok=True)
    with writelock.hold(live, task, say=say):
        with _rebuild_locked(live, copy_existing) as con:
            yield con


@contextlib.contextmanager
def _rebuild_locked(live: pathlib.Path, copy_existing: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    tmp = live.with_name(f".{live.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    _remove(tmp)
    con = duckdb.connect(str(tmp))
    try:
        # bounded memory: sorts and summaries of large tables spill beside the database instead
        # the writer's share of the machine that also serves the dashboard (reform.limits)
        con.execute("set memory_limit = ?", [limits.duckdb_memory()])
        con.execute("set temp_directory = ?", [str(live.parent / ".duckdb_tmp")])
        con.execute(sql_text("schema"))
        if copy_existing and live.exists():
            con.execute("attach ? as old (read_only)", [str(live)])
            # a file built before a table existed (e.g. unit_mapping) simply has no rows for it
            present = {r[0] for r in con.execute(
                "select table_name from duckdb_tables() where database_name = 'old'").fetchall()}
            for table in DATA_TABLES:
                if table in present:
                    con.execute(f"insert into {table} by name select * from old.{table}")
            con.execute("detach old")
        else:
            load_holidays(con)
        yield con
        finish(con)
        con.close()
        os.replace(tmp, live)
    except BaseException:
        con.close()
        _remove(tmp)
        raise


def load_holidays(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("insert into holidays select * from read_csv(?, header = true, columns = "
                "{'day': 'DATE', 'name_vi': 'VARCHAR'})", [str(SAMPLE_DIR / "holidays.csv")])


def finish(con: duckdb.DuckDBPyConnection) -> None:
    """Sort the base table by received time and rebuild every summary (tech-notes §3)."""
    con.execute("create or replace table dossiers as select * from dossiers order by received_at, dossier_code")
    con.execute(sql_text("calendar"))
    con.execute(sql_text("summaries"))
    con.execute(sql_text("restate"))  # unit_restated: every unit resolved to today's units
    from reform.restructure import MERGER_DAY  # here: reform.restructure imports this module
    # the merger day for the SQL rules, from its one definition (a date constant, not user input)
    con.execute(f"create or replace macro merger_day() as date '{MERGER_DAY.isoformat()}'")
    con.execute(sql_text("scope"))    # the scope macros every query file reads through
    con.execute("checkpoint")


def _remove(p: pathlib.Path) -> None:
    for f in (p, p.with_name(p.name + ".wal")):
        if f.exists():
            f.unlink()
