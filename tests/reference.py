"""An independent re-implementation of docs/kpi-rules.md in pandas, straight from the dossier rows
(no summary tables, no SQL of the project), used to check the SQL KPI counts."""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd


def load(path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        d = con.sql("select * from dossiers").to_arrow_table().to_pandas()
        units = con.sql("select * from units").to_arrow_table().to_pandas()
        procs = con.sql("select * from procedures").to_arrow_table().to_pandas()
        hol = [r[0] for r in con.execute("select day from holidays").fetchall()]
    finally:
        con.close()
    d = d.merge(units[["unit_code", "level", "parent_code"]], on="unit_code", how="left")
    d["level"] = d["level"].fillna("unassigned")
    d = d.merge(procs[["procedure_code", "field", "legal_days", "has_fee", "requires_paper_result"]],
                on="procedure_code", how="left")
    d["channel"] = d["channel"].fillna(1)
    for c in ("received_at", "due_at", "finished_at", "returned_at"):
        d[c[:-3] + "_day"] = d[c].dt.normalize()
    eff = d["finished_at"] - pd.to_timedelta(d["supplement_days"].fillna(0) * 86400, unit="s")
    d["eff_day"] = eff.dt.normalize()
    done = d["status_code"].isin([9, 10]) & d["finished_at"].notna()
    wd = np.zeros(len(d), dtype="int64")
    m = done.to_numpy()
    start = (d.loc[m, "received_day"] + pd.Timedelta(days=1)).to_numpy().astype("datetime64[D]")
    stop = (d.loc[m, "eff_day"] + pd.Timedelta(days=1)).to_numpy().astype("datetime64[D]")
    wd[m] = np.maximum(0, np.busday_count(start, np.maximum(start, stop), holidays=np.array(hol, dtype="datetime64[D]")))
    d["wd"] = wd
    outcome = pd.Series(None, index=d.index, dtype="object")
    has_due = done & d["due_day"].notna()
    outcome[has_due & (d["eff_day"] < d["due_day"])] = "early"
    outcome[has_due & (d["eff_day"] == d["due_day"])] = "ontime"
    outcome[has_due & (d["eff_day"] > d["due_day"])] = "late"
    no_due = done & d["due_day"].isna()
    outcome[no_due & (d["wd"] <= d["legal_days"])] = "ontime"
    outcome[no_due & (d["wd"] > d["legal_days"])] = "late"
    d["outcome"] = outcome
    d["paused"] = d["status_code"].isin([5, 6]) & d["finished_at"].isna()
    # DESIGN §5 rev 2: refused, withdrawn or stopped with no finish date is closed, never open; overdue
    # at a day only past the due day plus the supplement days
    d["closed_undated"] = d["status_code"].isin([3, 7, 8]) & d["finished_at"].isna()
    d["overdue_from"] = d["due_day"] + pd.to_timedelta(d["supplement_days"].fillna(0), unit="D")
    return d, units, procs


def descendants(units: pd.DataFrame, code: str) -> set[str]:
    out, frontier = {code}, {code}
    while frontier:
        frontier = set(units.loc[units["parent_code"].isin(frontier), "unit_code"]) - out
        out |= frontier
    return out


def data_end(d: pd.DataFrame) -> pd.Timestamp:
    """The last day of the last month with a received dossier (stocks are never taken later)."""
    return d["received_day"].max() + pd.offsets.MonthEnd(0)


def dossier_counts(d: pd.DataFrame, start: dt.date, end: dt.date, stock_cap: pd.Timestamp | None = None) -> dict:
    """Counts for the rows of d (already filtered) over the period [start, end]; open, overdue and paused
    stocks at min(end, stock_cap)."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    se = e if stock_cap is None else min(e, stock_cap)
    recv = d["received_day"].between(s, e)
    fin = d["finished_day"].between(s, e)
    closed_before_start = d["finished_day"] <= s - pd.Timedelta(days=1)
    open_end = (d["received_day"] <= se) & ~(d["finished_day"] <= se) & ~d["paused"] & ~d["closed_undated"]
    finished = fin & d["outcome"].notna()
    c = {
        "F01": recv.sum(),
        "F02": ((d["received_day"] < s) & ~closed_before_start & ~d["closed_undated"]).sum(),
        "F04d": (recv & (d["channel"] == 1)).sum(),
        "F04o": (recv & (d["channel"] == 2)).sum(),
        "F04p": (recv & (d["channel"] == 3)).sum(),
        "F07": (fin & (d["outcome"] == "early")).sum(),
        "F08": (fin & (d["outcome"] == "ontime")).sum(),
        "F09": (fin & (d["outcome"] == "late")).sum(),
        "F11i": (open_end & ~(d["overdue_from"] < se)).sum(),
        "F11o": (open_end & (d["overdue_from"] < se)).sum(),
        "F12": ((d["paused"] & (d["received_day"] <= se)) | (fin & (d["status_code"] == 8))).sum(),
        "F13r": (recv & (d["status_code"] == 3)).sum(),
        "F13w": (recv & (d["status_code"] == 7)).sum(),
        "F18": (d["returned_day"].between(s, e) & (d["return_channel"] == "postal")).sum(),
        "wd_sum": d.loc[finished, "wd"].sum(),
        "n_paper_finished": (finished & d["requires_paper_result"].fillna(False)).sum(),
        "n_e_result": (finished & d["requires_paper_result"].fillna(False) & d["has_e_result"].fillna(False)).sum(),
        "n_digitized": (recv & d["is_digitized"].fillna(False)).sum(),
        "n_fee": (recv & d["has_fee"].fillna(False)).sum(),
        "n_paid_online": (recv & d["has_fee"].fillna(False) & d["paid_online"].fillna(False)).sum(),
        "n_rated": (finished & d["rating"].notna()).sum(),
        "n_satisfied": (finished & d["rating"].isin([1, 2])).sum(),
    }
    return {k: int(v) for k, v in c.items()}


def ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def kpis_from_counts(c: dict) -> dict:
    """The dossier KPIs of DESIGN §5 from counts (the same arithmetic as the catalogue)."""
    fin = c["F07"] + c["F08"] + c["F09"]
    return {**{k: v for k, v in c.items() if k[0] == "F"},
            "F05": ratio(c["F04o"], c["F01"]),
            "F10": ratio(c["F07"] + c["F08"], fin),
            "F14": ratio(c["F07"] + c["F08"] + c["F11i"], c["F01"] + c["F02"]),
            "F15": ratio(c["wd_sum"], fin),
            "D01": ratio(c["n_e_result"], c["n_paper_finished"]),
            "D02": ratio(c["n_digitized"], c["F01"]),
            "D06": ratio(c["n_paid_online"], c["n_fee"]),
            "S01": ratio(c["n_satisfied"], c["n_rated"])}
