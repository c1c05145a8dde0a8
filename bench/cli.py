"""python -m bench [--scales 0.01,1,10,50M] [--out bench/results.md] [--repeat N] [--rebuild] [--no-import] ...

Benchmarks on generated data (DESIGN §7), one section per scale:
1. generation (`python -m reform generate` in a child process): time, rows/s, peak RSS; a database in
   --data-dir is reused unless --rebuild (bench/build.py);
2. the dashboard's KPI queries through reform.compute.kpis (and queries/dossier_list.sql): each query
   in its own fresh process, its first run after connecting ("cold", OS page cache warm) then
   --repeat warm runs (median, p95); grouped into page query sets (bench/queries.py);
3. a pandas baseline on the same rows (loaded through Arrow), checked equal to the DuckDB numbers
   (bench/pandas_baseline.py);
4. import throughput of a 1 M-row dossier CSV (scale >= 1) and the summary rebuild alone (bench/build.py),
   and a day's imports into the scale's database: new and updated dossiers (bench/incremental.py);
5. with --browser, the dashboard in Chromium (bench/browser.py).

This module: the options and the run over the scales; the report is written by bench/report.py. Every
number in the report is measured by this run. Child processes (bench/harness.py, bench/worker.py) are
used so that cold times and peak RSS (os.wait4) belong to one step only.
"""
from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys
import time

from bench.build import DEFAULT_DATA_DIR, parse_scales, scale_label, step_generate, step_import
from bench.harness import ROOT, secs
from bench.pandas_baseline import step_pandas
from bench.queries import MONTH, QUARTER, UNIT, db_facts, step_queries
from bench.report import machine_line, report_scale


def main(args) -> int:
    scales_text = getattr(args, "scales", "1,10")
    out = pathlib.Path(getattr(args, "out", None) or ROOT / "bench" / "results.md")
    repeat = int(getattr(args, "repeat", None) or 20)
    pandas_repeat = int(getattr(args, "pandas_repeat", None) or min(repeat, 5))
    rebuild = bool(getattr(args, "rebuild", False))
    do_import = not getattr(args, "no_import", False)
    do_pandas = not getattr(args, "no_pandas", False)
    do_browser = bool(getattr(args, "browser", False))
    browser_reps = int(getattr(args, "browser_reps", None) or 10)
    sessions = int(getattr(args, "sessions", 20))
    tabs = bool(getattr(args, "tabs", False))
    session_seconds = float(getattr(args, "session_seconds", None) or 60)
    ops = [o.strip() for o in (getattr(args, "ops", None) or "").split(",") if o.strip()] or None
    from bench.queries import QUERIES, SETS
    if ops and set(ops) - {*QUERIES, *SETS}:
        print(f"unknown --ops {sorted(set(ops) - {*QUERIES, *SETS})}: choose from {', '.join([*QUERIES, *SETS])}",
              file=sys.stderr)
        return 2
    data_dir = pathlib.Path(getattr(args, "data_dir", None) or DEFAULT_DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    scales = parse_scales(scales_text, data_dir)
    started = time.perf_counter()
    lines = ["# Benchmark results", "",
             f"Produced by `python -m bench --scales {scales_text}` on "
             f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}; every number below is measured by that run.", "",
             f"Machine: {machine_line()}.", "",
             f"Parameters: quarter {QUARTER}, month {MONTH}, unit {UNIT} (with its descendants for (d)); "
             f"{repeat} warm runs per query, {pandas_repeat} per pandas computation. Queries go through "
             "`reform.compute.kpis` and `queries.run` on a `reform.db.Reader`, as the dashboard calls them "
             "(results not cached).", ""]
    failed = False
    for label, scale in scales:
        log(f"scale {label}")
        path = data_dir / f"scale-{scale_label(scale)}.duckdb"
        gen = step_generate(path, scale, rebuild, log)
        facts = qres = pres = ires = bres = None
        if "failed" not in gen:
            facts = db_facts(path)
            params = {"quarter": QUARTER, "month": MONTH, "unit": UNIT, "page": facts["page"], "view": facts["view"],
                      "year_from": facts["year_from"], "year_to": facts["year_to"]}
            qres = step_queries(path, params, repeat, log, ops)
            if do_pandas:
                pres = step_pandas(path, params, pandas_repeat, log)
            if do_import:
                ires = step_import(path, scale, data_dir, log)
            if do_browser:
                from bench import browser
                log("  browser")
                try:
                    bres = browser.run(path, QUARTER, browser_reps, sessions, session_seconds, log, data_dir,
                                       tabs=tabs)
                except Exception as e:  # reported, and the run goes on to the next scale
                    bres = {"failed": f"{type(e).__name__}: {e}"}
        else:
            log(f"  generation FAILED: {gen['failed']}")
        failed |= "failed" in gen or (pres is not None and "failed" in pres) or \
            any("failed" in r for r in (qres or {}).values())
        lines += report_scale(label, scale, gen, facts, qres, pres, ires, repeat)
        if bres is not None:
            from bench import browser
            lines += [f"Browser run failed: {bres['failed']}", ""] if "failed" in bres else browser.report(bres, browser_reps)
            failed |= "failed" in bres
    lines.append(f"Benchmark run took {secs(time.perf_counter() - started)}.")
    text = "\n".join(lines) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    log(f"report written to {out}")
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    add_options(ap)
    return ap


def add_options(ap: argparse.ArgumentParser, with_common: bool = True) -> None:
    if with_common:
        ap.add_argument("--scales", default="1,10", help="comma-separated scales; 50M = about 50 million dossiers")
        ap.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    ap.add_argument("--repeat", type=int, default=20, help="warm runs per query (default 20)")
    ap.add_argument("--pandas-repeat", type=int, default=None, help="runs per pandas computation (default min(repeat, 5))")
    ap.add_argument("--rebuild", action="store_true", help="regenerate databases that already exist")
    ap.add_argument("--no-import", action="store_true", help="skip the import and summary-rebuild timings")
    ap.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")
    ap.add_argument("--ops", default=None,
                    help="only these queries and page sets, comma-separated (e.g. overview,procedures; "
                         "default all: bench/queries.py QUERIES and SETS)")
    ap.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="where generated databases live (bench/data)")
    ap.add_argument("--browser", action="store_true",
                    help="also time the dashboard in Chromium: page loads, filter changes, drill-downs, RSS, "
                         "concurrent sessions")
    ap.add_argument("--browser-reps", type=int, default=10, help="repetitions of each browser action (default 10)")
    ap.add_argument("--sessions", type=int, default=20,
                    help="concurrent sessions, as websocket clients (default 20; 0 = none)")
    ap.add_argument("--tabs", action="store_true",
                    help="also run the concurrent sessions as Chromium tabs on this machine")
    ap.add_argument("--session-seconds", type=float, default=60, help="length of the concurrent run (default 60)")
