"""The markdown report: the machine, then one section per scale (the query rows, the page query sets, the
pandas baseline, generation and import). Every number in it is measured by the run that writes it."""
from __future__ import annotations

import os
import pathlib
import platform
import statistics

from bench import incremental
from bench.harness import ms, secs
from bench.queries import QUARTER, QUERIES, QUERY_TARGET, SET_TARGET, SETS, TARGET_SET


def machine_line() -> str:
    import duckdb
    import pandas
    import pyarrow
    mem = "?"
    try:
        for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB RAM"
    except OSError:
        pass
    cpu = ""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = " (" + line.split(":", 1)[1].strip() + ")"
                break
    except OSError:
        pass
    threads = duckdb.connect().execute("select current_setting('threads')").fetchall()[0][0]
    return (f"{os.cpu_count()} CPUs{cpu}, {mem}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__} ({threads} threads), "
            f"pandas {pandas.__version__}, pyarrow {pyarrow.__version__}")


def report_scale(label: str, scale: float, gen: dict, facts: dict | None, qres: dict | None,
                 pres: dict | None, ires: dict | None, repeat: int) -> list[str]:
    L = [f"## Scale {label}", ""]
    if "failed" in gen:
        L += [f"**Generation failed**: {gen['failed']}", ""]
        return L
    at50 = facts["rows"] >= 45e6
    L.append(f"{facts['rows']:,} dossiers, {facts['year_from']}–{facts['year_to']}; database file "
             f"{facts['file_mb']:,.0f} MB; summary kpi_month {facts['summary_rows']:,} rows. "
             f"Dossier page: unit {facts['page']['unit']} × procedure {facts['page']['procedure']} "
             f"({facts['page']['rows']:,} dossiers in {QUARTER}). First load (page sets): P = "
             f"{facts['view']['period']}, trend {facts['view']['trend']}, stocks on {facts['view']['s_day']}.")
    L.append("")
    if qres:
        L += [f"### KPI queries (ms; warm: median and p95 of {repeat} runs; cold: first run after connecting, "
              "in a fresh process, OS page cache warm)", "",
              "| query | calls | result rows | median | p95 | cold | target (DESIGN §7) |",
              "|---|---|---:|---:|---:|---:|---|"]
        for op, (name, calls) in QUERIES.items():
            if op not in qres:   # left out by --ops
                continue
            r = qres[op]
            if "failed" in r:
                L.append(f"| {name} | {calls} | — | failed | | | {r['failed']} |")
                continue
            L.append(f"| {name} | {calls} | {r['rows']:,} | {ms(r['median'])} | {ms(r['p95'])} | {ms(r['cold'])} "
                     f"| {QUERY_TARGET[op]} |")
        L += ["", "Page query sets: what each page runs on its first load with default filters (the latest quarter "
              "P, the trend from the first quarter, no scope filter, as recorded), timed as the sum of its calls in "
              "one run, none cached. The entry's queries run before every page (cached per file version); a call "
              "two pages share counts in both (the dashboard would find it in its cache).", "",
              "| page | calls | median | p95 | cold | target | " + ("meets target" if at50 else
                                                                  "within 30 ms here (target is for 50 M)") + " |",
              "|---|---|---:|---:|---:|---|---|"]
        for op, (name, calls) in SETS.items():
            if op not in qres:
                continue
            r = qres[op]
            limit, target = SET_TARGET.get(op, (0.030, TARGET_SET))
            if "failed" in r:
                L.append(f"| {name} | {calls} | failed | | | {target} | |")
                continue
            ok = "—" if limit is None else "yes" if r["median"] <= limit else "no"
            L.append(f"| {name} | {calls} | {ms(r['median'])} | {ms(r['p95'])} | {ms(r['cold'])} | {target} | {ok} |")
        conn = [r["connect"] for r in qres.values() if "connect" in r]
        rss = [r["rss_mb"] for r in qres.values() if "rss_mb" in r]
        if conn:
            L += ["", f"Connecting (read-only) took {ms(min(conn))}–{ms(max(conn))} ms; peak RSS of a query process "
                  f"{min(rss):,.0f}–{max(rss):,.0f} MB (Python + pandas + DuckDB included)."]
        L.append("")
    if pres is not None:
        L += ["### pandas baseline (same rows, loaded through Arrow)", ""]
        if "failed" in pres:
            L += [f"**pandas baseline failed**: {pres['failed']}", ""]
        elif pres.get("skipped"):
            L += [pres["skipped"], ""]
        else:
            legal = ", legal_days" if pres["fallback_rows"] else ""
            L.append(f"Load: {pres['rows']:,} rows (received_at, due_at, finished_at, supplement_days, status_code, "
                     f"channel + unit level and procedure field as categories{legal}) in {secs(pres['load'])}; "
                     f"frame {pres['frame_mb']:,.0f} MB; process RSS {pres['rss_before_mb']:,.0f} MB before, "
                     f"{pres['rss_load_mb']:,.0f} MB after the load, peak {pres['hwm_load_mb']:,.0f} MB during it "
                     f"(peak of the whole pandas process {pres['rss_mb']:,.0f} MB).")
            L += ["", f"| computation | pandas median ({len(pres['a'])} runs) | DuckDB median | pandas / DuckDB |",
                  "|---|---:|---:|---:|"]
            pa_, pb = statistics.median(pres["a"]), statistics.median(pres["b"])
            for name, pt, op in (("(a) F01, F04o, F05, F07–F09, F10 for one quarter", pa_, "a"),
                                 ("level × quarter trend (one groupby) vs (b), 1 call", pb, "b"),
                                 ("level × quarter trend (one groupby) vs (b2), 1 call", pb, "b2")):
                d = (qres or {}).get(op, {}).get("median")
                ratio = f"{pt / d:,.1f}×" if d else "—"
                L.append(f"| {name} | {ms(pt)} ms | {ms(d)} ms | {ratio} |")
            L += ["", f"Check: the pandas numbers **equal** the DuckDB ones (reform.compute.kpis) for all "
                  f"{pres['checked']:,} values compared — (a), and (b) and (b2) for every level × quarter of "
                  f"{pres['quarters']} quarters (asserted)."
                  + (f" {pres['fallback_rows']:,} finished dossiers without a due date used the working-day rule."
                     if pres["fallback_rows"] else ""), ""]
    L += ["### Generation and import", "", "| step | rows | time | rows/s | peak RSS | target (DESIGN §7) |",
          "|---|---:|---:|---:|---:|---|"]
    gen_target = "default sample (scale 1) builds in ≤ 60 s" if abs(scale - 1) < 1e-9 else "— (≤ 60 s is for scale 1)"
    if gen.get("reused"):
        L.append(f"| generate (`python -m reform generate`) | {facts['rows']:,} | reused existing file "
                 f"(use --rebuild to time it) | | | {gen_target} |")
    else:
        L.append(f"| generate (`python -m reform generate`) | {facts['rows']:,} | {secs(gen['wall'])} | "
                 f"{facts['rows'] / gen['wall']:,.0f} | {gen['rss_mb']:,.0f} MB | {gen_target} |")
    if ires is not None:
        imp = ires.get("import")
        if isinstance(imp, dict):
            ok = "" if imp["rows_in_db"] == imp["rows"] == imp["summary_rows"] else \
                f" (**db holds {imp['rows_in_db']:,} rows, summaries {imp['summary_rows']:,}**)"
            L.append(f"| import 1 M-row dossier CSV ({imp['csv_mb']:,.0f} MB, canonical headers) into a db with "
                     f"the same units and procedures, summaries included{ok} | {imp['rows']:,} | {secs(imp['wall'])} | "
                     f"{imp['rows'] / imp['wall']:,.0f} | {imp['rss_mb']:,.0f} MB | ≥ 500 k rows/s |")
        elif imp is not None:
            L.append(f"| import 1 M-row dossier CSV | | {imp} | | | ≥ 500 k rows/s |")
        reb = ires.get("rebuild")
        if isinstance(reb, dict):
            L.append(f"| summary rebuild alone (`reform.db.rebuild`, nothing added: copy, sort, summaries, swap) | "
                     f"{facts['rows']:,} | {secs(reb['wall'])} | {facts['rows'] / reb['wall']:,.0f} | "
                     f"{reb['rss_mb']:,.0f} MB | — |")
        elif reb is not None:
            L.append(f"| summary rebuild alone | | {reb} | | | — |")
        L += incremental.report_rows(ires.get("incremental"))
    L.append("")
    return L
