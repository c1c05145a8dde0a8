"""The national roll-up (issue 15, docs/national.md): `python -m bench.national --db bench/data/scale-1.duckdb
--provinces 10 [--master local[2]] [--out FILE]`.

The database is exported as that many provinces (all their dossiers, codes prefixed: 10 × the default
sample is 62.6 M dossiers), then the national file is built twice from those Parquet files: its summaries
by DuckDB (`national build`), and by Apache Spark in local mode (`national spark`, then `national build
--summaries`). Each step is the command a ministry would run, in a child process: wall time and peak RSS
(Spark's: its JVM's, read before it stops). Last, the two files' summary tables are compared row for row."""
from __future__ import annotations

import argparse
import pathlib
import re
import sys

import duckdb

from bench.harness import child_failure, report, run_child
from reform.national import sparksql


def _size(path: pathlib.Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 2**20


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "reform", "national", *args]


def _step(name: str, cmd: list[str], log) -> dict:
    log(f"  {name} ...")
    r = run_child(cmd, timeout=6 * 3600)
    if r["rc"] != 0:
        raise RuntimeError(f"{name}: {child_failure(r)}")
    return r


def _stages(stderr: str) -> dict[str, float]:
    """The seconds of each stage a `national build` printed ("  12.3 s  summaries": time at its start)."""
    marks = [(float(t), n) for t, n in re.findall(r"^\s*([\d.]+) s  (\w+)$", stderr, flags=re.M)]
    return {n: round(marks[i + 1][0] - t, 1) for i, (t, n) in enumerate(marks[:-1])}


def measure(src: pathlib.Path, work: pathlib.Path, n: int, master: str, memory: str, log) -> list[str]:
    data, summaries = work / "data", work / "summaries"
    codes = [f"{i:02d}" for i in range(1, n + 1)]
    gen = _step("export", _cmd("generate", "--db", str(src), "--provinces", ",".join(codes), "--out", str(data)), log)
    dossiers = int(re.search(r"([\d,]+) dossiers", gen["stdout"]).group(1).replace(",", ""))
    duck = _step("DuckDB build", _cmd("build", "--data", str(data), "--db", str(work / "duck.duckdb")), log)
    spark = _step("Spark job", _cmd("spark", "--data", str(data), "--out", str(summaries), "--master", master,
                                    "--memory", memory), log)
    jvm = float(re.search(r"JVM peak RSS ([\d,]+) MB", spark["stdout"]).group(1).replace(",", ""))
    per = dict(re.findall(r"^(\w+): ([\d.]+) s$", spark["stderr"], flags=re.M))
    build = _step("build from Spark's summaries", _cmd("build", "--data", str(data), "--summaries", str(summaries),
                                                         "--db", str(work / "spark.duckdb")), log)
    con = duckdb.connect()
    con.execute("attach ? as a (read_only)", [str(work / "duck.duckdb")])
    con.execute("attach ? as b (read_only)", [str(work / "spark.duckdb")])
    diffs = {t: con.execute(f"select count(*) from ((from a.{t} except all from b.{t}) union all "
                            f"(from b.{t} except all from a.{t}))").fetchone()[0] for t in sparksql.OUTPUTS}
    rows = {t: con.execute(f"select count(*) from a.{t}").fetchone()[0] for t in sparksql.OUTPUTS}
    con.close()
    ds = _stages(duck["stderr"])
    bs = _stages(build["stderr"])
    spark_summaries = sum(float(per[t]) for t in per if t not in ("units", "procedures", "holidays", "unit_mapping"))
    lines = [f"{n} provinces from {src.name}: {dossiers:,} dossiers, Parquet {_size(data):,.0f} MB "
             f"(export {gen['wall']:.1f} s); Spark master {master}, driver memory {memory}", "",
             "| step | DuckDB | Spark (local mode) |", "|---|---:|---:|",
             f"| the summaries (facts, month tables, open now) | {ds.get('summaries', 0):.1f} s "
             f"| {spark_summaries:.1f} s (job {spark['wall']:.1f} s with the JVM's start) |",
             f"| the whole national file (load, sort, summaries, lens, kept, checkpoint) | {duck['wall']:.1f} s "
             f"| {build['wall']:.1f} s after the job (summaries {bs.get('summaries', 0):.1f} s of it) |",
             f"| peak RSS | {duck['rss_mb']:,.0f} MB | JVM {jvm:,.0f} MB; build {build['rss_mb']:,.0f} MB |",
             f"| file | {_size(work / 'duck.duckdb'):,.0f} MB | {_size(work / 'spark.duckdb'):,.0f} MB |", "",
             "Spark's statements: " + ", ".join(f"{k} {v} s" for k, v in per.items()), "",
             "Rows that differ between the two files: " + ", ".join(f"{t} {diffs[t]} of {rows[t]:,}" for t in diffs)]
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.national")
    ap.add_argument("--db", required=True, help="a province's database (e.g. bench/data/scale-1.duckdb)")
    ap.add_argument("--provinces", type=int, default=10)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--memory", default="8g", help="Spark's driver memory")
    ap.add_argument("--work", help="folder for the Parquet files and both files (default: a temp folder beside --db)")
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    src = pathlib.Path(args.db)
    return report(src, args.work, "national-", args.out, lambda work: measure(
        src, work, args.provinces, args.master, args.memory, lambda s: print(s, file=sys.stderr)))


if __name__ == "__main__":
    sys.exit(main())
