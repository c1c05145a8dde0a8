"""python -m reform bench [--scales 0.01,1,10,50M] [--out bench/results.md]
   python bench/run.py    [same options, plus --repeat, --rebuild, --no-import, --no-pandas, ...]

Benchmarks on generated data (DESIGN §7), one section per scale:
1. generation (`python -m reform generate` in a child process): time, rows/s, peak RSS; a database in
   --data-dir is reused unless --rebuild;
2. the dashboard's KPI queries through reform.compute.kpis (and queries/dossier_list.sql): each query
   in its own fresh process, its first run after connecting ("cold", OS page cache warm) then
   --repeat warm runs (median, p95); grouped into page query sets;
3. a pandas baseline on the same rows (loaded through Arrow), checked equal to the DuckDB numbers;
4. import throughput of a 1 M-row dossier CSV (scale >= 1) and the summary rebuild alone.

Every number in the report is measured by this run. Child processes are used so that cold times and
peak RSS (os.wait4) belong to one step only.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import math
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/run.py` puts bench/ first on the path, not the repository
    sys.path.insert(0, str(ROOT))

DEFAULT_DATA_DIR = ROOT / "bench" / "data"
ROWS_PER_SCALE = 6.0e6          # dossiers at scale 1, used for "50M" when no generated db tells better
QUARTER, MONTH, UNIT = "2024Q2", "2024-04", "964"
TARGET_SET = "≤ 30 ms warm at 50 M"

# op: (label, calls description, page set it belongs to)
QUERIES = {
    "a": ("(a) KPIs, one quarter, whole province", f"1 call: kpis({QUARTER})"),
    "a_k": ("(a) breakdown: kpi_counts SQL alone", "1 query: queries.rows('kpi_counts')"),
    "a_c": ("(a) breakdown: catalogue_counts SQL alone", "1 query: queries.rows('catalogue_counts')"),
    "b": ("(b) quarter trend, all years", "1 call: kpis(first year Q1:last year Q4, by=quarter)"),
    "b2": ("(b2) level × quarter trend, all years",
           "1 call: kpis(first year Q1:last year Q4, by=level, bucket=quarter, catalogue=False)"),
    "b3": ("(b3) quarter trend, dossier KPIs only", "1 call: kpis(first year Q1:last year Q4, by=quarter, catalogue=False)"),
    "c": ("(c) communes ranked, one quarter", f"1 call: kpis({QUARTER}, by=unit, level=commune)"),
    "d": ("(d) one unit's procedures, one quarter", f"1 call: kpis({QUARTER}, by=procedure, unit={UNIT})"),
    "e": ("(e) one month by field", f"1 call: kpis({MONTH}, by=field)"),
    "f": ("(f) page of 100 dossier rows", "1 query: queries/dossier_list.sql (the dashboard's list)"),
}
SETS = {  # page query sets; "overview" is timed as one unit, the others are single queries
    "overview": ("overview", "(a) over 5 quarters + (b3) + (b2)", "overview"),
    "units": ("units", "(c)", "c"),
    "procedures": ("procedures", "(d)", "d"),
    "dossiers": ("dossier list", "(f)", "f"),
}
QUERY_TARGET = {
    "a": f"overview set {TARGET_SET}", "b": f"overview set {TARGET_SET}",
    "a_k": "— (part of (a))", "a_c": "— (part of (a))",
    "b2": f"overview set {TARGET_SET}", "b3": f"overview set {TARGET_SET}",
    "c": f"units set {TARGET_SET}", "d": f"procedures set {TARGET_SET}",
    "e": "— (no page set named; ≤ 30 ms at 50 M by analogy)",
    "f": f"≈ 3 ms page of records; set {TARGET_SET}",
}


# ----------------------------------------------------------------------------------------- helpers
def scale_label(s: float) -> str:
    return f"{s:g}"


def parse_scales(text: str, data_dir: pathlib.Path) -> list[tuple[str, float]]:
    """'0.01,1,10,50M' -> [(label, scale)]; '50M' = the scale giving about 50 million dossiers."""
    out = []
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        if part.upper().endswith("M"):
            rows = float(part[:-1]) * 1e6
            s = round(rows / rows_per_scale(data_dir), 2)
            out.append((f"{part.upper()} (scale {s:g})", s))
        else:
            s = float(part)
            if s <= 0:
                raise ValueError(f"scale must be positive: {part!r}")
            out.append((scale_label(s), s))
    return out


def rows_per_scale(data_dir: pathlib.Path) -> float:
    """Dossiers per unit of scale, from the largest database already generated (else ROWS_PER_SCALE)."""
    import duckdb
    best = None
    for p in data_dir.glob("scale-*.duckdb"):
        try:
            s = float(p.stem.removeprefix("scale-"))
        except ValueError:
            continue
        if s >= 0.1 and (best is None or s > best[0]):
            best = (s, p)
    if best is None:
        return ROWS_PER_SCALE
    try:
        con = duckdb.connect(str(best[1]), read_only=True)
        try:
            return con.execute("select count(*) from dossiers").fetchall()[0][0] / best[0]
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - locked or broken file: fall back to the constant
        return ROWS_PER_SCALE


def run_child(cmd: list[str], timeout: float | None = None) -> dict:
    """Run a child process; wall time, exit code, peak RSS (MB, from wait4), stdout and stderr."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=fo, stderr=fe, env=env)
        timer = threading.Timer(timeout, p.kill) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        return {"rc": p.returncode, "wall": wall, "rss_mb": ru.ru_maxrss / 1024,
                "stdout": fo.read().decode("utf-8", "replace"), "stderr": fe.read().decode("utf-8", "replace")}


