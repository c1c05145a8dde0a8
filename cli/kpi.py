"""python -m reform kpi: KPIs for a period and filters as a table, JSON or CSV."""
from __future__ import annotations

import json
import sys

import pandas as pd

from reform import compute, data_range, db, periods, safe


def run(args) -> int:
    try:
        period = periods.parse(args.period)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    path = db.db_path(args.db)
    if not path.exists():
        print(f"error: no database at {path}: run `python -m reform generate` or import data first",
              file=sys.stderr)
        return 2
    con = db.connect_read_only(path)
    try:
        try:
            data_range.check(period, data_range.bounds(con))
        except data_range.NoData as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        if args.unit is not None and compute.unit_level(con, args.unit) is None:
            print(f"error: unknown unit code {args.unit!r}", file=sys.stderr)
            return 2
        rows = compute.kpis(con, period, by=args.by, level=args.level, unit=args.unit, field=args.field,
                            procedure=args.procedure, channel=args.channel)
    finally:
        con.close()
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        frame = pd.DataFrame(rows)
        if args.format == "csv":
            sys.stdout.write(safe.csv(frame))
        else:
            print(frame.T.to_string(header=False) if args.by is None else frame.to_string(index=False))
    return 0
