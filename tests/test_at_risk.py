"""What is coming due (issue 16 item 3): the at-risk counts by unit on the current period's stock day
equal a hand count from the dossiers table and the holiday calendar (pandas and numpy, not the SQL
rules), add up to the overdue KPI (F11o) and to the lists behind them, and the pages show them."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import queries
from reform import compute, data_range, periods
from tests.conftest import ROOT

NO_FILTER = dict(level=None, unit=None, field=None, procedure=None, channel=None, lens=None)


@pytest.fixture(scope="module")
def current(reader) -> periods.Period:
    return periods.parse(data_range.codes("quarter", data_range.bounds(reader))[0])


def _hand_count(small_db, n: int) -> tuple[dt.date, pd.DataFrame]:
    """The rule in words: on the last day D of the data's last month, a dossier received by D, not finished
    by D, not refused/withdrawn/stopped without a finish date, not paused (waiting for a supplement, no
    finish date) is open; its due day is the due date plus its supplement days; overdue when that is
    before D, due soon when it is D or later and no more than n working days (Mon-Fri, not a holiday)
    after D."""
    import duckdb
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        d = con.execute("select unit_code, received_at, due_at, finished_at, status_code, supplement_days, "
                        "apology_issued from dossiers").df()
    finally:
        con.close()
    last = pd.Timestamp(d["received_at"].max())
    day = (last + pd.offsets.MonthEnd(0)).date()
    rd, fd = d["received_at"].dt.date, d["finished_at"].dt.date
    undated = fd.isna()
    open_ = (rd <= day) & (undated | (fd > day)) & ~(d["status_code"].isin([3, 7, 8]) & undated) \
        & ~(d["status_code"].isin([5, 6]) & undated)
    od = (d["due_at"].dt.normalize() + pd.to_timedelta(d["supplement_days"].fillna(0), unit="D")).dt.date
    holidays = set(pd.read_csv(ROOT / "sample_data" / "holidays.csv")["day"].map(dt.date.fromisoformat))
    # the day past n working days after D: walk forward
    limit, left = day, n
    while True:
        limit += dt.timedelta(days=1)
        if limit.weekday() < 5 and limit not in holidays:
            if left == 0:
                break
            left -= 1
    overdue = open_ & (od < day)
    soon = open_ & (od >= day) & (od < limit)
    out = pd.DataFrame({"unit_code": d["unit_code"], "due_soon": soon, "overdue": overdue,
                        "no_apology": overdue & ~d["apology_issued"].fillna(False).astype(bool)})
    return day, out.groupby("unit_code").sum().query("due_soon > 0 or overdue > 0")


@pytest.mark.parametrize("n", [1, 3, 10])
def test_at_risk_equals_a_hand_count(reader, small_db, n):
    day, want = _hand_count(small_db, n)
    got = pd.DataFrame(queries.rows(reader, "at_risk", due_days=n, **NO_FILTER)).set_index("unit_code")
    assert len(want) > 3 and want["overdue"].sum() > 0 and want["due_soon"].sum() > 0
    assert set(got["day"]) == {day}
    assert sorted(got.index) == sorted(want.index)
    for col, hand in (("due_soon", "due_soon"), ("overdue", "overdue"), ("overdue_no_apology", "no_apology")):
        assert np.array_equal(got.loc[want.index, col].to_numpy(), want[hand].to_numpy().astype(float)), col


def test_at_risk_adds_up_to_the_overdue_kpi_and_the_lists(reader, current):
    p = current
    for scope in (dict(), dict(level="commune"), dict(lens="restated")):
        f = {**NO_FILTER, **scope}
        rows = queries.rows(reader, "at_risk", due_days=3, **f)
        kpi = compute.kpis(reader, p, **scope)[0]
        assert sum(r["overdue"] for r in rows) == pytest.approx(kpi["F11o"])
        for set_code, col in (("DUE", "due_soon"), ("F11o", "overdue")):
            listed = queries.rows(reader, "dossier_list", set=set_code, due_days=3, p_start=p.start, p_end=p.end,
                                  sort="due_asc", limit=1, offset=0, **f)
            total = listed[0]["weighted_total"] if listed else 0
            assert total == pytest.approx(sum(r[col] for r in rows)), (scope, set_code)
        assert sum(r["due_soon"] for r in rows) <= kpi["F11i"]


def test_a_unit_sees_only_its_own(reader, current):
    unit = queries.rows(reader, "at_risk", due_days=3, **NO_FILTER)[0]["unit_code"]
    tree = {r[0] for r in reader.cursor().execute(
        "select unit_code from unit_tree where ancestor_code = ?", [unit]).fetchall()}
    rows = queries.rows(reader, "at_risk", due_days=3, **{**NO_FILTER, "unit": unit})
    assert rows and {r["unit_code"] for r in rows} <= tree


def test_the_pages_show_what_is_coming_due(open_app, reader, current):
    at = open_app("dossiers", p=current.code, due="5")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown) + " ".join(b.label for b in at.button)
    n = sum(r["due_soon"] for r in queries.rows(reader, "at_risk", due_days=5, **NO_FILTER))
    assert f"{int(n):,}".replace(",", ".") in text and "5 ngày làm việc" in text
    home = open_app("overview", p=current.code)
    line = next(m.value for m in home.markdown if m.value.startswith("Sắp đến hạn"))
    overdue = compute.kpis(reader, current)[0]["F11o"]
    assert f"{overdue:,}".replace(",", ".") + " hồ sơ quá hạn" in line
    past = open_app("dossiers", p=current.previous().code)
    assert any("kỳ hiện tại" in i.value for i in past.info)
    assert not any(m.value.startswith("Sắp đến hạn") for m in open_app("overview", p=current.previous().code).markdown)


def test_the_twin_of_the_overview_says_the_same(small_db, reader, current, monkeypatch):
    """The JSON twin (python -m reform view) of the Overview: its at-risk line against its own F11o card
    and the Dossiers page's table of units."""
    from ui import twin
    monkeypatch.setenv("REFORM_DB", str(small_db))
    home = twin.view(f"/?p={current.code}")
    [line] = [t["rows"][0] for t in home["tables"] if t["name"] == "at-risk"]
    card = next(c for c in home["cards"] if c["code"] == "F11o")
    assert line["overdue"] == card["value"] > 0 and line["due_days"] == 3
    units = twin.view(f"/dossiers?p={current.code}")
    [table] = [t["rows"] for t in units["tables"] if t["name"] == "risk-units"]
    assert sum(r["due_soon"] for r in table) == line["due_soon"] > 0
