"""python -m reform generate | import | watch | validate | kpi | report | brief | view | attention | forecast |
national | appraisal"""
from __future__ import annotations

import argparse
import sys

from cli import options
from reform.headers import KINDS  # units, procedures, dossiers, indicators, mapping


def entry():
    """python -m reform: main() with a closed output pipe ending quietly (cli/pipe.py)."""
    from cli import pipe
    pipe.run(main)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reform", description="Reform KPI dashboard tools")
    sub = ap.add_subparsers(dest="cmd", required=True)

    g = sub.add_parser("generate", help="build the calibrated Cà Mau sample database")
    g.add_argument("--db", help="database file (default: $REFORM_DB or sample_data/reform.duckdb)")
    g.add_argument("--scale", type=float, default=1.0, help="volume factor (0.01 for tests, 10 for benchmarks)")
    g.add_argument("--seed", type=int, default=2020)

    i = sub.add_parser("import", help="validate and import files (all-or-nothing)")
    i.add_argument("--db")
    i.add_argument("--kind", choices=KINDS, help="default: guessed from the headers")
    i.add_argument("--by", help="who imports, for the import log (default: the OS user)")
    i.add_argument("--scope", metavar="UNIT", help="refuse every row outside this unit and those under it "
                   "(a unit-scoped data officer's upload)")
    i.add_argument("files", nargs="+")

    wt = sub.add_parser("watch", help="import the export files arriving in a folder, one at a time, in arrival "
                        "order; each to DIR/done or DIR/failed with its report (reform/watch.py)")
    wt.add_argument("folder", metavar="DIR")
    wt.add_argument("--db")
    wt.add_argument("--by", help="who imports, for the import log (default: the OS user)")
    wt.add_argument("--scope", metavar="UNIT", help="as for import")
    wt.add_argument("--settle", type=float, default=10.0, metavar="S",
                    help="leave a file modified in the last S seconds for the next look (default 10)")
    wt.add_argument("--every", type=float, metavar="S",
                    help="keep watching, looking every S seconds, until stopped (default: once, for cron)")

    v = sub.add_parser("validate", help="dry run: report every problem, change nothing")
    v.add_argument("--db", help="database whose units and procedures codes are checked against")
    v.add_argument("--kind", choices=KINDS)
    v.add_argument("--scope", metavar="UNIT", help="as for import")
    v.add_argument("files", nargs="+")

    k = sub.add_parser("kpi", help="compute KPIs for a period and filters")
    k.add_argument("--db")
    k.add_argument("--period", required=True, help="2020-04, 2020Q1 or 2020, or a range such as 2019Q1:2026Q3")
    options.scope_args(k)
    k.add_argument("--by", choices=("level", "unit", "procedure", "field", "month", "quarter"))
    k.add_argument("--format", choices=("table", "json", "csv"), default="table")
    k.add_argument("--lang", choices=("vi", "en"), default="vi", help="the table's number format and names")

    w = sub.add_parser("view", help="every number a dashboard page shows, as JSON (the page's twin)")
    w.add_argument("link", help='a dashboard link, e.g. "/units?p=2025Q2&peer=district"')
    w.add_argument("--format", choices=("json",), default="json")
    w.add_argument("--db")

    from cli import appraisal, attention, brief, forecast, national, report
    report.add(sub)
    appraisal.add(sub)
    brief.add(sub)
    attention.add(sub)
    forecast.add(sub)
    national.add(sub)

    args = ap.parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("interrupted: nothing changed", file=sys.stderr)  # every write swaps a whole file in, or nothing
        return 130


def _run(args) -> int:
    if args.cmd in ("generate", "import", "watch", "validate", "kpi", "report", "brief", "view", "attention",
                    "forecast"):
        problem = _database_problem(args)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
    if args.cmd == "generate":
        from present import progress
        from reform import db, generate, importer, writelock
        try:
            db.check_path(db.db_path(args.db))
            generate.generate(args.db, scale=args.scale, seed=args.seed,
                              progress=progress.to("en", lambda line: print(line, file=sys.stderr, flush=True)))
        except writelock.LockTimeout as e:
            print(f"not generated: {e}", file=sys.stderr)
            return 3
        except importer.FAILURES as e:
            print(f"not generated: {importer.failure(e)}", file=sys.stderr)
            return 2
        return 0
    if args.cmd in ("import", "validate", "watch"):
        from reform import importer, limits
        try:
            limits.limit_process()  # also the Data page's upload, which runs these commands as its child
        except limits.BadLimit as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        if args.cmd == "import":
            return importer.cmd_import(args.db, args.kind, args.files, by=args.by, scope=args.scope)
        if args.cmd == "watch":
            from reform import watch
            return watch.run(args.folder, args.db, by=args.by, scope=args.scope, settle=args.settle, every=args.every)
        return importer.cmd_validate(args.db, args.kind, args.files, scope=args.scope)
    if args.cmd == "kpi":
        from cli import kpi as kpi_cli
        return kpi_cli.run(args)
    if args.cmd in ("report", "brief"):
        from cli import brief, report
        from reform import data_range
        problem = data_range.problem(args.db, args.period)  # here, so that neither document need know
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
        return (report if args.cmd == "report" else brief).main(args)
    if args.cmd == "attention":
        from cli import attention
        return attention.run(args)
    if args.cmd == "forecast":
        from cli import forecast
        return forecast.run(args)
    if args.cmd == "appraisal":
        from cli import appraisal
        return appraisal.run(args)
    if args.cmd == "national":
        from cli import national
        return national.run(args)
    if args.cmd == "view":
        from ui import twin  # runs the page itself (Streamlit's AppTest): no second implementation
        return twin.main(args)
    return 2


def _database_problem(args) -> str | None:
    """One line when the database a command would use is not ours (another application's DuckDB file,
    an empty or non-DuckDB file, a directory), before the command reads or writes anything; a missing
    file is left to each command (import and generate create one; kpi and report say so)."""
    import os

    from reform import db
    path = db.db_path(args.db)
    if os.path.lexists(path):
        try:
            db.identify(os.path.realpath(path))
        except db.DatabaseFileError as e:
            return str(e)
    elif args.cmd == "view" and (args.db or os.environ.get("REFORM_DB")):
        return f"no database at {path}"   # the dashboard builds the sample only at its own default path
    return None


if __name__ == "__main__":
    sys.exit(main())
