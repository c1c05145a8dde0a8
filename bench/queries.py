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
# ui/dossier_list.py's PAGE_SIZE and default sort (not imported: the benchmark does not import streamlit)
PAGE_SIZE, SORT = 50, "received_desc"
# a first load's scope: filters.Scope.filters() with every filter at its default (ui/filters.py)
DEFAULT_FILTERS = dict(level=None, unit=None, field=None, procedure=None, channel=None, lens="recorded")

# op: (label, calls description): one call each, and in brackets the page call it mirrors (the (a)
# breakdowns are its two SQL statements; (b) is the pandas baseline's comparison)
QUERIES = {
    "a": ("(a) KPIs, one quarter, whole province", f"1 call: kpis({QUARTER}) (data.kpi_row)"),
    "a_k": ("(a) breakdown: kpi_counts SQL alone", "1 query: queries.rows('kpi_counts')"),
    "a_c": ("(a) breakdown: procedure_counts SQL alone", "1 query: queries.rows('procedure_counts')"),
    "b": ("(b) quarter trend, all years", "1 call: kpis(first year Q1:last year Q4, by=quarter) "
          "(the pack's trend, over 8 quarters there)"),
    "b2": ("(b2) level × quarter trend, all quarters",
           "1 call: kpis(first:last quarter, by=level, bucket=quarter, procedure_kpis=False) (data.trend)"),
    "b3": ("(b3) quarter trend, dossier KPIs only",
           "1 call: kpis(first:last quarter, bucket=quarter, procedure_kpis=False) (data.trend, by_level=False)"),
    "c": ("(c) communes ranked, one quarter", f"1 call: kpis({QUARTER}, by=peer, level=commune) (units page)"),
    "d": ("(d) one unit's procedures, one quarter",
          f"1 call: kpis({QUARTER}, by=procedure, unit={UNIT}) (units page, a unit open)"),
    "e": ("(e) one month by field", f"1 call: kpis({MONTH}, by=field) (procedures page, month grain)"),
    "f": (f"(f) page of {PAGE_SIZE} dossier rows, one unit × procedure",
          f"1 query: dossier_list, F01, {SORT} (data.dossier_page)"),
}
# op: (page, calls description): what one page runs on its first load with default filters (the latest
# quarter P, the trend from the first quarter with data, no scope filter, as recorded), read from
# dashboard.py, pages/*.py, ui/fetch.py and ui/dossier_list.py; the entry's queries run before every page
# (cached per file version, so a page does not run them again: units and procedure names come from them;
# the file checks db.identify and db.missing_tables, cached too, are not queries and are not timed)
SETS = {
    "entry": ("every page: entry and sidebar",
              "period_bounds + unit_list + procedure_list (filters.sidebar) + data_info (data.stale_since)"),
    "overview": ("overview", "data.compared: kpis(P-4Q:P, bucket=quarter) + kpis(P, by=level) + "
                 "data.trend: kpis(trend, bucket=quarter, procedure_kpis=False) and kpis(trend, by=level, …) + "
                 "at_risk (the line on what is coming due)"),
    "attention": ("overview's attention panel", "signals.find(P): 13 quarters of kept_counts by peer at each "
                  "level, by procedure and by field, and the control-limit rules on them (the Overview runs it "
                  "beside the overview set)"),
    "dossiers": ("dossiers (charts tab)", "data.trend (no level) + backlog_age + kpis(P, by=procedure)"),
    "dossier_list": ("dossier list", f"data.dossier_page(F01, P, {SORT}, {PAGE_SIZE}, 0) + status_names"),
    "units": ("units", "kpis(P, by=peer, level=commune) + the same for P-1 and P-4Q (the changes)"),
    "procedures": ("procedures", "kpis(P, by=level) + kpis(P, by=field) + kpis(P, by=procedure) + compute.idle of it"),
    "indicators": ("indicators", "fetch.pack: review.build(P) (8-quarter trend, review, reported indicators)"),
    "data": ("data", "import_history + table_counts + quality_flags + unit_mapping_list"),
    "pack_pdf": ("council pack, PDF", "review.build(P) + present.pack.pdf (≤ 2 s, issue 17)"),
    "pack_xlsx": ("council pack, workbook", "review.build(P) + present.pack.xlsx"),
    "brief_pdf": ("one-page brief, PDF", "reform.brief.build(P) + present.brief.pdf (≤ 2 s, issue 17)"),
    "brief_png": ("one-page brief, PNG", "the same + PDFium drawing the page at 150 dpi"),
}
# a set's own target (seconds, words) where it is not TARGET_SET: the documents (issue 17)
SET_TARGET = {op: (2.0, "≤ 2 s at the default sample") for op in ("pack_pdf", "brief_pdf")}
SET_TARGET |= {op: (None, "—") for op in ("pack_xlsx", "brief_png")}
QUERY_TARGET = {
    "a": "— (the overview's cards read 5 quarters in one call)",
    "a_k": "— (part of (a))", "a_c": "— (part of (a))",
    "b": "— (the indicators set's trend: 8 quarters of it)", "b2": "part of the overview set",
    "b3": "part of the overview and dossiers sets", "c": "part of the units set (there for P and P-1)",
    "d": "— (units page with a unit open)",
    "e": "— (procedures page at the month grain)",
    "f": "≈ 3 ms page of records",
}


