"""The 2025 restructuring as data (issue 6, docs/restructuring.md): the unit mapping's rules,
the resolution of every unit to today's units, KPI counts restated to today's structure, and the
district rule.

    check(con)                    broken mapping rules of a built database (the sample build uses it)
    add_batch_problems(con)       the same rules for an import batch, as importer problems
    resolve(con)                  unit_restated(old_code, today_code, weight, approximate) as a DataFrame
    propose_district_rows(con)    the district rule: mapping rows for the district committees

The SQL lives in reform/sql/mapping_check.sql, restate.sql and district_mapping.sql; this module only
runs it. The counts restated to today's units are the restated lens of the query path the dashboard
runs: reform.compute.kpis(..., lens="restated") (reform/sql/scope.sql, queries/kpi_counts.sql).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

import duckdb

import queries
from reform import db

if TYPE_CHECKING:   # pandas only for the annotation: an import need not load it
    import pandas as pd


class Problem(NamedTuple):
    old_code: str
    new_code: str | None
    column: str
    reason: str

    def __str__(self) -> str:
        row = f"{self.old_code} -> {self.new_code}" if self.new_code else self.old_code
        return f"unit_mapping [{row}] {self.column}: {self.reason}"


def _steps(name: str) -> dict[str, str]:
    parts = re.split(r"^-- step: (\w+)\n", db.sql_text(name), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def check(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    """Every broken rule of the mapping stored in con (units and unit_mapping tables)."""
    steps = _steps("mapping_check")
    con.execute(steps["tables"])
    rows = con.execute(steps["check"]).fetchall()
    return [Problem(old, new, col, reason) for _f, _r, col, old, new, reason in rows]


def add_batch_problems(con: duckdb.DuckDBPyConnection) -> None:
    """For the importer: the rules over what the database would hold after the batch (_conv_units and
    _conv_mapping over the stored units and unit_mapping), appended to its _problems table as
    (file, row, column, reason). A problem with no row in the batch (a stored unit left unmapped) is
    reported on the header row of the first mapping file."""
    steps = _steps("mapping_check")
    con.execute(steps["batch"])
    con.execute(f"""insert into _problems
        select coalesce(f, (select min(f) from _conv_mapping)), coalesce(r, 1), col, reason
        from ({steps['check'].strip().rstrip(';')})""")


def rebuild_restated(con: duckdb.DuckDBPyConnection) -> None:
    """unit_restated from units and unit_mapping (db.finish does this on every build and import)."""
    con.execute(db.sql_text("restate"))


def resolve(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(old_code, today_code, weight, approximate) for every unit code: join it on old_code."""
    return queries.run(con, "unit_restated")


def propose_district_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(old_code, new_code, effective_date, share_kind, weight) rows for the district committees by the
    district rule, from the communes' rows already in unit_restated (see district_mapping.sql)."""
    return con.execute(db.sql_text("district_mapping")).fetchall()

