"""python -m reform generate | import | validate | kpi | report | bench"""
from __future__ import annotations

import argparse
import sys

KINDS = ("units", "procedures", "dossiers", "indicators")


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
    i.add_argument("files", nargs="+")

    v = sub.add_parser("validate", help="dry run: report every problem, change nothing")
    v.add_argument("--db", help="database whose units and procedures codes are checked against")
    v.add_argument("--kind", choices=KINDS)
    v.add_argument("files", nargs="+")

    k = sub.add_parser("kpi", help="compute KPIs for a period and filters")
    k.add_argument("--db")
    k.add_argument("--period", required=True, help="2020-04, 2020Q1 or 2020, or a range such as 2019Q1:2026Q3")
    k.add_argument("--level", choices=("province", "district", "commune", "unassigned"))
    k.add_argument("--unit")
    k.add_argument("--field")
    k.add_argument("--procedure")
    k.add_argument("--channel", type=int, choices=(1, 2, 3))
    k.add_argument("--by", choices=("level", "unit", "procedure", "field", "month", "quarter"))
    k.add_argument("--format", choices=("table", "json", "csv"), default="table")

    r = sub.add_parser("report", help="write the council pack (indicator review) as PDF or Excel")
    r.add_argument("--db")
    r.add_argument("--period", required=True, help="2025Q3, 2025-07 or 2025 (or a range, without the trend chart)")
    r.add_argument("--unit", help="a unit code (default: the whole province)")
    r.add_argument("--lang", choices=("vi", "en"), default="vi")
    r.add_argument("--out", required=True, help="pack.pdf or pack.xlsx")

    b = sub.add_parser("bench", help="benchmark generation, import and KPI queries")
    b.add_argument("--scales", default="1,10", help="comma-separated scales, or 50M for about 50 million dossiers")
    b.add_argument("--out", default="bench/results.md")
    b.add_argument("--repeat", type=int, default=20, help="warm runs per query")
    b.add_argument("--pandas-repeat", type=int, default=None, help="runs per pandas computation (default min(repeat, 5))")
    b.add_argument("--rebuild", action="store_true", help="regenerate databases that already exist")
    b.add_argument("--no-import", action="store_true", help="skip the import and summary-rebuild timings")
    b.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")
    b.add_argument("--data-dir", default="bench/data", help="where generated databases live")
    b.add_argument("--browser", action="store_true",
                   help="also time the dashboard in Chromium (loads, filter changes, drill-downs, RSS, concurrency)")
    b.add_argument("--browser-reps", type=int, default=10, help="repetitions of each browser action")
    b.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (0 = none)")
    b.add_argument("--session-seconds", type=float, default=60, help="length of the concurrent run")

    args = ap.parse_args(argv)
    if args.cmd == "generate":
        from reform import generate
        generate.generate(args.db, scale=args.scale, seed=args.seed)
        return 0
    if args.cmd == "import":
        from reform import importer
        return importer.cmd_import(args.db, args.kind, args.files)
    if args.cmd == "validate":
        from reform import importer
        return importer.cmd_validate(args.db, args.kind, args.files)
    if args.cmd == "kpi":
        from reform import kpi_cli
        return kpi_cli.run(args)
    if args.cmd == "report":
        from reform import report
        return report.main(args)
    if args.cmd == "bench":
        from bench import run as bench_run
        return bench_run.main(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
