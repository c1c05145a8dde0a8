"""What every read command checks first, said in one line each (exit code 2): a period it can parse, and a
database file that exists."""
from __future__ import annotations

import pathlib
import sys

from reform import db, periods


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
