"""Staging: each file's cells trimmed (Arrow compute), coded labels mapped once per distinct value,
dates, numbers and periods parsed in DuckDB SQL into one temp table per kind, _conv_<kind>, which
keeps the trimmed text of the file next to each converted value."""
from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from reform.headers import COLUMNS, DEFAULTS, KINDS, LABEL_SQL_TYPE, LABELS, norm
from reform.importer.read import Loaded

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
