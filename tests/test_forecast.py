"""The forecast with its error (reform/forecast.py, issue 16 item 4): the back-test's actuals, baseline,
MAPE and coverage recomputed here from the KPIs and the holidays file; a model that cannot beat the
seasonal-naive baseline is not shown; on a generated seasonal series the interval holds the truth."""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import json

import numpy as np
import pytest

from reform import db, forecast, periods
from tests.conftest import ROOT, reform_cli

pytest.importorskip("statsmodels")


def _working_days(year: int, month: int) -> int:
    """Monday to Friday, less the weekday holidays of sample_data/holidays.csv: counted here, not read
    from the calendar table the model uses."""
    with open(ROOT / "sample_data" / "holidays.csv", encoding="utf-8") as f:
        holidays = {dt.date.fromisoformat(r["day"]) for r in csv.DictReader(f)}
    days = (dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1))
    return sum(1 for d in days if d.weekday() < 5 and d not in holidays)


@pytest.fixture(scope="module")
def result(small_db):
    return json.loads(reform_cli("forecast", "--db", str(small_db), "--format", "json").stdout)


def _kpi(small_db, period: str) -> dict:
    return json.loads(reform_cli("kpi", "--db", str(small_db), "--period", period, "--format", "json").stdout)[0]


def test_the_back_test_is_what_the_kpis_say(small_db, result):
    """Each held-out quarter's actual is that quarter's F01 (received) or its end's F11i + F11o (backlog)
    as `kpi` gives it; the seasonal-naive baseline is the same months a year before per working day
    (counted here) times this year's working days; MAPE and coverage follow from those rows."""
    rec, back = result["received"], result["backlog"]
    assert len(rec["checks"]) == 4 and len(back["checks"]) == 4
    for c in rec["checks"]:
        q = periods.parse(c["quarter"])
        assert c["actual"] == _kpi(small_db, q.code)["F01"]
        naive = 0.0
        m = periods.parse_first(q.start, "month")
        for _ in range(3):
            before = m.same_last_year()
            naive += _kpi(small_db, before.code)["F01"] / _working_days(before.start.year, before.start.month) \
                * _working_days(m.start.year, m.start.month)
            m = m.next()
        assert c["naive"] == pytest.approx(naive, rel=1e-9)
        assert c["low"] <= c["forecast"] <= c["high"]
    for c in back["checks"]:
        k = _kpi(small_db, c["quarter"])
        assert c["actual"] == k["F11i"] + k["F11o"]
        assert c["naive"] == pytest.approx(_kpi(small_db, periods.parse(c["quarter"]).same_last_year().code)["F11i"]
                                           + _kpi(small_db, periods.parse(c["quarter"]).same_last_year().code)["F11o"])
    for ms in (rec, back):
        checks = ms["checks"]
        assert ms["mape"] == pytest.approx(np.mean([abs(c["forecast"] - c["actual"]) / c["actual"] for c in checks]))
        assert ms["naive_mape"] == pytest.approx(np.mean([abs(c["naive"] - c["actual"]) / c["actual"] for c in checks]))
        assert ms["coverage"] == pytest.approx(np.mean([c["low"] <= c["actual"] <= c["high"] for c in checks]))
        assert ms["shown"] == (ms["mape"] < ms["naive_mape"])
        assert (ms["outlook"] is not None) == ms["shown"]
    print(f"\nsmall sample back-test: received MAPE {rec['mape']:.1%} (naive {rec['naive_mape']:.1%}, "
          f"coverage {rec['coverage']:.0%}); backlog MAPE {back['mape']:.1%} (naive {back['naive_mape']:.1%})")


def _months(n: int, start=dt.date(2017, 1, 1)) -> list[dt.date]:
    out, p = [], periods.parse_first(start, "month")
    for _ in range(n):
        out.append(p.start)
        p = p.next()
    return out


