"""Named SQL queries: one .sql file per query in this folder, $named parameters, one runner.

    run(con, "kpi_counts", p_start=..., p_last=..., ...) -> pandas.DataFrame
    rows(con, "kpi_counts", ...) -> list[dict]   (small results: no Arrow, no pandas)

Each call uses its own cursor (DuckDB 2.0 refuses one connection shared across threads) and fetches
through Arrow (tech-notes §2e-2f). Values are always bound, never formatted into SQL text.
"""
from __future__ import annotations

import functools
import pathlib
import re

import duckdb
import pandas as pd

QUERY_DIR = pathlib.Path(__file__).resolve().parent


@functools.cache
def sql(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


@functools.cache
def parameters(name: str) -> frozenset[str]:
    """The $names a query uses (so callers may pass a superset of filters)."""
    text = re.sub(r"--[^\n]*", "", sql(name))
    return frozenset(re.findall(r"\$([a-z_][a-z0-9_]*)", text))


def _params(name: str, params: dict) -> dict:
    wanted = {k: v for k, v in params.items() if k in parameters(name)}
    missing = parameters(name) - wanted.keys()
    if missing:
        raise TypeError(f"query {name} needs parameters {sorted(missing)}")
    return wanted


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    wanted = _params(name, params)
    cur = con.cursor()
    try:
        return cur.sql(sql(name), params=wanted).to_arrow_table().to_pandas()
    finally:
        cur.close()


def rows(con: duckdb.DuckDBPyConnection, name: str, **params) -> list[dict]:
    """The result as dicts, for small results read by Python code (the KPI counts): a plain execute
    binds the SQL once (con.sql binds it again to build a relation) and skips Arrow and pandas."""
    wanted = _params(name, params)
    cur = con.cursor()
    try:
        cur.execute(sql(name), wanted)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        cur.close()
