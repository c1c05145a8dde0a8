"""What every read command checks first, said in one line each (exit code 2): a period it can parse, a
database file that exists, and in it, data in the period and the unit asked for."""
from __future__ import annotations

import pathlib
import sys

from reform import compute, data_range, db, periods


def period(text: str) -> periods.Period | None:
    try:
        return periods.parse(text)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return None


def database(arg: str | None) -> pathlib.Path | None:
    path = db.db_path(arg)
    if path.exists():
        return path
    print(f"error: no database at {path}: run `make sample` (or `.venv/bin/python -m reform generate`) "
          "or import data first", file=sys.stderr)
    return None


def answerable(con, period: periods.Period | None, unit: str | None) -> bool:
    """Whether the database holds data in the period and knows the unit; else one line on stderr."""
    if period is not None:
        try:
            data_range.check(period, data_range.bounds(con))
        except data_range.NoData as e:
            print(f"error: {e}", file=sys.stderr)
            return False
    if unit is not None and compute.unit_level(con, unit) is None:
        print(f"error: unknown unit code {unit!r}", file=sys.stderr)
        return False
    return True

