"""python -m reform kpi: KPIs for a period and filters as a plain table, JSON or CSV.

The table is for people: numbers in the language's format (--lang, Vietnamese by default: 1.960 and
23,06 %), ratios as percentages, — for no data. JSON and CSV are for programs: counts as integers, ratios
as fractions, null (JSON) or an empty cell (CSV) for no data."""
from __future__ import annotations

import json
import sys

import pandas as pd

from cli import inputs
from present import fmt
from present.text import text
from reform import catalogue, compute, db, safe


def run(args) -> int:
    period, path = inputs.period(args.period), inputs.database(args.db)
    if period is None or path is None:
        return 2
    con = db.connect_read_only(path)
    try:
        if not inputs.answerable(con, period, args.unit):
            return 2
        rows = compute.kpis(con, period, by=args.by, level=args.level, unit=args.unit, field=args.field,
                            procedure=args.procedure, channel=args.channel)
    finally:
        con.close()
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.format == "csv":
        sys.stdout.write(safe.csv(pd.DataFrame(rows)))
    else:
        sys.stdout.write(table(rows, grouped=args.by is not None, lang=getattr(args, "lang", "vi")))
    return 0


def table(rows: list[dict], grouped: bool, lang: str = "vi") -> str:
    """Plain text: without a grouping, one line per KPI (code, name, value); with one, a line per group
    (its key first) and a column per KPI code. Text columns are aligned left, numbers right."""
    kpis = catalogue.load().kpis
    if not grouped:
        [row] = rows
        lines = [[code, kpis[code].name(lang) if code in kpis else "", fmt.cell(v, kpis.get(code), lang)]
                 for code, v in row.items()]
        header = [text("kpi_cli.code", lang), text("kpi_cli.kpi", lang),
                  text("kpi_cli.value", lang)]
        return _lines([header, *lines], right={2})
    keys = list(rows[0]) if rows else []
    lines = [[fmt.cell(r.get(k), kpis.get(k), lang) for k in keys] for r in rows]
    return _lines([keys, *lines], right=set(range(1, len(keys))))


def _lines(cells: list[list[str]], right: set[int]) -> str:
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))] if cells and cells[0] else []
    out = []
    for r in cells:
        out.append("  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(out) + "\n"
