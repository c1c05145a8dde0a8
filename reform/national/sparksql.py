"""The summaries' SQL for Apache Spark, made from the SQL DuckDB runs, never written a second time.

statements() reads, in this order, the reference views of reform/sql/national.sql, the working-day
calendar (calendar.sql's first statement), the facts view (facts.sql) and the full build (build.sql), and
gives each as a Statement whose query is DuckDB's own, with its table macros (summaries.sql) inlined.
spark(statement, columns) is that query in Spark SQL: sqlglot transpiles it, after three rewrites for
DuckDB features Spark SQL lacks (columns(name) gives a table's or view's columns):
- `union all by name`: each branch lists every column of the union, NULL where it has none (as DuckDB
  fills them);
- `* exclude (a, b)`: the source's other columns, by name;
- `sum(columns(* exclude (a, b)))`: the same aggregate of each of the source's other columns.
Anything else sqlglot cannot write for Spark raises (ErrorLevel.RAISE) instead of running something else.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import sqlglot
from sqlglot import exp

from reform import sql

# create or replace macro name(params) as table <body>;  (summaries.sql)
_MACRO = re.compile(r"(?ims)^create or replace macro (\w+)\(([^)]*)\) as table\s*\n(.*?);\s*$")
# the tables the build writes that the dashboard reads: the job's output (the rest are intermediate)
OUTPUTS = ("kpi_month", "stock_month", "kpi_month_unit", "stock_month_unit", "data_info", "open_now")

Columns = Callable[[str], list[str]]


@dataclasses.dataclass(frozen=True)
class Statement:
    name: str                       # the table or view it makes (or drops)
    query: exp.Query | None         # None: a drop
    order: tuple[str, ...] = ()     # the ORDER BY of the DuckDB build (the national file keeps that order)
    table: bool = False             # a table (its rows kept), not a view


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


def _macros() -> dict[str, tuple[list[str], exp.Query]]:
    text = _strip_comments(sql.text("summaries"))
    return {name: ([p.strip() for p in params.split(",") if p.strip()], sqlglot.parse_one(body, read="duckdb"))
            for name, params, body in _MACRO.findall(text)}


def _inline(tree: exp.Expression, macros: dict) -> exp.Expression:
    """Every `from macro(args)` replaced by the macro's body with its parameters bound to the args
    (`query_table(tbl)` becomes the table named by tbl)."""
    def bind(node):
        if not (isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous)):
            return node
        name = node.this.name.lower()
        args = node.this.expressions
        if name == "query_table":
            table = exp.to_table(args[0].name)
            return table.as_(node.alias) if node.alias else table
        params, body = macros[name]
        values = dict(zip(params, args, strict=True))
        body = body.copy().transform(
            lambda n: values[n.name].copy() if isinstance(n, exp.Column) and not n.table and n.name in values else n)
        return exp.Subquery(this=_inline(body, macros), alias=exp.TableAlias(this=exp.to_identifier(node.alias or name)))
    return tree.transform(bind)


def statements() -> list[Statement]:
    """What the Spark job runs, in order (see the module's docstring)."""
    macros = _macros()
    calendar = sql.text("calendar").split(";")[0]
    facts = "create or replace view dossier_facts_v as " + _strip_comments(sql.facts("dossiers"))
    texts = [sql.text("national"), calendar, facts, sql.text("build")]
    out = []
    for stmt in sqlglot.parse(";\n".join(_strip_comments(t) for t in texts), read="duckdb"):
        if stmt is None:
            continue
        if isinstance(stmt, exp.Drop):
            out += [Statement(table.name, None) for table in stmt.args["tables"]]
            continue
        name = stmt.this.name
        query = _inline(stmt.expression, macros)
        order = tuple(o.this.sql("duckdb") for o in (query.args.get("order") or exp.Order()).expressions)
        out.append(Statement(name, query, order, table=stmt.args.get("kind") == "TABLE"))
    return out


def _outputs(select: exp.Select, columns: Columns) -> list[str]:
    """The column names a select gives, stars expanded through its single source."""
    names = []
    for e in select.expressions:
        if isinstance(e, exp.Star):
            skip = {c.name for c in e.args.get("except_") or []}
            names += [c for c in _source_columns(select, columns) if c not in skip]
        else:
            names.append(e.alias_or_name)
    return names


def _source_columns(select: exp.Select, columns: Columns) -> list[str]:
    source = select.args["from_"].this
    if select.args.get("joins"):
        raise ValueError(f"a star over a join is not rewritten for Spark: {select.sql('duckdb')[:200]}")
    if isinstance(source, exp.Table):
        return columns(source.name)
    inner = source.this
    while isinstance(inner, exp.Subquery):
        inner = inner.this
    return _outputs(inner, columns)


def _branches(union: exp.Union) -> list[exp.Select]:
    out = []
    for side in (union.this, union.expression):
        out += _branches(side) if isinstance(side, exp.Union) else [side]
    return out


def _by_position(node: exp.Expression, columns: Columns) -> exp.Expression:
    if not (isinstance(node, exp.Union) and node.args.get("by_name")):
        return node
    branches = _branches(node)
    names = list(dict.fromkeys(n for b in branches for n in _outputs(b, columns)))
    for b in branches:
        have = {e.alias_or_name: e for e in b.expressions}
        b.set("expressions", [have.get(n) or exp.alias_(exp.Null(), n) for n in names])
    out = branches[0]
    for b in branches[1:]:
        out = exp.union(out, b, distinct=False)
    return out


def _expand_stars(node: exp.Expression, columns: Columns) -> exp.Expression:
    if not isinstance(node, exp.Select):
        return node
    expressions = []
    for e in node.expressions:
        each = e.find(exp.Columns)
        if isinstance(e, exp.Star) and e.args.get("except_"):
            expressions += [exp.column(c) for c in _outputs(node.select(e.copy(), append=False), columns)]
        elif each is not None:
            skip = {c.name for c in each.this.args.get("except_") or []}
            for c in _source_columns(node, columns):
                if c not in skip:
                    one = e.copy()
                    one.find(exp.Columns).replace(exp.column(c))
                    expressions.append(exp.alias_(one, c))
        else:
            expressions.append(e)
    node.set("expressions", expressions)
    return node


def spark(statement: Statement, columns: Columns) -> str:
    """The statement's query in Spark SQL (columns(name): the columns of a table or view made before)."""
    query = statement.query.copy()
    query.set("order", None)        # a table's order is the reader's business (build.py keeps DuckDB's)
    query = query.transform(lambda n: _by_position(n, columns))
    query = query.transform(lambda n: _expand_stars(n, columns))
    return query.sql("spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
