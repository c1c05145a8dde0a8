"""The daily imports (issue 15): `python -m reform import` of a day's batch into a copy of the scale's
database, as a data office runs it, in a child process (wall time and peak RSS of the whole command):

    new      200 new dossiers received in the data's last month (copies of its latest rows, new codes)
    updated  3,000 dossiers of the last 24 months sent again with a new status (the open ones finished,
             the finished ones finished later), spread over those months

The copy is first built whole by this version (an older file's summaries are rebuilt by its first
import), so both rows time the path every later import takes. The extra disk an import needs is the
temp file beside the database: reported as its size next to the database's."""
from __future__ import annotations

import pathlib
import shutil
import sys

import duckdb

from bench.harness import child_failure, run_child, worker_cmd, worker_result
from reform.headers import COLUMNS as CONTRACT

NEW, UPDATED = 200, 3000
COLUMNS = ", ".join(c for c, _ in CONTRACT["dossiers"])   # the import contract's dossier columns, in order
BATCHES = {
    "new": f"""select * replace ('BENCH-NEW-' || dossier_code as dossier_code)
               from (select {COLUMNS} from dossiers order by received_at desc limit {NEW})""",
    "updated": f"""select * replace (
                       case when finished_at is null then 10 else status_code end as status_code,
                       coalesce(finished_at + interval 3 day, received_at + interval 20 day) as finished_at)
                   from (from (select {COLUMNS} from dossiers
                               where received_at >= (select max(received_at) from dossiers) - interval 24 month)
                         using sample reservoir({UPDATED} rows) repeatable (15))""",
}


def step_incremental(path: pathlib.Path, data_dir: pathlib.Path, log) -> dict:
    copy = data_dir / f"incremental-{path.name}"
    out: dict = {}
    try:
        shutil.copyfile(path, copy)
        log("  building the copy whole with this version's rules ...")
        r = run_child(worker_cmd("rebuild", db=str(copy)))
        if r["rc"] != 0:
            return {"failed": "rebuild: " + child_failure(r)}
        out["whole"] = {"wall": worker_result(r)["time"], "rss_mb": r["rss_mb"]}
        for name, sql in BATCHES.items():
            csv = data_dir / f"batch-{name}.csv"
            con = duckdb.connect(str(copy), read_only=True)
            try:
                con.execute(f"copy ({sql}) to '{csv}' (header, delimiter ',')")
                months = con.execute(f"select count(distinct date_trunc('month', received_at)) from ({sql})"
                                     ).fetchone()[0]
            finally:
                con.close()
            size = copy.stat().st_size
            log(f"  importing the '{name}' batch ...")
            r = run_child([sys.executable, "-m", "reform", "import", "--db", str(copy), "--kind", "dossiers",
                           str(csv)], timeout=1800)
            csv.unlink(missing_ok=True)
            if r["rc"] != 0:
                out[name] = {"failed": child_failure(r) + " " + r["stdout"].strip()[-300:]}
                continue
            how = "difference" if "by difference" in r["stdout"] else "whole"
            out[name] = {"wall": r["wall"], "rss_mb": r["rss_mb"], "months": months, "summaries": how,
                         "db_mb": size / 2 ** 20, "temp_mb": size / 2 ** 20,   # the byte copy of the live file
                         "after_mb": copy.stat().st_size / 2 ** 20}
    finally:
        copy.unlink(missing_ok=True)
    return out


def report_rows(res: dict) -> list[str]:
    """Markdown rows for the report's generation-and-import table."""
    if not res:
        return []
    if "failed" in res:
        return [f"| daily imports | | failed: {res['failed']} | | | |"]
    rows = []
    for name, label, target in (
            ("new", f"import {NEW} new dossiers (`reform import`, whole command)", "≤ 1 s (1×), ≤ 3 s (50 M)"),
            ("updated", f"import {UPDATED:,} updated dossiers over 24 months", "≤ 5 s (50 M)")):
        r = res.get(name)
        if r is None:
            continue
        if "failed" in r:
            rows.append(f"| {label} | | failed: {r['failed']} | | | {target} |")
            continue
        rows.append(f"| {label}: {r['months']} month(s), summaries by {r['summaries']}; temp file "
                    f"{r['temp_mb']:,.0f} MB beside a {r['db_mb']:,.0f} MB database, {r['after_mb']:,.0f} MB after "
                    f"| {NEW if name == 'new' else UPDATED:,} | {r['wall']:.1f} s | | {r['rss_mb']:,.0f} MB | {target} |")
    return rows