def child_failure(r: dict) -> str:
    rc = r["rc"]
    why = f"killed by signal {-rc}" + (" (SIGKILL: out of memory?)" if rc == -9 else "") if rc < 0 else f"exit code {rc}"
    tail = " | ".join(line.strip() for line in r["stderr"].strip().splitlines()[-4:])
    return f"{why} after {r['wall']:.1f} s, peak RSS {r['rss_mb']:,.0f} MB; {tail}"


def worker_cmd(kind: str, **kw) -> list[str]:
    return [sys.executable, "-m", "bench.run", "--worker", kind, "--worker-args", json.dumps(kw)]


def worker_result(r: dict) -> dict:
    if r["rc"] != 0:
        raise RuntimeError(child_failure(r))
    return json.loads(r["stdout"].strip().splitlines()[-1])


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def ms(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:,.1f}" if x < 10 else f"{x * 1000:,.0f}"


def secs(x: float) -> str:
    return f"{x:,.1f} s" if x >= 1 else f"{x * 1000:,.0f} ms"


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


# ----------------------------------------------------------------------------------------- workers
def _ops(params: dict):
    """The timed operations, as the dashboard calls them (reform.compute.kpis on a read-only connection)."""
    import queries
    from reform import compute, periods
    q, m = periods.parse(params["quarter"]), periods.parse(params["month"])
    years = periods.parse(f"{params['year_from']}Q1:{params['year_to']}Q4")
    unit = params["unit"]
    page = params["page"]

    def a(con):
        return compute.kpis(con, q)

    plain = dict(p_start=q.start, p_last=q.last_month, by=None, bucket=None, level=None, unit=None, field=None,
                 procedure=None, channel=None, lens=None)

    def a_k(con):
        return queries.rows(con, "kpi_counts", **plain)

    def a_c(con):
        return queries.rows(con, "catalogue_counts", **plain)

    def b(con):
        return compute.kpis(con, years, by="quarter")

    def b2(con):  # the dashboard's trend by level
        return compute.kpis(con, years, by="level", bucket="quarter", catalogue=False)

    def b3(con):  # the dashboard's trend charts
        return compute.kpis(con, years, by="quarter", catalogue=False)

    def c(con):
        return compute.kpis(con, q, by="unit", level="commune")

    def d(con):
        return compute.kpis(con, q, by="procedure", unit=unit)

    def e(con):
        return compute.kpis(con, m, by="field")

    def f(con):
        return queries.run(con, "dossier_list", set="F01", unit=page["unit"], procedure=page["procedure"],
                           p_start=q.start, p_end=q.end, s_day=q.end, level=None, field=None, channel=None,
                           lens=None, sort="received_asc", limit=100, offset=0)

    def overview(con):  # the cards with their comparisons (one call over 5 quarters), the trends
        return compute.kpis(con, periods.parse(f"{q.same_last_year().code}:{q.code}"), bucket="quarter") + b3(con) + b2(con)

    return {"a": a, "a_k": a_k, "a_c": a_c, "b": b, "b2": b2, "b3": b3, "c": c, "d": d, "e": e, "f": f, "overview": overview}


