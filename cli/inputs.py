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



def read(path: pathlib.Path, build):
    """build(con) on a read-only connection to the database at path; None after one line on stderr when
    it refuses its arguments (ValueError: an unknown unit, ...)."""
    con = db.connect_read_only(path)
    try:
        return build(con)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return None
    finally:
        con.close()


def document_inputs(args, suffixes: tuple[str, ...]):
    """What a document command checks before any work, each in one line on stderr: --period, --out,
    --mail-to's settings, the database. (period, out path, database path), or None."""
    from cli import output
    p = period(args.period)
    if p is None:
        return None
    out = output.target(args.out, suffixes)
    if out is None or not output.mail_check(args):
        return None
    path = database(args.db)
    return None if path is None else (p, out, path)
