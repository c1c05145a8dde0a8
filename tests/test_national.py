"""The national roll-up (reform/national, docs/national.md): a province's Parquet export loses nothing, the
national file DuckDB builds from several provinces holds their union, and Apache Spark, running the same
statements transpiled, writes the same summary rows as DuckDB.

The Spark test needs pyspark, sqlglot (requirements-spark.lock) and Java: skipped without them, except in
CI (REFORM_REQUIRE_SPARK=1), where their absence fails it."""
from __future__ import annotations

import importlib
import json
import math
import os
import pathlib
import shutil

import duckdb
import pytest

from reform import db
from reform.national import build, layout
from tests.conftest import reform_cli

SUMMARIES = ("kpi_month", "stock_month", "kpi_month_unit", "stock_month_unit", "data_info", "open_now")


def _need(module: str):
    if os.environ.get("REFORM_REQUIRE_SPARK"):
        return importlib.import_module(module)      # CI: missing is a failure
    return pytest.importorskip(module, reason="Spark is optional: requirements-spark.lock")


def _diff(a: pathlib.Path, b: pathlib.Path, table: str) -> tuple[int, int]:
    """(rows of table in a, rows in one file and not the other, counted with duplicates)."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as a (read_only)", [str(a)])
        con.execute("attach ? as b (read_only)", [str(b)])
        rows = con.execute(f"select count(*) from a.{table}").fetchone()[0]
        differ = con.execute(f"select count(*) from ((from a.{table} except all from b.{table}) union all "
                             f"(from b.{table} except all from a.{table}))").fetchone()[0]
        return rows, differ
    finally:
        con.close()


def _types(path: pathlib.Path, table: str) -> list[tuple[str, str]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select column_name, data_type from duckdb_columns() where table_name = ? "
                           "order by column_index", [table]).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def national(small_db, tmp_path_factory) -> dict:
    """Three provinces made of the small sample, each a different 70 % of its dossiers; the national file
    built from them by DuckDB."""
    root = tmp_path_factory.mktemp("national")
    data = root / "data"
    n = layout.provinces(small_db, data, ["96", "95", "01"], keep=0.7)
    duck = root / "duck.duckdb"
    build.build(data, duck)
    return {"root": root, "data": data, "dossiers": n, "duck": duck}


def test_one_province_round_trip_loses_nothing(small_db, tmp_path):
    """Exported as one province and built back, the file has the same dossiers, units and summaries."""
    layout.export(small_db, tmp_path / "data", "96")
    back = tmp_path / "back.duckdb"
    build.build(tmp_path / "data", back)
    for table in ("dossiers", "units", "procedures", "holidays", "unit_mapping", *SUMMARIES):
        rows, differ = _diff(small_db, back, table)
        assert rows > 0 and differ == 0, (table, rows, differ)
    # the partitions: one folder per province, year and month received
    months = {p.parent.name for p in (tmp_path / "data" / "dossiers" / "province=96").glob("year=*/month=*/*.parquet")}
    assert months and all(m.startswith("month=") for m in months)


def test_national_file_holds_every_province(national, small_db):
    """The provinces' dossiers, counted independently of the build (the share each kept), and the
    units of each, prefixed by its code; every summary count adds up to the dossiers."""
    con = duckdb.connect(str(small_db), read_only=True)
    want = sum(con.execute(f"select count(*) from dossiers where hash(dossier_code, '{p}') % 1000 < 700").fetchone()[0]
               for p in ("96", "95", "01"))
    units = con.execute("select count(*) from units").fetchone()[0]
    con.close()
    assert national["dossiers"] == want
    nat = duckdb.connect(str(national["duck"]), read_only=True)
    try:
        assert nat.execute("select count(*) from dossiers").fetchone()[0] == want
        assert nat.execute("select sum(n_received) from kpi_month").fetchone()[0] == want
        by = dict(nat.execute("select split_part(unit_code, '.', 1), count(*) from units group by 1").fetchall())
        assert by == {"96": units, "95": units, "01": units}
        # procedures are national: every province exported the same list, read once
        assert nat.execute("select count(*) = count(distinct procedure_code) from procedures").fetchone()[0]
    finally:
        nat.close()


def test_a_province_exported_again_replaces_its_own_files(national, small_db, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(national["data"], data)
    n = layout.export(small_db, data, "95", prefix="95", keep=0.5)
    files = list((data / "dossiers" / "province=95").rglob("*.parquet"))
    con = duckdb.connect()
    got = con.execute("select count(*) from read_parquet(?)", [[str(f) for f in files]]).fetchone()[0]
    total = con.execute("select count(*) from read_parquet(?, hive_partitioning = true)",
                        [str(data / "dossiers" / "**" / "*.parquet")]).fetchone()[0]
    assert got == n
    assert total == national["dossiers"] - _province_count(national["data"], "95") + n


def _province_count(data: pathlib.Path, province: str) -> int:
    return duckdb.connect().execute("select count(*) from read_parquet(?)",
                                    [str(data / "dossiers" / f"province={province}" / "**" / "*.parquet")]).fetchone()[0]


@pytest.mark.parametrize("code", ["../x", "96/..", "", "a b", "9'6", "x" * 17])
def test_a_province_code_is_a_name_not_a_path(small_db, tmp_path, code):
    with pytest.raises(ValueError, match="province code"):
        layout.export(small_db, tmp_path, code)
    assert not any(tmp_path.iterdir())


def test_cli_says_what_is_missing(tmp_path):
    r = reform_cli("national", "build", "--data", str(tmp_path / "none"), "--db", str(tmp_path / "n.duckdb"), check=False)
    assert r.returncode == 2 and "no Parquet files" in r.stderr and "national export" in r.stderr
    assert not (tmp_path / "n.duckdb").exists()


def test_transpiled_statements_cover_the_build():
    """Every statement of the DuckDB build has a Spark twin that sqlglot writes without loss, and the
    rewrites leave no DuckDB-only syntax."""
    _need("sqlglot")
    from reform.national import sparksql
    sts = sparksql.statements()
    names = [s.name for s in sts]
    assert [n for n in names if n in SUMMARIES] == list(SUMMARIES)
    cols = {"units_all": ["unit_code", "name", "province"], "procedures_all": ["procedure_code", "province"],
            "holidays_all": ["day", "name_vi"], "unit_mapping_all": ["old_code", "province"],
            "dossier_facts_v": ["dossier_code", "received_at", "rd"],
            "kpi_month": ["month", "unit_code", "level", "procedure_code", "field", "channel", "n_received", "n_late"],
            "stock_month": ["month", "unit_code", "level", "procedure_code", "field", "channel", "n_open"]}
    for st in sts:
        if st.query is None:
            continue
        text = sparksql.spark(st, lambda t: cols[t])
        for duckdb_only in ("BY NAME", "COLUMNS(", "EXCEPT (", "QUERY_TABLE", "_OF(", "RANGE("):
            assert duckdb_only not in text.upper(), (st.name, duckdb_only, text)
    unit = next(s for s in sts if s.name == "kpi_month_unit")
    assert "SUM(n_received) AS BIGINT) AS n_received" in sparksql.spark(unit, lambda t: cols[t])


def test_spark_writes_the_same_summaries_as_duckdb(national, tmp_path):
    """Spark in local mode over the three provinces: every summary row equals DuckDB's, with the same
    column types, and the dashboard's Overview (its JSON twin) shows the same numbers from either file."""
    _need("pyspark")
    _need("sqlglot")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        if os.environ.get("REFORM_REQUIRE_SPARK"):
            pytest.fail("no Java: Spark needs Java 17 or newer")
        pytest.skip("no Java: Spark needs Java 17 or newer")
    out = tmp_path / "summaries"
    r = reform_cli("national", "spark", "--data", str(national["data"]), "--out", str(out), "--master", "local[2]",
                   "--memory", "2g")
    assert "summaries under" in r.stdout
    assert not (out / "_work").exists()
    spark_db = tmp_path / "spark.duckdb"
    reform_cli("national", "build", "--data", str(national["data"]), "--summaries", str(out), "--db", str(spark_db))
    for table in SUMMARIES:
        rows, differ = _diff(national["duck"], spark_db, table)
        assert rows > 0 and differ == 0, (table, rows, differ)
        assert _types(national["duck"], table) == _types(spark_db, table), table
    # kept_counts is DuckDB's in both files, from equal summaries: equal but for the order doubles were
    # added in (the restated lens's weights)
    con = duckdb.connect()
    con.execute("attach ? as a (read_only)", [str(national["duck"])])
    con.execute("attach ? as b (read_only)", [str(spark_db)])
    a = con.execute("from a.kept_counts order by all").fetchall()
    b = con.execute("from b.kept_counts order by lens, by_key, level_key, b_start, grp, from_dossiers").fetchall()
    key = lambda row: tuple(str(x) for x in row[:6])  # noqa: E731
    a, b = sorted(a, key=key), sorted(b, key=key)
    assert len(a) == len(b) > 0
    for x, y in zip(a, b):
        assert key(x) == key(y)
        assert all(math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-9) if isinstance(u, float) else u == v
                   for u, v in zip(x, y)), (x, y)
    views = [json.loads(reform_cli("view", "/?p=2025Q2", "--db", str(f)).stdout) for f in (national["duck"], spark_db)]
    assert views[0] == views[1]
    assert db.identify(spark_db)["version"] == db.SCHEMA_VERSION
