"""The national file: every province's Parquet files (reform/national/layout.py) as one database the
dashboard serves as it serves a province's. Its summaries are built by DuckDB, as every build is
(reform/db.py finish), or, with summaries=, taken as Spark's job wrote them (reform/national/spark_job.py):
the same statements, so the same rows (tests/test_national.py compares them).

    build(data, db_path, summaries=None, step=None)
"""
from __future__ import annotations

import pathlib
from collections.abc import Callable

import duckdb

from reform import db
from reform.national import REFERENCE


def _parquet(folder: pathlib.Path) -> str:
    """A read of every Parquet file under folder, its Hive partitions (province, year, month) as columns."""
    if not any(folder.rglob("*.parquet")):
        raise FileNotFoundError(f"no Parquet files under {folder}: export the provinces first "
                                "(python -m reform national export)")
    glob = str(folder / "**" / "*.parquet").replace("'", "''")
    return f"read_parquet('{glob}', hive_partitioning = true, union_by_name = true)"


def _load(con: duckdb.DuckDBPyConnection, data: pathlib.Path) -> None:
    """The provinces' rows into the new file's tables: the reference data made one by national.sql."""
    for name in REFERENCE:
        con.execute(f"create or replace temp view {name}_all as select * from {_parquet(data / name)}")
    con.execute(db.sql_text("national"))            # temp views units, procedures, ... over them
    main = con.execute("select current_database()").fetchone()[0].replace('"', '""')
    for name in REFERENCE:
        con.execute(f'delete from "{main}".main.{name}')     # the sample's holidays a new file starts with
        con.execute(f'insert into "{main}".main.{name} by name select * from temp.main.{name}')
        con.execute(f"drop view temp.main.{name}")
        con.execute(f"drop view {name}_all")
    con.execute(f'insert into "{main}".main.dossiers by name '
                f"select * exclude (province, year, month) from {_parquet(data / 'dossiers')}")


def _summaries_from(folder: pathlib.Path) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """finish()'s build step that takes each summary table from Spark's Parquet output, in DuckDB's
    order and with DuckDB's column types (those build.sql gives over no dossiers)."""
    from reform.national import sparksql  # sqlglot: installed with Spark (requirements-spark.txt)

    def build(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("create or replace temp table dossier_facts as "
                    "select * exclude (received_at) from dossier_facts_v limit 0")
        outputs = [st for st in sparksql.statements() if st.name in sparksql.OUTPUTS]
        for st in outputs:      # all empty first: a summary of a summary then reads no rows for its types
            con.execute(f"create or replace table {st.name} as {st.query.sql('duckdb')} limit 0")
        for st in outputs:
            order = ", ".join(st.order) or "all"
            con.execute(f"insert into {st.name} by name select * from {_parquet(folder / st.name)} order by {order}")
        con.execute("drop table dossier_facts")
    return build


def build(data: str | pathlib.Path, db_path: str | pathlib.Path, summaries: str | pathlib.Path | None = None,
          step: Callable[..., None] | None = None) -> int:
    """Build the national file at db_path from the Parquet folder data (replacing it atomically, under its
    write lock, as every write does). The dossiers it holds."""
    data = pathlib.Path(data)
    build_step = _summaries_from(pathlib.Path(summaries)) if summaries else None
    with db.rebuild(db_path, copy_existing=False, task="national build", step=step, build=build_step) as con:
        _load(con, data)
        return con.execute("select count(*) from dossiers").fetchone()[0]
