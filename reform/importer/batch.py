"""The batch: every file read, mapped, staged and checked into one report (_prepare); with no
problem, upserted by key and logged in import_log (_upsert). And the temp files a killed writer left."""
from __future__ import annotations

import datetime as dt
import os
import pathlib
import re

import duckdb

from reform import restructure
from reform.headers import COLUMNS, KEYS, KINDS, REQUIRED, TABLES
from reform.importer.checks import problem_sql
from reform.importer.columns import map_columns
from reform.importer.read import Loaded, read_file
from reform.importer.report import Report
from reform.importer.staging import _insert_expr, convert_file, create_conv_tables, label_tables
from reform.limits import MAX_PROBLEMS_SHOWN


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
        cols = ", ".join(f'"{c}"' for c, _ in COLUMNS[kind])
        exprs = ", ".join(_insert_expr(kind, c) for c, _ in COLUMNS[kind])
        con.execute("create temp table if not exists _written (kind varchar)")
        con.execute("insert into _written values (?)", [kind])
        if kind == "dossiers":  # the rows replaced and brought, which reform.refresh adds to the summaries
            con.execute(f'create or replace temp table _dossiers_before as from {table} '
                        f'where "{key[0]}" in (select "{key[0]}" from {t})')
            con.execute(f"create or replace temp table _dossiers_after as from {table} limit 0")   # its types
            con.execute(f"insert into _dossiers_after ({cols}) select {exprs} from {t}")
        if len(key) == 1:
            con.execute(f'delete from {table} where "{key[0]}" in (select "{key[0]}" from {t})')
        else:
            con.execute(f"delete from {table} x where exists (select 1 from {t} c where {match})")
        if kind == "dossiers":
            con.execute(f"insert into {table} from _dossiers_after")
        else:
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
