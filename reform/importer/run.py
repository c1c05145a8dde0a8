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
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from reform import db as rdb
from reform import limits, restructure, write_scope, writelock
from reform.headers import (
    COLUMNS,
    DEFAULTS,
    DOMAIN_NAMES,
    HEADER_MAP,
    KEYS,
    KINDS,
    LABEL_SQL_TYPE,
    LABELS,
    REFERENCES,
    REQUIRED,
    TABLES,
    guess_kind,
    is_pii,
    norm,
    vietnamese_names,
)
from reform.importer.read import Loaded, read_file
from reform.importer.report import _HIDDEN_POINTS, _HIDDEN_SQL, Report, _short
from reform.limits import MAX_PROBLEMS_SHOWN

# longest accepted code and text cells: a longer one is a damaged file (a quote left open swallows
# the rows after it), not a dossier code or a name
MAX_CHARS = {"code": 100, "text": 2000}


class Abort(Exception):
    """Raised inside rebuild() to discard the new file when the batch has problems."""


# ---------------------------------------------------------------------------------------------- headers
def map_columns(lf: Loaded, kind_opt: str | None, rep: Report) -> bool:
    kind = kind_opt or guess_kind(lf.headers)
    if kind is None:
        rep.problem(lf.name, 1, "-", "cannot tell what this file holds (no dossier_code/Mã hồ sơ, "
                    "procedure_code/Mã TTHC, unit_code/Mã đơn vị, indicator_code/Mã chỉ số or "
                    "old_code/Mã đơn vị cũ column); "
                    "check the header row or pass --kind")
        return False
    lf.kind = kind
    hmap = HEADER_MAP[kind]
    ok = True
    for pos, h in enumerate(lf.headers):
        key = norm(h)
        if not key:
            continue
        col = hmap.get(key)
        if col is not None:
            if col in lf.columns:
                rep.problem(lf.name, 1, h, f"second column for {col} (already given by "
                            f"{lf.headers[lf.columns[col]]!r})")
                ok = False
            else:
                lf.columns[col] = pos
        elif is_pii(h):
            rep.notice(f"{lf.name}: column {h!r} looks like personal data: dropped, never stored")
        else:
            rep.notice(f"{lf.name}: column {h!r} is not a {kind} column: ignored")
    for col in REQUIRED[kind]:
        if col not in lf.columns:
            vi = vietnamese_names(kind, col)
            alt = f" (or {' / '.join(repr(v.capitalize()) for v in vi)})" if vi else ""
            rep.problem(lf.name, 1, col, f"missing required column {col}{alt}")
            ok = False
    return ok


# ---------------------------------------------------------------------------------------------- staging
_NUM_DOT0 = re.compile(r"^(\d+)\.0+$")


def _label_key(v: str) -> str:
    k = norm(v)
    m = _NUM_DOT0.match(k)
    return m.group(1) if m else k


def _map_labels(arr: pa.ChunkedArray, table: dict[str, str]) -> pa.ChunkedArray:
    """Map a text column through a label table, computing norm() once per DISTINCT value
    (dictionary-encode, map the dictionary, take). Unknown values become null."""
    out = []
    for chunk in arr.chunks:
        enc = chunk.dictionary_encode()
        mapped = pa.array([table.get(_label_key(v)) for v in enc.dictionary.to_pylist()], pa.string())
        out.append(pc.take(mapped, enc.indices))
    return pa.chunked_array(out, pa.string())


