"""Named SQL queries: one .sql file per query in this folder, $named parameters, one runner.

    run(con, "kpi_counts", p_start=..., p_last=..., ...) -> pandas.DataFrame
    (every parameter passed is used by the query or declared ignored in its header, else TypeError)
    rows(con, "kpi_counts", ...) -> list[dict]   (small results: no Arrow, no pandas)
    columns(con, "kpi_counts", ...) -> {column: numpy array}   (numbers computed on in Python)

Each call uses its own cursor (DuckDB 2.0 refuses one connection shared across threads) and fetches
through Arrow (tech-notes §2e-2f). Values are always bound, never formatted into SQL text.
"""
from __future__ import annotations

import functools
import pathlib
import re
from typing import TYPE_CHECKING

import duckdb
import numpy as np

if TYPE_CHECKING:   # DuckDB loads pandas itself when a result is asked as a DataFrame: a command need not
    import pandas as pd

QUERY_DIR = pathlib.Path(__file__).resolve().parent


@functools.cache
def sql(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


@functools.cache
def parameters(name: str) -> frozenset[str]:
    """The $names a query uses."""
    return frozenset(m.group(1) for m in _TOKENS.finditer(sql(name)) if m.group(1))


# read left to right: a string literal or a comment hides what is inside it; else a $name
_TOKENS = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\$([a-z_][a-z0-9_]*)")


@functools.cache
def ignored(name: str) -> frozenset[str]:
    """The $names a query's header declares it takes and ignores (`-- ignores: $unit, $channel`): a
    caller may pass a view's whole scope, and the header says in words which keys do not apply."""
    found = re.findall(r"^--\s*ignores:(.*)$", sql(name), flags=re.M)
    return frozenset(n for line in found for n in re.findall(r"\$([a-z_][a-z0-9_]*)", line))


def _params(name: str, params: dict) -> dict:
    """The bound parameters: every one the query uses; a parameter it neither uses nor declares as
    ignored is refused, so a filter a query does not apply (a lens, a unit) cannot be dropped unseen."""
    unknown = params.keys() - parameters(name) - ignored(name)
    if unknown:
        raise TypeError(f"query {name} does not use parameters {sorted(unknown)} "
                        f"(use them, or declare them in its header: -- ignores: ${', $'.join(sorted(unknown))})")
    missing = parameters(name) - params.keys()
    if missing:
        raise TypeError(f"query {name} needs parameters {sorted(missing)}")
    return {k: v for k, v in params.items() if k in parameters(name)}


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


def names(con: duckdb.DuckDBPyConnection, name: str, key: str) -> dict[str, str]:
    """Code -> name from a query with a `name` column (unit_names, procedure_list)."""
    df = run(con, name)
    return dict(zip(df[key], df["name"]))


def columns(con: duckdb.DuckDBPyConnection, name: str, **params) -> dict[str, np.ndarray]:
    """The result as one numpy array per column, for numbers that Python computes on column-wise (the
    KPI values of a by-procedure view): a null is NaN in a number column (made float), None in others,
    NaT in a date column."""
    wanted = _params(name, params)
    cur = con.cursor()
    try:
        cur.execute(sql(name), wanted)
        return {c: _filled(v) for c, v in cur.fetchnumpy().items()}
    finally:
        cur.close()


def _filled(v: np.ndarray) -> np.ndarray:
    if not np.ma.isMaskedArray(v):
        return v
    if not v.mask.any():
        return v.data
    kind = v.dtype.kind
    if kind in "biuf":
        return v.astype(float).filled(np.nan)
    if kind in "mM":
        return v.filled(np.datetime64("NaT"))
    out = v.data.copy()
    out[v.mask] = None
    return out
