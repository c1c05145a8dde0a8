"""A pandas baseline on the same rows (loaded through Arrow): query (a) and the level × quarter trend
computed with pandas, timed, and asserted equal to the DuckDB numbers (reform.compute.kpis)."""
from __future__ import annotations

import pathlib
import time

from bench import harness
from bench.harness import child_failure, run_child, worker_cmd, worker_result
from bench.queries import operations


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
    rss0 = harness.rss()
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
    rss_load, hwm_load = harness.rss(), harness.hwm()
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
    ops = operations(params)
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


def step_pandas(path: pathlib.Path, params: dict, repeat: int, log) -> dict:
    log("  pandas baseline ...")
    r = run_child(worker_cmd("pandas", db=str(path), params=params, repeat=repeat))
    if r["rc"] != 0:
        return {"failed": child_failure(r)}
    res = worker_result(r)
    res["rss_mb"] = r["rss_mb"]
    return res