def operations(params: dict):
    """The timed operations, as the dashboard calls them: reform.compute.kpis and queries.run on a
    reform.db.Reader (ui/database.reader), nothing cached (ui/cache.py caches each result by its parameters)."""

    import queries
    from reform import compute, data_range, kept, periods, review, signals
    q, m = periods.parse(params["quarter"]), periods.parse(params["month"])
    years = periods.parse(f"{params['year_from']}Q1:{params['year_to']}Q4")
    unit = params["unit"]
    page = params["page"]
    view = params["view"]   # the first load's period, trend range and stock day (db_facts)
    p, trend = periods.parse(view["period"]), periods.parse(view["trend"])
    f0 = DEFAULT_FILTERS

    def a(con):
        return compute.kpis(con, q, **f0)

    plain = dict(p_start=q.start, p_last=q.last_month, by=None, bucket=None, level=None, unit=None, field=None,
                 procedure=None, channel=None, lens=None)

    def a_k(con):
        return queries.rows(con, "kpi_counts", **plain)

    def a_c(con):
        return queries.rows(con, "procedure_counts", **plain)

    def b(con):
        return compute.kpis(con, years, by="quarter")

    def b2(con):  # ui/fetch.trend(scope): the overview's trend by level
        return compute.kpis(con, trend, by="level", bucket="quarter", procedure_kpis=False, **f0)

    def b3(con):  # ui/fetch.trend(scope, by_level=False): the channel mix, the dossiers page's charts
        return compute.kpis(con, trend, bucket="quarter", procedure_kpis=False, **f0)

    def c(con):  # pages/units.py: a peer group's ranking, each unit with the units under it at its level
        return compute.kpis(con, q, by="peer", **{**f0, "level": "commune"})

    def d(con):  # pages/units.py with a unit open: its procedures
        return compute.kpis(con, q, by="procedure", **{**f0, "unit": unit})

    def e(con):
        return compute.kpis(con, m, by="field", **f0)

    def f(con):  # ui/fetch.dossier_page as ui/dossier_list.show calls it, drilled to a unit and a procedure
        return queries.run(con, "dossier_list", due_days=3, set="F01", p_start=q.start, p_end=q.end, sort=SORT,
                           limit=PAGE_SIZE, offset=0, **{**f0, "unit": page["unit"], "procedure": page["procedure"]})

    # page query sets: each the list of what the page's calls return

    def entry(con):  # dashboard.py: filters.sidebar (period options, unit and procedure pickers), stale_since
        return [queries.run(con, name) for name in ("period_bounds", "unit_list", "procedure_list", "data_info")]

    def compared(con, period):  # ui/fetch.compared: the period, the previous one, last year's, in one call
        return compute.compared(lambda code, **kw: compute.kpis(con, periods.parse(code), **kw), period, **f0)

    def overview(con):  # pages/overview.py: the cards, coming due, the level bars, the channel mix, the trend by level
        return [compared(con, p), kept.at_risk(con, 3, **f0), compute.kpis(con, p, by="level", **f0),
                compute.kpis(con, trend, bucket="quarter", procedure_kpis=False, **f0),
                compute.kpis(con, trend, by="level", bucket="quarter", procedure_kpis=False, **f0)]

    def attention(con):  # ui/attention.py: what moved beyond its own control limits in the quarter
        return [signals.find(con, p, first_month=data_range.bounds(con)[0], lens=f0["lens"])]   # fetch.bounds

    def dossiers(con):  # pages/dossiers.py, the charts tab it opens on: trend, backlog age, times by procedure
        return [compute.kpis(con, trend, bucket="quarter", procedure_kpis=False, **f0),
                queries.run(con, "backlog_age", p_end=p.end, **f0), compute.kpis(con, p, by="procedure", **f0)]

    def dossier_list(con):  # ui/dossier_list.show: the first page of F01, then the status names to label it
        return [queries.run(con, "dossier_list", due_days=3, set="F01", p_start=p.start, p_end=p.end, sort=SORT,
                            limit=PAGE_SIZE, offset=0, **f0), queries.run(con, "status_names")]

    def units(con):  # pages/units.py: the commune peer group ranked, the previous period and last year's for changes
        f = {**f0, "level": "commune"}
        return [compute.kpis(con, q, by="peer", **f) for q in (p, p.previous(), p.same_last_year())]

    def procedures(con):  # pages/procedures.py: by level, by field, by procedure, the idle procedures
        by_procedure = compute.kpis(con, p, by="procedure", **f0)
        return [compute.kpis(con, p, by="level", **f0), compute.kpis(con, p, by="field", **f0), by_procedure,
                compute.idle(by_procedure)]

    def indicators(con):  # pages/indicators.py: data.pack, the filters that are set (the lens)
        return [review.build(con, p, lang="vi", lens=f0["lens"])]

    def pack_pdf(con):  # python -m reform report --out pack.pdf, the Indicators page's PDF download
        from present import pack
        return [pack.pdf(review.build(con, p, lang="vi"))]

    def pack_xlsx(con):  # the same as a workbook
        from present import pack
        return [pack.xlsx(review.build(con, p, lang="vi"))]

    def brief_pdf(con):  # python -m reform brief, the Overview's download
        from present import brief as document
        from reform import brief
        return [document.pdf(brief.build(con, p, "vi"))]

    def brief_png(con):  # the same page as a PNG
        from present import brief as document
        from reform import brief
        return [document.png(document.pdf(brief.build(con, p, "vi")))]

    def data(con):  # pages/data.py (data_info comes from the entry)
        return [queries.run(con, name) for name in ("import_history", "table_counts", "quality_flags",
                                                    "unit_mapping_list")]

    return {"a": a, "a_k": a_k, "a_c": a_c, "b": b, "b2": b2, "b3": b3, "c": c, "d": d, "e": e, "f": f,
            "entry": entry, "overview": overview, "attention": attention, "dossiers": dossiers,
            "dossier_list": dossier_list, "units": units,
            "procedures": procedures, "indicators": indicators, "data": data, "pack_pdf": pack_pdf,
            "pack_xlsx": pack_xlsx, "brief_pdf": brief_pdf, "brief_png": brief_png}


