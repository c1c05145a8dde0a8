"""Two ways to store the dossiers for imports that cost what they carry (issue 15), measured on one
database file: `python -m bench.storage --db bench/data/scale-7.99.duckdb [--out FILE]`.

A  one DuckDB file (what the importer does): an import copies the whole file byte for byte, replaces its
   rows in the dossiers table, adds the difference to the summaries and swaps the file in.
B  the dossiers as Parquet files, one folder per month received, beside a DuckDB file holding everything
   else (the summaries, the reference tables): an import would copy that smaller file, write the months it
   touches again as new Parquet files, add the same difference to the summaries and swap the small file
   in, which names the month files of its version.

The difference work is the same in both and is timed by bench/incremental.py; this script times what
differs: the copy each import makes (and the disk it needs meanwhile), rewriting the touched months, and
what the dashboard's queries on dossiers (the dossier list, the backlog's age) cost over each storage.
Each figure is the median of --repeat runs, in this process, OS page cache warm."""
from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import shutil
import statistics
import time

import duckdb

import queries
from bench.harness import report
from bench.incremental import BATCHES
from reform import periods


def timed(f, repeat: int) -> float:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.storage")
    ap.add_argument("--db", required=True)
    ap.add_argument("--work", help="folder for the copies (default: a temp folder beside the database)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    src = pathlib.Path(args.db)
    return report(src, args.work, "storage-", args.out, lambda work: measure(src, work, args.repeat))


def measure(src: pathlib.Path, work: pathlib.Path, repeat: int) -> list[str]:
    con = duckdb.connect(str(src), read_only=True)
    n, last = con.execute("select count(*), max(received_at) from dossiers").fetchone()
    batches = {k: con.sql(sql).to_arrow_table() for k, sql in BATCHES.items()}
    con.close()

    # B's files: the months as Parquet, and the rest as its own DuckDB file
    facts, head = work / "facts", work / "head.duckdb"
    c = duckdb.connect(str(head))
    c.execute("attach ? as s (read_only)", [str(src)])
    t0 = time.perf_counter()
    c.execute(f"copy (select *, strftime(received_at, '%Y-%m') as month from s.dossiers) to '{facts}' "
              f"(format parquet, partition_by (month), compression zstd)")
    t_export = time.perf_counter() - t0
    c.execute("copy from database s to head")    # every table and macro ...
    c.execute("drop table dossiers")             # ... but the dossiers: the month files hold them
    c.execute(f"create view dossiers as select * exclude (month) from read_parquet('{facts}/*/*.parquet', "
              f"hive_partitioning = true)")
    c.execute("checkpoint")
    c.close()
    size_a = src.stat().st_size
    size_head = head.stat().st_size
    size_facts = sum(p.stat().st_size for p in facts.rglob("*.parquet"))
    months = {p.name.split("=", 1)[1]: p for p in facts.iterdir()}

    rows = []
    # the copy each import makes
    tmp = work / "copy.duckdb"
    t_copy_a = timed(lambda: shutil.copyfile(src, tmp), repeat)
    t_copy_b = timed(lambda: shutil.copyfile(head, tmp), repeat)
    tmp.unlink()
    # B: the touched months written again (the batch's rows replace those with their codes)
    for name, batch in batches.items():
        touched = sorted({d.strftime("%Y-%m") for d in batch.column("received_at").to_pylist()})

        def rewrite(batch=batch, touched=touched):
            w = duckdb.connect()
            w.register("batch", batch)
            for m in touched:
                old = months[m]
                new = work / "rewrite" / f"month={m}"
                new.mkdir(parents=True, exist_ok=True)
                w.execute(f"copy (select * exclude (month) from read_parquet('{old}/*.parquet', hive_partitioning = true) "
                          f"where dossier_code not in (select dossier_code from batch) "
                          f"union all by name select * from batch where strftime(received_at, '%Y-%m') = '{m}') "
                          f"to '{new}/part-new.parquet' (format parquet, compression zstd)")
            w.close()
        t_rewrite = timed(rewrite, repeat)
        rewritten = sum(p.stat().st_size for p in (work / "rewrite").rglob("*.parquet"))
        shutil.rmtree(work / "rewrite")
        rows.append((name, len(batch), len(touched), t_rewrite, rewritten))

    # the dashboard's queries on dossiers over each storage
    quarter = periods.quarter_of(last.date())      # the latest quarter, as a page opens
    p_start, p_end = quarter.start, quarter.end
    f0 = {"unit": None, "level": None, "field": None, "procedure": None, "channel": None, "lens": None}
    calls = {
        "dossier list, first page of F01 (a quarter)": lambda k: queries.run(
            k, "dossier_list", due_days=3, set="F01", p_start=p_start, p_end=p_end, sort="received_desc",
            limit=25, offset=0, **f0),
        "backlog by age (Dossiers page)": lambda k: queries.run(k, "backlog_age", p_end=p_end, **f0),
    }
    qrows = []
    for label, call in calls.items():
        res = []
        for path in (src, head):
            k = duckdb.connect(str(path), read_only=True)
            call(k)
            res.append(timed(lambda call=call, k=k: call(k), repeat))
            k.close()
        qrows.append((label, *res))

    mb = 2 ** 20
    L = [f"### Storage: one DuckDB file (A) or the dossiers as month Parquet files (B), {n:,} dossiers", "",
         f"Medians of {repeat} runs, {dt.date.today()}. B's files were written once from A's in "
         f"{t_export:.1f} s: {size_facts / mb:,.0f} MB of Parquet in {len(months)} month folders, and "
         f"{size_head / mb:,.0f} MB for the rest (A: {size_a / mb:,.0f} MB in all).", "",
         "| | A: one file | B: month files + the rest |", "|---|---:|---:|",
         f"| the copy an import makes: time | {t_copy_a:.2f} s | {t_copy_b:.2f} s |",
         f"| … and the disk it takes meanwhile | {size_a / mb:,.0f} MB | {size_head / mb:,.0f} MB + the touched months |"]
    for name, k, m, t, size in rows:
        L.append(f"| '{name}' batch ({k:,} rows, {m} month(s)): the touched months written again | "
                 f"— (rows replaced in the table) | {t:.2f} s ({size / mb:,.0f} MB) |")
    for label, a, b in qrows:
        L.append(f"| {label} | {a * 1000:.1f} ms | {b * 1000:.1f} ms |")
    return L + [""]


if __name__ == "__main__":
    raise SystemExit(main())