def worker_query(args: dict) -> dict:
    """One operation in a fresh process: connect, first run (cold), then `repeat` warm runs."""
    from reform import db
    op = _ops(args["params"])[args["op"]]
    t0 = time.perf_counter()
    con = db.connect_read_only(args["db"])
    connect = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = op(con)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(args["repeat"]):
        t0 = time.perf_counter()
        op(con)
        warm.append(time.perf_counter() - t0)
    con.close()
    return {"connect": connect, "cold": cold, "warm": warm, "rows": len(res)}


def worker_pandas(args: dict) -> dict:
    """Load the dossiers (+ unit level, procedure field) into pandas through Arrow, compute query (a)
    and the level × quarter trend with pandas, time them, and assert they equal reform.compute.kpis."""
    import numpy as np
    import pandas as pd

    from reform import db, periods
    params = args["params"]
    con = db.connect_read_only(args["db"])
    n_fallback = con.execute("""select count(*) from dossiers where status_code in (9, 10)
                                and finished_at is not null and due_at is null""").fetchall()[0][0]
    rss0 = _rss()
    t0 = time.perf_counter()
    table = con.sql(f"""
        select d.received_at, d.due_at, d.finished_at, d.supplement_days, d.status_code, d.channel,
               coalesce(u.level, 'unassigned') as level, p.field{", p.legal_days" if n_fallback else ""}
        from dossiers d left join units u using (unit_code) left join procedures p using (procedure_code)
    """).to_arrow_table()
    table = table.set_column(table.schema.get_field_index("level"), "level",
                             table["level"].dictionary_encode())
    table = table.set_column(table.schema.get_field_index("field"), "field", table["field"].dictionary_encode())
    df = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    load = time.perf_counter() - t0
    rss_load, hwm_load = _rss(), _hwm()
    frame_mb = df.memory_usage(deep=True).sum() / 2 ** 20
    workdays = None
    if n_fallback:  # finished dossiers without a due date: on time iff working days <= legal days
        w = con.sql("select day, wd_index from workdays").to_arrow_table().to_pandas()
        workdays = pd.Series(w["wd_index"].to_numpy(), index=pd.DatetimeIndex(w["day"]).as_unit("us"))
    day = np.timedelta64(1, "D")

    OUTCOMES = ("F07", "F08", "F09")  # early, on time, late: codes 0, 1, 2

    def outcome(sub: pd.DataFrame) -> np.ndarray:
        """0 early / 1 on time / 2 late for finished rows (the rules of reform/sql/summaries.sql)."""
        ed = (sub["finished_at"] - pd.to_timedelta(sub["supplement_days"].fillna(0) * 86400, unit="s")).dt.floor("D")
        dd = sub["due_at"].dt.floor("D")
        out = np.where(ed < dd, 0, np.where(ed == dd, 1, 2)).astype(np.int8)
        if workdays is not None:
            nodue = dd.isna().to_numpy()
            if nodue.any():
                rd = sub.loc[nodue, "received_at"].dt.floor("D")
                wd = (workdays.reindex(ed[nodue]).to_numpy() - workdays.reindex(rd).to_numpy()).clip(min=0)
                out[nodue] = np.where(wd <= sub.loc[nodue, "legal_days"].to_numpy(), 1, 2)
        return out

    def finished(frame: pd.DataFrame) -> pd.Series:
        return frame["status_code"].isin([9, 10]) & frame["finished_at"].notna()

    def one_period(start, end) -> dict:
        lo, hi = np.datetime64(start), np.datetime64(end) + day
        rec = (df["received_at"] >= lo) & (df["received_at"] < hi)
        f01 = int(rec.sum())
        f04o = int((rec & (df["channel"].fillna(1) == 2)).sum())
        fin = finished(df) & (df["finished_at"] >= lo) & (df["finished_at"] < hi)
        oc = np.bincount(outcome(df[fin]), minlength=3)
        return _ratios({"F01": f01, "F04o": f04o, **{k: int(v) for k, v in zip(OUTCOMES, oc)}})

    def quarter_key(ts: pd.Series) -> pd.Series:
        return (ts.dt.year * 10 + (ts.dt.month - 1) // 3 + 1).astype("int32")

    def trend() -> dict:
        # group by key arrays (no frame copies: 60 M rows must fit in memory beside the frame)
        online = df["channel"].fillna(1).eq(2)
        got = online.groupby([df["level"], quarter_key(df["received_at"])], observed=True).agg(["size", "sum"])
        got.columns = ["F01", "F04o"]
        got.index.names = ["level", "q"]
        fin = df.loc[finished(df), ["received_at", "finished_at", "due_at", "supplement_days", "level"]
                     + (["legal_days"] if n_fallback else [])]
        oc = pd.Series(outcome(fin), index=fin.index, name="o")
        done = oc.groupby([fin["level"], quarter_key(fin["finished_at"]), oc], observed=True).size()
        del fin, oc
        done = done.unstack("o", fill_value=0).reindex(columns=[0, 1, 2], fill_value=0)
        done.columns = list(OUTCOMES)
        done.index.names = ["level", "q"]
        both = got.join(done, how="outer").fillna(0)
        out = {}
        for (lv, qq), row in both.iterrows():
            if params["year_from"] <= qq // 10 <= params["year_to"]:
                out[(lv, f"{qq // 10}Q{qq % 10}")] = _ratios({k: int(row[k]) for k in
                                                             ("F01", "F04o", "F07", "F08", "F09")})
        return out

    q = periods.parse(params["quarter"])
    reps = args["repeat"]
    t_a, t_b = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        pa_a = one_period(q.start, q.end)
        t_a.append(time.perf_counter() - t0)
    for _ in range(reps):
        t0 = time.perf_counter()
        pa_b = trend()
        t_b.append(time.perf_counter() - t0)

    # the same numbers from DuckDB, as the dashboard computes them
    keys = ("F01", "F04o", "F05", "F07", "F08", "F09", "F10")
    ops = _ops(params)
    dk_a = {k: ops["a"](con)[0][k] for k in keys}
    checked, problems = 0, []
    for k in keys:
        checked += 1
        if dk_a[k] != pa_a[k]:
            problems.append(f"(a) {k}: DuckDB {dk_a[k]} != pandas {pa_a[k]}")
    zero = _ratios({"F01": 0, "F04o": 0, "F07": 0, "F08": 0, "F09": 0})
    dk_b2 = {(r["level"], r["quarter"]): {k: r[k] for k in keys} for r in ops["b2"](con)}
    for key in sorted(set(dk_b2) | set(pa_b)):
        d, p = dk_b2.get(key, zero), pa_b.get(key, zero)
        for k in keys:
            checked += 1
            if d[k] != p[k]:
                problems.append(f"(b2) {key} {k}: DuckDB {d[k]} != pandas {p[k]}")
    dk_b = {r["quarter"]: {k: r[k] for k in keys} for r in ops["b"](con)}
    pa_q: dict = {}
    for (_, qq), v in pa_b.items():
        acc = pa_q.setdefault(qq, {"F01": 0, "F04o": 0, "F07": 0, "F08": 0, "F09": 0})
        for k in acc:
            acc[k] += v[k]
    pa_q = {qq: _ratios(v) for qq, v in pa_q.items()}
    for key in sorted(set(dk_b) | set(pa_q)):
        d, p = dk_b.get(key, zero), pa_q.get(key, zero)
        for k in keys:
            checked += 1
            if d[k] != p[k]:
                problems.append(f"(b) {key} {k}: DuckDB {d[k]} != pandas {p[k]}")
    con.close()
    assert not problems, "pandas != DuckDB: " + "; ".join(problems[:10])
    return {"rows": len(df), "load": load, "rss_before_mb": rss0, "rss_load_mb": rss_load,
            "hwm_load_mb": hwm_load, "frame_mb": frame_mb, "a": t_a, "b": t_b, "checked": checked,
            "fallback_rows": n_fallback, "quarters": len(pa_q), "a_values": pa_a}


def _ratios(r: dict) -> dict:
    r = dict(r)
    r["F05"] = None if r["F01"] == 0 else r["F04o"] / r["F01"]
    den = r["F07"] + r["F08"] + r["F09"]
    r["F10"] = None if den == 0 else (r["F07"] + r["F08"]) / den
    return r


def _status_kb(key: str) -> float:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _rss() -> float:
    return _status_kb("VmRSS")


def _hwm() -> float:
    return _status_kb("VmHWM")


def worker_rebuild(args: dict) -> dict:
    """The summary rebuild alone: reform.db.rebuild with nothing added (copy, sort, summaries, swap)."""
    from reform import db
    t0 = time.perf_counter()
    with db.rebuild(args["db"]):
        pass
    return {"time": time.perf_counter() - t0}


def worker_refdb(args: dict) -> dict:
    """A database with the generator's units and procedures and no dossiers (the import target)."""
    from reform import db, generate
    with db.rebuild(args["db"], copy_existing=False) as con:
        generate.load_reference(con)
    return {}


WORKERS = {"query": worker_query, "pandas": worker_pandas, "rebuild": worker_rebuild, "refdb": worker_refdb}


# ----------------------------------------------------------------------------------------- steps
GENERATOR_SOURCES = ("reform/generate.py", "reform/db.py", "reform/sql/*.sql", "sample_data/*.csv")


def stale_reason(path: pathlib.Path) -> str | None:
    """Why an existing database cannot be reused: a generator source or summary SQL is newer."""
    built = path.stat().st_mtime
    newer = [str(f.relative_to(ROOT)) for pat in GENERATOR_SOURCES for f in ROOT.glob(pat)
             if f.stat().st_mtime > built]
    return f"older than {', '.join(sorted(newer))}" if newer else None


def step_generate(path: pathlib.Path, scale: float, rebuild: bool, log) -> dict:
    if path.exists() and not rebuild:
        why = stale_reason(path)
        if why is None:
            log(f"  reusing {path}")
            return {"reused": True}
        log(f"  {path.name} is {why}: regenerating")
    log(f"  generating {path.name} ...")
    r = run_child([sys.executable, "-m", "reform", "generate", "--db", str(path), "--scale", repr(scale)])
    (path.parent / f"{path.stem}.generate.log").write_text(r["stderr"], encoding="utf-8")
    if r["rc"] != 0:
        return {"failed": child_failure(r), "rss_mb": r["rss_mb"], "wall": r["wall"]}
    return {"reused": False, "wall": r["wall"], "rss_mb": r["rss_mb"]}


def db_facts(path: pathlib.Path) -> dict:
    import duckdb
    con = duckdb.connect(str(path), read_only=True)
    try:
        n = con.execute("select count(*) from dossiers").fetchall()[0][0]
        y0, y1 = con.execute("select year(min(received_at)), year(max(received_at)) from dossiers").fetchall()[0]
        summary = con.execute("select count(*) from kpi_month").fetchall()[0][0]
        # the dossier page: the unit's most used procedure in the quarter (ties by code)
        from reform import periods
        q = periods.parse(QUARTER)
        row = con.execute("""select procedure_code, count(*) from dossiers
                             where unit_code = ? and received_at >= ? and received_at < ? + interval 1 day
                             group by 1 order by 2 desc, 1 limit 1""", [UNIT, q.start, q.end]).fetchall()
        row = row[0] if row else None
    finally:
        con.close()
    page = {"unit": UNIT, "procedure": row[0] if row else "", "rows": row[1] if row else 0}
    return {"rows": n, "year_from": y0, "year_to": y1, "summary_rows": summary, "page": page,
            "file_mb": path.stat().st_size / 2 ** 20}


def step_queries(path: pathlib.Path, params: dict, repeat: int, log) -> dict:
    out = {}
    for op in list(QUERIES) + ["overview"]:
        r = run_child(worker_cmd("query", db=str(path), op=op, params=params, repeat=repeat))
        try:
            res = worker_result(r)
        except RuntimeError as e:
            out[op] = {"failed": str(e)}
            log(f"  {op}: FAILED {e}")
            continue
        res["rss_mb"] = r["rss_mb"]
        res["median"], res["p95"] = statistics.median(res["warm"]), p95(res["warm"])
        out[op] = res
        log(f"  {op:<8} median {ms(res['median'])} ms  p95 {ms(res['p95'])} ms  cold {ms(res['cold'])} ms")
    return out


def step_pandas(path: pathlib.Path, params: dict, repeat: int, log) -> dict:
    log("  pandas baseline ...")
    r = run_child(worker_cmd("pandas", db=str(path), params=params, repeat=repeat))
    if r["rc"] != 0:
        return {"failed": child_failure(r)}
    res = worker_result(r)
    res["rss_mb"] = r["rss_mb"]
    return res


def step_import(path: pathlib.Path, scale: float, data_dir: pathlib.Path, log) -> dict:
    out: dict = {}
    if importlib.util.find_spec("reform.importer") is None:
        return {"import": "n/a (importer missing)", "rebuild": _rebuild(path, data_dir, log)}
    if scale < 1:
        out["import"] = "n/a (scale < 1: the 1 M-row CSV needs scale ≥ 1)"
    else:
        import duckdb
        csv = data_dir / "dossiers-1M.csv"
        tag = f"{path.stem}"
        log("  writing the 1 M-row CSV ...")
        con = duckdb.connect(str(path), read_only=True)
        try:
            t0 = time.perf_counter()
            con.execute(f"copy (select * from dossiers limit 1000000) to '{csv}' (header, delimiter ',')")
            t_csv = time.perf_counter() - t0
        finally:
            con.close()
        n_csv = sum(1 for _ in csv.open("rb")) - 1
        target = data_dir / f"import-{tag}.duckdb"  # built fresh: the schema may have changed since last time
        target.unlink(missing_ok=True)
        rr = run_child(worker_cmd("refdb", db=str(target)))
        if rr["rc"] != 0:
            return {"import": "failed to build the reference-only database: " + child_failure(rr),
                    "rebuild": _rebuild(path, data_dir, log)}
        log(f"  importing {n_csv:,} rows ...")
        r = run_child([sys.executable, "-m", "reform", "import", "--db", str(target), "--kind", "dossiers", str(csv)],
                      timeout=1800)
        if r["rc"] != 0:
            out["import"] = "failed: " + child_failure(r) + " " + r["stdout"].strip()[-300:]
        else:
            con = duckdb.connect(str(target), read_only=True)
            try:
                n_in = con.execute("select count(*) from dossiers").fetchall()[0][0]
                n_sum = con.execute("select sum(n_received) from kpi_month").fetchall()[0][0]
            finally:
                con.close()
            out["import"] = {"rows": n_csv, "wall": r["wall"], "rss_mb": r["rss_mb"], "rows_in_db": n_in,
                             "summary_rows": n_sum, "csv_write": t_csv, "csv_mb": csv.stat().st_size / 2 ** 20}
        target.unlink(missing_ok=True)
        csv.unlink(missing_ok=True)
    out["rebuild"] = _rebuild(path, data_dir, log)
    return out


def _rebuild(path: pathlib.Path, data_dir: pathlib.Path, log) -> dict | str:
    copy = data_dir / f"rebuild-{path.name}"
    log("  summary rebuild on a copy ...")
    shutil.copyfile(path, copy)
    try:
        r = run_child(worker_cmd("rebuild", db=str(copy)))
        if r["rc"] != 0:
            return "failed: " + child_failure(r)
        return {"wall": worker_result(r)["time"], "rss_mb": r["rss_mb"]}
    finally:
        copy.unlink(missing_ok=True)


# ----------------------------------------------------------------------------------------- report
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
             f"({facts['page']['rows']:,} dossiers in {QUARTER}).")
    L.append("")
    if qres:
        L += [f"### KPI queries (ms; warm: median and p95 of {repeat} runs; cold: first run after connecting, "
              "in a fresh process, OS page cache warm)", "",
              "| query | calls | result rows | median | p95 | cold | target (DESIGN §7) |",
              "|---|---|---:|---:|---:|---:|---|"]
        for op, (name, calls) in QUERIES.items():
            r = qres.get(op, {})
            if "failed" in r:
                L.append(f"| {name} | {calls} | — | failed | | | {r['failed']} |")
                continue
            L.append(f"| {name} | {calls} | {r['rows']:,} | {ms(r['median'])} | {ms(r['p95'])} | {ms(r['cold'])} "
                     f"| {QUERY_TARGET[op]} |")
        L += ["", "Page query sets (each timed as the sum of its calls in one run):", "",
              "| page | queries | median | p95 | cold | target | " + ("meets target" if at50 else
                                                                    "within 30 ms here (target is for 50 M)") + " |",
              "|---|---|---:|---:|---:|---|---|"]
        for _, (name, members, op) in SETS.items():
            r = qres.get(op, {})
            if "failed" in r or not r:
                L.append(f"| {name} | {members} | failed | | | {TARGET_SET} | |")
                continue
            ok = "yes" if r["median"] <= 0.030 else "no"
            L.append(f"| {name} | {members} | {ms(r['median'])} | {ms(r['p95'])} | {ms(r['cold'])} | {TARGET_SET} | {ok} |")
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
    L.append("")
    return L