def worker_query(args: dict) -> dict:
    """One operation in a fresh process: connect, first run (cold), then `repeat` warm runs."""
    from reform import db
    op = operations(args["params"])[args["op"]]
    t0 = time.perf_counter()
    con = db.Reader(args["db"])   # as the dashboard reads (ui/database.reader)
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
        # the first load's view (ui/filters.sidebar): the latest quarter with data, the trend from the first
        # one; stocks on the SQL macro stock_day (the period end, or the end of the data if earlier)
        import queries
        from reform import data_range
        codes = data_range.codes("quarter", data_range.bounds(con))
        [day] = queries.rows(con, "stock_day", p_end=periods.parse(codes[0]).end)
    finally:
        con.close()
    page = {"unit": UNIT, "procedure": row[0] if row else "", "rows": row[1] if row else 0}
    view = {"period": codes[0], "trend": f"{codes[-1]}:{codes[0]}", "s_day": day["day"].isoformat()}
    return {"rows": n, "year_from": y0, "year_to": y1, "summary_rows": summary, "page": page, "view": view,
            "file_mb": path.stat().st_size / 2 ** 20}


def step_queries(path: pathlib.Path, params: dict, repeat: int, log, ops: list[str] | None = None) -> dict:
    """Each operation (or those in ops, which bench/cli.py checks) in its own process."""
    out = {}
    for op in [o for o in [*QUERIES, *SETS] if ops is None or o in ops]:
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

