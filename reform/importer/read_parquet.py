"""Reading a Parquet file: the metadata and the dictionary-encoded text columns checked against the
limits before anything is decoded, then the typed columns turned (in DuckDB) into the text a CSV would
hold."""
from __future__ import annotations

import pathlib

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from reform import limits


def _read_parquet(path: pathlib.Path):
    """Parquet compresses well: a column of one long string repeated is a few bytes per row on disk
    and gigabytes in memory. The metadata bounds columns, row groups, rows and the uncompressed size;
    text columns are then read still dictionary-encoded, one row group at a time, and their decoded
    size and longest cell measured on the dictionary before any is decoded."""
    pf = pq.ParquetFile(path)
    md = pf.metadata
    limits.check("columns", md.num_columns, f"{limits.n(md.num_columns)} columns")
    limits.check("row_groups", md.num_row_groups, f"{limits.n(md.num_row_groups)} row groups")
    limits.check("rows", md.num_rows, f"{limits.n(md.num_rows)} data rows")
    raw = sum(md.row_group(i).total_byte_size for i in range(md.num_row_groups))
    limits.check("data_mb", raw, f"{limits.mb(raw)} MB of data uncompressed", scale=2 ** 20)
    schema = pf.schema_arrow
    nested = [f.name for f in schema if pa.types.is_nested(f.type)]
    if nested:
        raise ValueError(f"column {nested[0]!r} holds lists or records ({schema.field(nested[0]).type}): "
                         "expected text, numbers or dates")
    text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
            or pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)]
    pf = pq.ParquetFile(path, read_dictionary=text)
    cell_cap, data_cap = limits.get("cell_kb") * 1024, limits.get("data_mb") * 2 ** 20
    total, first, groups = 0, 0, []
    for g in range(md.num_row_groups):
        t = pf.read_row_group(g)
        for j, f in enumerate(t.schema):
            col = t.column(j)
            if not pa.types.is_dictionary(f.type):
                total += col.nbytes
                continue
            at = 0
            for chunk in col.chunks:
                lengths = pc.take(pc.binary_length(chunk.dictionary), chunk.indices)
                total += pc.sum(lengths).as_py() or 0
                longest = pc.max(lengths).as_py()
                if longest is not None and longest > cell_cap:
                    row = first + at + pc.index(pc.greater(lengths, cell_cap), True).as_py() + 2
                    limits.check("cell_kb", longest, f"a cell of {limits.n(-(-longest // 1024))} KB",
                                 row=row, column=f.name, scale=1024)
                at += len(chunk)
            if total > data_cap:
                limits.check("data_mb", total, f"more than {limits.mb(total)} MB of data decoded", scale=2 ** 20)
        groups.append(t.cast(pa.schema([pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type)
                                        else f for f in t.schema])))
        first += t.num_rows
    t = pa.concat_tables(groups) if groups else schema.empty_table()
    header = list(t.column_names)
    t = t.rename_columns([f"c{i}" for i in range(len(header))])
    t = t.append_column("r", pa.array(range(2, t.num_rows + 2), pa.int64()))
    return header, t, "Parquet"


def _to_text_sql(col: str, typ: pa.DataType) -> str:
    """DuckDB expression turning a typed (Parquet) column into the text a CSV would hold."""
    c = f'"{col}"'
    if pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_string_view(typ):
        return c
    if pa.types.is_timestamp(typ):
        if typ.tz is not None:
            c = f"timezone('UTC', {c})"
        return f"strftime({c}::timestamp, '%Y-%m-%d %H:%M:%S')"
    if pa.types.is_date(typ):
        return f"strftime({c}::date, '%Y-%m-%d')"
    if pa.types.is_boolean(typ):
        return f"case when {c} then 'true' when not {c} then 'false' end"
    if pa.types.is_floating(typ) or pa.types.is_decimal(typ):
        return (f"case when {c}::double = trunc({c}::double) and abs({c}::double) < 1e15 "
                f"then ({c}::double)::bigint::varchar else ({c}::double)::varchar end")
    return f"{c}::varchar"


def _typed_to_text(table: pa.Table) -> pa.Table:
    """Parquet: every non-string column to text, in DuckDB (vectorized)."""
    if all(pa.types.is_string(f.type) or pa.types.is_large_string(f.type) for f in table.schema):
        return table
    con = duckdb.connect(config={"memory_limit": limits.duckdb_memory()})
    try:
        con.register("_t", table)
        exprs = ", ".join(f'{_to_text_sql(f.name, f.type)}::varchar as "{f.name}"' for f in table.schema
                          if f.name != "r")
        return con.sql(f"select {exprs}, r from _t").to_arrow_table()
    finally:
        con.close()