# ----------------------------------------------------------------------------------------- main
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
    data_dir = pathlib.Path(getattr(args, "data_dir", None) or DEFAULT_DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    scales = parse_scales(scales_text, data_dir)
    started = time.perf_counter()
    lines = ["# Benchmark results", "",
             f"Produced by `python -m reform bench --scales {scales_text}` on "
             f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}; every number below is measured by that run.", "",
             f"Machine: {machine_line()}.", "",
             f"Parameters: quarter {QUARTER}, month {MONTH}, unit {UNIT} (with its descendants for (d)); "
             f"{repeat} warm runs per query, {pandas_repeat} per pandas computation. Queries go through "
             "`reform.compute.kpis` on a read-only connection, as the dashboard calls them (results not cached).", ""]
    failed = False
    for label, scale in scales:
        log(f"scale {label}")
        path = data_dir / f"scale-{scale_label(scale)}.duckdb"
        gen = step_generate(path, scale, rebuild, log)
        facts = qres = pres = ires = bres = None
        if "failed" not in gen:
            facts = db_facts(path)
            params = {"quarter": QUARTER, "month": MONTH, "unit": UNIT, "page": facts["page"],
                      "year_from": facts["year_from"], "year_to": facts["year_to"]}
            qres = step_queries(path, params, repeat, log)
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
    ap = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.splitlines()[0])
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


def _worker_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", choices=WORKERS, required=True)
    ap.add_argument("--worker-args", default="{}")
    a = ap.parse_args(argv)
    res = WORKERS[a.worker](json.loads(a.worker_args))
    print(json.dumps(res, default=str))
    return 0


if __name__ == "__main__":
    if "--worker" in sys.argv[1:]:
        sys.exit(_worker_main(sys.argv[1:]))
    sys.exit(main(build_parser().parse_args()))