def test_a_model_that_cannot_beat_the_baseline_is_not_shown():
    """A series that repeats itself exactly each year: the seasonal-naive forecast has no error, so no
    model can beat it, and the forecast is withheld."""
    months = _months(96)
    season = np.array([50, 42, 55, 54, 53, 55, 56, 58, 54, 55, 55, 57], dtype=float)
    wd = np.full(96, 21.0)
    received = np.tile(season, 8) * wd
    s = forecast.Series(months, received, np.tile(season, 8), wd, np.full(3, 21.0))
    f = forecast.forecast(s, forecast.Rules(covid=()))
    assert f.received.naive_mape == pytest.approx(0, abs=1e-12)
    assert not f.received.shown


def test_the_interval_holds_a_generated_series():
    """Poisson counts with a yearly season, growth and a step at the merger: across 12 draws of the
    series, the next quarter's true total lies in the 80 % interval at least 7 times, and the back-test
    beats the seasonal-naive baseline on most."""
    rng = np.random.default_rng(3)
    months = _months(104, dt.date(2017, 4, 1))          # to 2025-11: the merger step inside
    season = 1 + 0.12 * np.sin(2 * np.pi * np.arange(107) / 12)
    level = 2000 * np.exp(0.002 * np.arange(107)) * np.where(np.array(
        [m >= dt.date(2025, 7, 1) for m in _months(107, dt.date(2017, 4, 1))]), 1.4, 1.0)
    inside = beat = 0
    for _ in range(12):
        y = rng.poisson(level * season).astype(float)
        s = forecast.Series(months, y[:104], y[:104] / 10, np.ones(104), np.ones(3))
        f = forecast.forecast(s, forecast.Rules(covid=(), draws=1000))
        o = f.received.outlook
        inside += o.quarter_low <= y[104:].sum() <= o.quarter_high
        beat += f.received.mape < f.received.naive_mape
    print(f"\ngenerated series: next quarter inside the 80% interval {inside}/12, back-test beat naive {beat}/12")
    assert inside >= 7 and beat >= 7


def test_the_overview_shows_the_forecast_behind_its_toggle(small_db, result):
    """fc=1 in the link: the Overview's forecast table (its JSON twin) holds, for the province, the numbers
    the command gives; without it, no forecast table."""
    view = json.loads(reform_cli("view", "/?fc=1", "--db", str(small_db)).stdout)
    [rows] = [t["rows"] for t in view["tables"] if t["name"] == "forecast"]
    for row, measure in zip(rows[:2], ("received", "backlog")):
        want = result[measure]
        assert row["measure"] == measure and row["shown"] == want["shown"]
        for k in ("mape", "naive_mape", "coverage"):
            assert row[k] == pytest.approx(want[k], rel=1e-9)
        if want["shown"]:
            for k in ("month", "month_low", "month_high", "quarter", "quarter_low", "quarter_high"):
                assert row[k] == pytest.approx(want["outlook"][k], rel=1e-9)
    plain = json.loads(reform_cli("view", "/", "--db", str(small_db)).stdout)
    assert "forecast" not in [t["name"] for t in plain["tables"]]


def test_a_forecast_needs_three_years(small_db):
    con = db.connect_read_only(small_db)
    try:
        s = forecast.series(con)
    finally:
        con.close()
    short = forecast.Series(s.months[:30], s.received[:30], s.backlog[:30], s.workdays[:30], s.future_workdays)
    assert forecast.forecast(short) is None


def test_a_unit_made_after_the_data_began_starts_at_its_first_dossiers(small_db):
    """A unit whose dossiers begin later is not fitted on months of zeros before it existed."""
    con = db.connect_read_only(small_db)
    try:
        unit, first = con.execute("select unit_code, min(month) from kpi_month_unit where unit_code is not null "
                                  "group by 1 order by 2 desc, 1 limit 1").fetchone()
        s = forecast.series(con, unit=unit)
    finally:
        con.close()
    assert s is None or (s.months[0] == first and s.received[0] > 0)
