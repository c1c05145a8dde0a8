"""What a data officer limited to one unit may import (issue 13, DESIGN §8): only rows of that unit and
the units under it. `python -m reform import --scope UNIT` (the Data page passes the signed-in
account's scope) reports every other row by row and column, so the whole batch is refused.

The scope's tree is taken as it will be after the batch (a new unit under the scope counts as inside;
a unit moved out of it does not), and a stored unit or dossier outside the scope may not be replaced
from inside it. Procedures are province-wide: a scoped officer imports none."""
from __future__ import annotations

import duckdb

from reform.limits import MAX_PROBLEMS_SHOWN

# each rule: (kind, column, SQL listing (f, r) of the offending staged rows, reason); $scope is bound.
# _after: the scope's unit codes once the batch is applied; _before: as stored.
_RULES = (
    ("procedures", "procedure_code", "select f, r from _conv_procedures",
     "procedures are province-wide: an account limited to unit {scope} cannot import them"),
    ("units", "unit_code",
     "select f, r from _conv_units c where c.unit_code not in (select unit_code from _after) "
     "or (exists (select 1 from units u where u.unit_code = c.unit_code) "
     "and c.unit_code not in (select unit_code from _before))",
     "unit outside the scope {scope} (its parent chain does not reach it)"),
    ("units", "parent_code",
     "select f, r from _conv_units c join units u using (unit_code) "
     "where c.unit_code = $scope and c.parent_code is distinct from u.parent_code",
     "the scope's own unit {scope} cannot be moved to another parent"),
    ("dossiers", "unit_code",
     "select f, r from _conv_dossiers where unit_code is null or unit_code not in (select unit_code from _after)",
     "unit outside the scope {scope}"),
    ("dossiers", "dossier_code",
     "select c.f, c.r from _conv_dossiers c join dossiers d using (dossier_code) "
     "where d.unit_code is null or d.unit_code not in (select unit_code from _before)",
     "this dossier is already recorded under a unit outside the scope {scope}"),
    ("indicators", "unit_code",
     "select f, r from _conv_indicators where unit_code is null or unit_code not in (select unit_code from _after)",
     "unit outside the scope {scope} (a blank unit is the whole province)"),
    ("mapping", "old_code",
     "select f, r from _conv_mapping where old_code not in (select unit_code from _after)",
     "unit outside the scope {scope}"),
    ("mapping", "new_code",
     "select f, r from _conv_mapping where new_code not in (select unit_code from _after)",
     "unit outside the scope {scope}"),
)

_TREES = """
create or replace temp table _before as
with recursive t(unit_code) as (
    select unit_code from units where unit_code = $scope
    union select u.unit_code from units u join t on u.parent_code = t.unit_code)
select unit_code from t;
create or replace temp table _after as
with recursive merged as (
    select unit_code, parent_code from _conv_units where unit_code is not null
    union all
    select unit_code, parent_code from units u
    where not exists (select 1 from _conv_units c where c.unit_code = u.unit_code)
), t(unit_code) as (
    select unit_code from units where unit_code = $scope
    union select m.unit_code from merged m join t on m.parent_code = t.unit_code)
select unit_code from t;
"""


def problems(con: duckdb.DuckDBPyConnection, scope: str, limit: int) -> tuple[list[tuple], int]:
    """The first `limit` (file index, row, column, reason) of the staged rows (the importer's
    _conv_<kind> tables) that an account limited to `scope` may not import, in file and row order,
    and how many there are in all."""
    for stmt in filter(str.strip, _TREES.split(";")):
        con.execute(stmt, {"scope": scope})
    parts = [f"select f, r, '{col}' as col, {i} as rule from ({sql})" for i, (_, col, sql, _) in enumerate(_RULES)]
    con.execute(f"create or replace temp table _outside as {' union all '.join(parts)}", {"scope": scope})
    total = con.execute("select count(*) from _outside").fetchone()[0]
    rows = con.execute("select f, r, col, rule from _outside order by f, r, rule limit ?", [limit]).fetchall()
    con.execute("drop table _outside; drop table _before; drop table _after")
    return [(f, r, col, _RULES[rule][3].format(scope=scope)) for f, r, col, rule in rows], total


def check(con: duckdb.DuckDBPyConnection, loaded: list, scope: str | None, rep) -> None:
    """Add the rows outside `scope` to the importer's report (none when the scope is the province)."""
    if scope is None:
        return
    if not con.execute("select count(*) from units where unit_code = ?", [scope]).fetchone()[0]:
        rep.notice(f"unknown unit scope {scope!r}: no row can be imported under it")
    by_idx = {lf.idx: lf for lf in loaded}
    rows, total = problems(con, scope, max(0, MAX_PROBLEMS_SHOWN - len(rep.problems)))
    for f, r, col, reason in rows:
        lf = by_idx[f]
        pos = lf.columns.get(col)
        rep.problem(lf.name, r, lf.headers[pos] if pos is not None else col, reason)
    rep.extra_problems += total - len(rows)