def _trim(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Surrounding white space removed; a blank cell becomes null."""
    t = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t)


def _sql_type(typ: str) -> str:
    if typ in ("code", "text", "period"):
        return "varchar"
    if typ == "bool":
        return "boolean"
    if typ.startswith("label:"):
        return LABEL_SQL_TYPE.get(typ.split(":", 1)[1], "varchar")
    return {"ts": "timestamp", "date": "date", "num": "double"}[typ]


def create_conv_tables(con: duckdb.DuckDBPyConnection) -> None:
    for kind in KINDS:
        cols = [f'"raw_{c}" varchar' for c, t in COLUMNS[kind] if t not in _PLAIN]
        cols += [f'"{c}" {_sql_type(t)}' for c, t in COLUMNS[kind]]
        con.execute(f"create or replace temp table _conv_{kind} (f integer, r bigint, {', '.join(cols)})")


def label_tables(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    tables = {dom: {_label_key(k): v for k, v in m.items()} for dom, m in LABELS.items()}
    st = {}
    for code, vi, en in con.execute("select code, name_vi, name_en from status_codes").fetchall():
        for k in (str(code), vi, en):
            st[_label_key(k)] = str(code)
    tables["status"] = st
    tables["bool"][""] = "false"        # a blank cell in a present yes/no column (x/blank convention)
    return tables


def convert_file(con: duckdb.DuckDBPyConnection, lf: Loaded, labels: dict[str, dict[str, str]]) -> None:
    """Append one file to _conv_<kind>: trimmed raw text next to the converted value of each column."""
    kind = lf.kind
    src = lf.table
    n = src.num_rows
    cols: dict[str, pa.ChunkedArray] = {"r": src.column("r")}
    jobs = {}
    for col, _ in COLUMNS[kind]:
        pos = lf.columns.get(col)
        if pos is not None:
            jobs[col] = src.column(f"c{pos}")
    # Arrow compute releases the GIL: trim the columns on all cores
    try:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
            trimmed = dict(zip(jobs, ex.map(_trim, jobs.values())))
    except RuntimeError as e:   # "can't start new thread": no address space left for its stack
        raise MemoryError(str(e)) from e
    null = pa.nulls(n, pa.string())
    sel_raw, sel_val = [], []
    for col, typ in COLUMNS[kind]:
        raw = trimmed.get(col)
        if raw is not None and typ == "bool":
            raw = pc.fill_null(raw, "")
        x = f'"raw_{col}"'
        cols[f"raw_{col}"] = raw if raw is not None else null
        if typ not in _PLAIN:           # code/text columns are their own raw text (no copy)
            sel_raw.append(x)
        if raw is None:
            e = "null"
        elif typ in ("code", "text"):
            e = x
        elif typ == "ts":
            e = _ts_sql(x)
        elif typ == "date":
            e = f"({_ts_sql(x)})::date"
        elif typ == "num":
            e = _num_sql(x)
        elif typ == "period":
            e = _period_sql(x)
        else:
            dom = "bool" if typ == "bool" else typ.split(":", 1)[1]
            cols[f"lbl_{col}"] = _map_labels(raw, labels[dom])
            e = f'"lbl_{col}"'
        sel_val.append(f"({e})::{_sql_type(typ)}")
    t = pa.table(cols)
    name = f"_src_{lf.idx}"
    con.register(name, t)
    try:
        con.execute(f"insert into _conv_{kind} select ?::integer, r, {', '.join(sel_raw)}, "
                    f"{', '.join(sel_val)} from {name}", [lf.idx])
    finally:
        con.unregister(name)


def _ts_sql(x: str) -> str:
    """Text to timestamp: dd/mm/yyyy[ HH:MM[:SS[.f]]] or yyyy-mm-dd[( |T)HH:MM[:SS[.f]]]; anything else,
    including impossible dates (31/02/2020), gives null. One strptime format per value, picked by cheap
    tests on the text, is several times faster than a list of formats. Years outside 1900-2100 (e.g. a
    two-digit year) are reported by problem_sql."""
    def pick(d, sep):
        return (f"case when length({x}) <= 10 then try_strptime({x}, '{d}') "
                f"when {x} like '%:%:%' then case when contains({x}, '.') "
                f"then try_strptime({x}, '{d}{sep}%H:%M:%S.%f') else try_strptime({x}, '{d}{sep}%H:%M:%S') end "
                f"else try_strptime({x}, '{d}{sep}%H:%M') end")
    return (f"case when contains({x}, '/') then {pick('%d/%m/%Y', ' ')} "
            f"when contains({x}, 'T') then {pick('%Y-%m-%d', 'T')} else {pick('%Y-%m-%d', ' ')} end")


def _num_sql(x: str) -> str:
    return (f"try_cast(case when regexp_full_match({x}, '-?\\d+,\\d+') then replace({x}, ',', '.') "
            f"else replace({x}, ' ', '') end as double)")


def _period_sql(x: str) -> str:
    p = f"regexp_replace(upper({x}), '\\s+', '', 'g')"
    return f"""(case
        when regexp_full_match({p}, '\\d{{4}}') then {p}
        when regexp_full_match({p}, '\\d{{4}}-(0?[1-9]|1[0-2])')
            then left({p}, 4) || '-' || lpad(split_part({p}, '-', 2), 2, '0')
        when regexp_full_match({p}, '(0?[1-9]|1[0-2])/\\d{{4}}')
            then split_part({p}, '/', 2) || '-' || lpad(split_part({p}, '/', 1), 2, '0')
        when regexp_full_match({p}, '\\d{{4}}-?Q[1-4]') then left({p}, 4) || 'Q' || right({p}, 1)
        when regexp_full_match({p}, '(Q|QUÝ)[1-4][/-]\\d{{4}}')
            then right({p}, 4) || 'Q' || regexp_extract({p}, '[1-4]')
        when regexp_full_match({p}, '\\d{{4}}-(0[1-9]|1[0-2])-01( 00:00(:00)?)?') then left({p}, 7)
        end)"""


def _insert_expr(kind: str, col: str) -> str:
    default = DEFAULTS.get((kind, col))
    if default is None:
        return f'"{col}"'
    if isinstance(default, bool):
        lit = "true" if default else "false"
    elif isinstance(default, (int, float)):
        lit = repr(float(default))
    else:
        lit = "'" + default.replace("'", "''") + "'"
    return f'coalesce("{col}", {lit}) as "{col}"'


_PLAIN = ("code", "text")
_TYPES = {kind: dict(cols) for kind, cols in COLUMNS.items()}


def _raw(kind: str, col: str) -> str:
    """The column holding the trimmed text of the file for col (code/text columns have no copy)."""
    return f'"{col}"' if _TYPES[kind][col] in _PLAIN else f'"raw_{col}"'


def _q(col: str, kind: str) -> str:
    """A SQL expression quoting a raw value for a message (the value itself is data, never SQL); a
    hidden character (HIDDEN) is shown as U+FFFD, so the message reads as it is written."""
    v = f"regexp_replace({_raw(kind, col)}, '{_HIDDEN_SQL}', '\ufffd', 'g')"
    return f"'''' || left(replace(replace({v}, chr(10), ' '), chr(13), ' '), 80) || ''''"


def _hidden_sql(raw: str) -> str:
    """The message for the first hidden character of raw: 'U+202E RIGHT-TO-LEFT OVERRIDE at character 4'."""
    first = f"regexp_extract({raw}, '{_HIDDEN_SQL}')"
    names = " ".join(f"when {c} then '{unicodedata.name(chr(c))}'" for c in _HIDDEN_POINTS)
    return (f"printf('U+%04X ', unicode({first})) || case unicode({first}) {names} end "
            f"|| ' at character ' || instr({raw}, {first})")


def problem_sql(kind: str, absent: dict[str, list[int]]) -> str:
    """One query listing every problem of a kind as (f, r, col, reason). absent[col] = the files
    without that column (already reported as a missing column, so no per-cell report)."""
    t = f"_conv_{kind}"
    parts = []
    for col in REQUIRED[kind]:
        skip = "".join(f" and f <> {int(i)}" for i in absent.get(col, []))
        parts.append(f"select f, r, '{col}', 'empty required cell' from {t} "
                     f"where {_raw(kind, col)} is null{skip}")
    for col, typ in COLUMNS[kind]:
        raw, val = _raw(kind, col), f'"{col}"'
        if typ in _PLAIN:
            limit = MAX_CHARS[typ]
            parts.append(f"select f, r, '{col}', 'too long: ' || length({raw}) || ' characters "
                         f"(at most {limit}): ' || {_q(col, kind)} from {t} where length({raw}) > {limit}")
            parts.append(f"select f, r, '{col}', 'a spreadsheet formula, not a value: ' || {_q(col, kind)} || "
                         f"' (paste the values)' from {t} where starts_with({raw}, '=')")
            parts.append(f"select f, r, '{col}', 'hidden character ' || {_hidden_sql(raw)} || ': ' || "
                         f"{_q(col, kind)} || ' (invisible, or it reverses the text around it: retype the value)' "
                         f"from {t} where regexp_matches({raw}, '{_HIDDEN_SQL}')")
            if typ == "code":
                parts.append(f"select f, r, '{col}', 'a code with a double quote, tab or line break: ' || "
                             f"{_q(col, kind)} || ' (a quote left open in the file?)' from {t} "
                             f"where regexp_matches({raw}, '[\"\\t\\n\\r]')")
        elif typ in ("ts", "date"):
            parts.append(f"select f, r, '{col}', 'unparseable or impossible date ' || {_q(col, kind)} || "
                         f"' (expected dd/mm/yyyy[ HH:MM[:SS]] or yyyy-mm-dd[ HH:MM[:SS]])' "
                         f"from {t} where {raw} is not null "
                         f"and ({val} is null or year({val}) not between 1900 and 2100)")
        elif typ == "num":
            parts.append(f"select f, r, '{col}', 'not a number: ' || {_q(col, kind)} from {t} "
                         f"where {raw} is not null and {val} is null")
            if col in ("legal_days", "fee_amount", "supplement_days"):
                parts.append(f"select f, r, '{col}', 'negative value: ' || {_q(col, kind)} from {t} "
                             f"where {val} < 0")
        elif typ == "period":
            parts.append(f"select f, r, '{col}', 'unknown period ' || {_q(col, kind)} || "
                         f"' (expected yyyy, yyyy-mm or yyyyQn)' from {t} "
                         f"where {raw} is not null and {val} is null")
        elif typ == "bool" or typ.startswith("label:"):
            dom = "bool" if typ == "bool" else typ.split(":", 1)[1]
            allowed = "; expected " + _allowed(dom)
            parts.append(f"select f, r, '{col}', 'unknown {DOMAIN_NAMES[dom]} ' || {_q(col, kind)} || "
                         f"'{allowed}' from {t} where {raw} is not null and {raw} <> '' and {val} is null")
    if kind == "dossiers":
        for col, what in (("due_at", "due date"), ("finished_at", "finish date")):
            parts.append(f"select f, r, '{col}', '{what} ' || {_q(col, kind)} || "
                         f"' is before the received date ' || {_q('received_at', kind)} "
                         f"from {t} where {col}::date < received_at::date")
    if kind in ("units", "procedures"):
        parts.append(f"select f, r, 'valid_to', 'valid_to ' || {_q('valid_to', kind)} || "
                     f"' is before valid_from ' || {_q('valid_from', kind)} from {t} where valid_to < valid_from")
    # duplicate keys within the batch (a null unit_code of an indicator is part of the key)
    key = KEYS[kind]
    kcols = ", ".join(f'"{k}"' for k in key)
    kdesc = " + ".join(key)
    kval = " || ' / ' || ".join(f"coalesce(\"{k}\", '')" for k in key)
    match = " and ".join(f'd."{k}" is not distinct from c."{k}"' for k in key)
    dup = (f"select f, r, '{key[0]}', 'duplicate key {kdesc} ''' || {kval} || ''' (first in row ' "
           f"|| first_r || case when first_f <> f then ' of file #' || (first_f + 1) else '' end || ')' "
           f"from (select f, r, {kcols}, first_value(r) over w as first_r, "
           f"first_value(f) over w as first_f, row_number() over w as n "
           f"from {t} c where \"{key[0]}\" is not null "
           f"and exists (select 1 from (select {kcols} from {t} where \"{key[0]}\" is not null "
           f"group by all having count(*) > 1) d where {match}) "
           f"window w as (partition by {kcols} order by f, r)) where n > 1")
    parts.append(dup)
    # unknown references: neither in the database nor in this batch
    for (k, col), target in REFERENCES.items():
        if k != kind:
            continue
        tk = KEYS[target][0]
        parts.append(f"select f, r, '{col}', 'unknown {target[:-1]} code ' || {_q(col, kind)} "
                     f"from {t} c where c.\"{col}\" is not null "
                     f"and not exists (select 1 from {target} x where x.{tk} = c.\"{col}\") "
                     f"and not exists (select 1 from _conv_{target} y where y.{tk} = c.\"{col}\")")
    return " union all ".join(f"({p})" for p in parts)


def _allowed(dom: str) -> str:
    if dom == "status":
        return "1-10 or a status name"
    labels = sorted(set(LABELS[dom]), key=lambda s: (len(s) > 2, s))
    s = ", ".join(labels[:12]).replace("'", "")
    return s + (", ..." if len(labels) > 12 else "")


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
