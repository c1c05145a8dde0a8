"""The timed calls: the dashboard's KPI calls through reform.compute.kpis (and its named queries through
queries.run), each in its own fresh process, its first run after connecting ("cold", OS page cache warm)
then --repeat warm runs (median, p95); grouped into page query sets (DESIGN §7)."""
from __future__ import annotations

import pathlib
import statistics
import time

from bench.harness import ms, p95, run_child, worker_cmd, worker_result

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



def operations(params: dict):
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
    op = operations(args["params"])[args["op"]]
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

