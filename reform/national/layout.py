"""The national roll-up's files: each province exports its database as Parquet, in one folder per
province, the dossiers split by year and month (Hive partitions, which Spark and DuckDB both read):

    DIR/dossiers/province=96/year=2025/month=7/data_0.parquet
    DIR/units/province=96/data.parquet        (also procedures, holidays, unit_mapping)

A province's export replaces its own folders only, so provinces can export at their own pace, to a
shared disk or an object store (docs/national.md).

    export(db_path, out, province)                 one province's database
    provinces(db_path, out, codes, keep)          a generated national set: the one database as several
                                                   provinces (codes prefixed), each a different sample
"""
from __future__ import annotations

import pathlib
import re
import shutil

import duckdb

from reform import db
from reform.national import REFERENCE

# each table's code columns, prefixed by the province in a generated set (provinces())
_CODES = {"units": ("unit_code", "parent_code", "successor_code"),
          "unit_mapping": ("old_code", "new_code"),
          "dossiers": ("dossier_code", "unit_code")}


def _check_province(province: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z_]{1,16}", province):
        raise ValueError(f"province code {province!r}: letters, digits or _, at most 16")
    return province


def _quoted(path: pathlib.Path) -> str:
    """A path as an SQL string literal (COPY ... TO takes no parameter)."""
    return "'" + str(path).replace("'", "''") + "'"


def _select(con: duckdb.DuckDBPyConnection, table: str, prefix: str | None, keep: float | None) -> str:
    """table's columns, its codes prefixed (prefix, a checked code), a share `keep` of its rows."""
    cols = [c for (c,) in con.execute(
        "select column_name from duckdb_columns() where database_name = 'src' and table_name = ? "
        "order by column_index", [table]).fetchall()]
    exprs = [f"'{prefix}.' || {c} as {c}" if prefix and c in _CODES.get(table, ()) else c for c in cols]
    where = f" where hash(dossier_code, '{prefix}') % 1000 < {round(keep * 1000)}" if keep is not None else ""
    return f"select {', '.join(exprs)} from src.{table}{where}"


def export(db_path: str | pathlib.Path, out: str | pathlib.Path, province: str, *,
           prefix: str | None = None, keep: float | None = None) -> int:
    """Write one province's dossiers and reference data under out (see the module's docstring), replacing
    what that province exported before. The number of dossiers written."""
    province = _check_province(province)
    out = pathlib.Path(out)
    db.check_path(db_path)
    con = duckdb.connect()
    try:
        con.execute("attach ? as src (read_only)", [str(db_path)])
        for table in REFERENCE:
            folder = out / table / f"province={province}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            con.execute(f"copy ({_select(con, table, prefix, None)}) to {_quoted(folder / 'data.parquet')} (format parquet)")
        folder = out / "dossiers" / f"province={province}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        body = _select(con, "dossiers", prefix, keep)
        con.execute(f"copy (select *, year(received_at) as year, month(received_at) as month from ({body}) "
                    f"order by received_at, dossier_code) to {_quoted(folder)} (format parquet, partition_by (year, month))")
        return con.execute(f"select count(*) from ({body})").fetchone()[0]
    finally:
        con.close()


def provinces(db_path: str | pathlib.Path, out: str | pathlib.Path, codes: list[str],
              keep: float | None = None) -> int:
    """A generated national set: db_path's province exported once per code, its codes prefixed by that
    code (units, dossiers and mapping stay apart) and, when keep is given, only that share of its dossiers,
    a different share for each code, so that no two provinces are equal. The dossiers written."""
    return sum(export(db_path, out, code, prefix=code, keep=keep) for code in codes)
