"""python -m reform national export | generate | spark | build: the national roll-up (docs/national.md)."""
from __future__ import annotations

import sys
import time


def add(sub) -> None:
    n = sub.add_parser("national", help="the national roll-up: the provinces' Parquet files and their summaries, "
                       "by DuckDB or Apache Spark (docs/national.md)")
    ns = n.add_subparsers(dest="national_cmd", required=True)
    e = ns.add_parser("export", help="write a province's database as Parquet under DIR (replacing its earlier export)")
    e.add_argument("--db", help="the province's database (default: $REFORM_DB or the sample)")
    e.add_argument("--province", required=True, help="its code, e.g. 96")
    e.add_argument("--out", required=True, metavar="DIR")
    g = ns.add_parser("generate", help="a generated national set: the database as several provinces, each a "
                      "different share of its dossiers")
    g.add_argument("--db", help="the database to copy (default: $REFORM_DB or the sample)")
    g.add_argument("--provinces", required=True, help="their codes, comma-separated, e.g. 96,95,01")
    g.add_argument("--keep", type=float, help="the share of dossiers each keeps, e.g. 0.7 (default: all)")
    g.add_argument("--out", required=True, metavar="DIR")
    s = ns.add_parser("spark", help="the summaries by Apache Spark in local mode (requirements-spark.lock)")
    s.add_argument("--data", required=True, metavar="DIR", help="the provinces' Parquet files")
    s.add_argument("--out", required=True, metavar="DIR", help="where the summary tables go")
    s.add_argument("--master", default="local[*]")
    s.add_argument("--memory", default="4g", help="the driver's memory (default 4g)")
    b = ns.add_parser("build", help="the national database file the dashboard serves")
    b.add_argument("--data", required=True, metavar="DIR", help="the provinces' Parquet files")
    b.add_argument("--db", required=True, help="the file to write")
    b.add_argument("--summaries", metavar="DIR", help="take the summaries Spark wrote there "
                   "(default: DuckDB builds them)")


def run(args) -> int:
    from reform import db, writelock
    from reform.national import layout
    t0 = time.perf_counter()
    try:
        if args.national_cmd in ("export", "generate"):
            source = db.db_path(args.db)
            if not source.exists():
                print(f"error: no database at {source}", file=sys.stderr)
                return 2
            if args.national_cmd == "export":
                n = layout.export(source, args.out, args.province)
            else:
                codes = [c.strip() for c in args.provinces.split(",") if c.strip()]
                n = layout.provinces(source, args.out, codes, keep=args.keep)
            print(f"{n:,} dossiers written under {args.out} in {time.perf_counter() - t0:.1f} s")
            return 0
        if args.national_cmd == "spark":
            return _spark(args, t0)
        from reform.national import build
        n = build.build(args.data, args.db, summaries=args.summaries,
                        step=lambda name, **_: print(f"{time.perf_counter() - t0:6.1f} s  {name}", file=sys.stderr))
        print(f"{n:,} dossiers in {args.db}, summaries by {'Spark' if args.summaries else 'DuckDB'}, "
              f"in {time.perf_counter() - t0:.1f} s")
        return 0
    except (ValueError, FileNotFoundError, db.DatabaseFileError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except writelock.LockTimeout as e:
        print(f"not built: {e}", file=sys.stderr)
        return 3


def _spark(args, t0: float) -> int:
    try:
        import pyspark  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError as e:
        print(f"error: {e.name} is not installed: Spark is optional, "
              ".venv/bin/python -m pip install --require-hashes -r requirements-spark.lock", file=sys.stderr)
        return 2
    from reform.national import spark_job
    try:
        spark = spark_job.session(args.master, args.memory)
    except Exception as e:      # no Java, or a JVM that would not start: pyspark's own message
        print(f"error: Spark did not start ({e})", file=sys.stderr)
        return 2
    try:
        seconds = spark_job.run(spark, args.data, args.out, say=lambda line: print(line, file=sys.stderr))
        peak = spark_job.jvm_peak_mb(spark)
    finally:
        spark.stop()
    print(f"{len(seconds)} statements, summaries under {args.out} in {time.perf_counter() - t0:.1f} s"
          + (f"; JVM peak RSS {peak:,.0f} MB" if peak else ""))
    return 0
