"""Periods past the data: `kpi` and `report` refuse a period that holds no month with data (exit 2, one
line naming the period and the range of the data); a period that overlaps the data partly is allowed;
the dashboard's period pickers offer exactly the periods the command line accepts."""
from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from reform import data_range, periods
from tests.conftest import reform_cli


@pytest.fixture(scope="module")
def months(small_db) -> tuple[dt.date, dt.date]:
    """The first and last month with a dossier received, from the raw table (not the summaries)."""
    con = duckdb.connect(str(small_db), read_only=True)
    [(lo, hi)] = con.execute("select min(received_at)::date, max(received_at)::date from dossiers").fetchall()
    con.close()
    return lo.replace(day=1), hi.replace(day=1)


def _month(d: dt.date, steps: int) -> str:
    i = d.year * 12 + d.month - 1 + steps
    return f"{i // 12}-{i % 12 + 1:02d}"


def _outside(m) -> list[str]:
    first, last = m
    return [_month(last, 1), f"{last.year + 4}Q1", str(last.year + 1), _month(first, -1), str(first.year - 1),
            f"{last.year + 1}Q1:{last.year + 2}Q4", f"{first.year - 3}:{first.year - 1}"]


def _partly(m) -> list[str]:
    first, last = m
    return [_month(first, 0), _month(last, 0), str(last.year), f"{_month(last, 0)}:{_month(last, 5)}",
            f"{_month(first, -3)}:{_month(first, 0)}", f"{first.year - 1}:{last.year + 1}"]


def test_kpi_refuses_every_period_outside_the_data(small_db, months):
    span = f"the data runs from {months[0]:%Y-%m} to {months[1]:%Y-%m}"
    for code in ["2030Q1", *_outside(months)]:
        proc = reform_cli("kpi", "--db", str(small_db), "--period", code, check=False)
        want = periods.parse(code).code
        assert proc.returncode == 2, code
        assert proc.stderr.strip().splitlines() == [f"error: no data for {want}: {span}"], code
        assert proc.stdout == ""


def test_kpi_accepts_a_period_that_overlaps_the_data_partly(small_db, months):
    for code in _partly(months):
        proc = reform_cli("kpi", "--db", str(small_db), "--period", code, "--format", "json", check=False)
        assert proc.returncode == 0, (code, proc.stderr)
        assert json.loads(proc.stdout)[0]["F01"] > 0, code


def test_report_refuses_a_period_after_the_data(small_db, months, tmp_path):
    out = tmp_path / "pack.pdf"
    code = f"{months[1].year + 4}Q1"
    proc = reform_cli("report", "--db", str(small_db), "--period", code, "--out", str(out), check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"error: no data for {code}: the data runs from {months[0]:%Y-%m} to {months[1]:%Y-%m}"]
    assert not out.exists() and not out.with_name(out.name + ".part").exists()


def test_report_keeps_its_own_messages(small_db, tmp_path):
    proc = reform_cli("report", "--db", str(small_db), "--period", "2024Q9", "--out", str(tmp_path / "x.pdf"),
                      check=False)
    assert proc.returncode == 2 and "unknown period" in proc.stderr
    proc = reform_cli("report", "--db", str(tmp_path / "none.duckdb"), "--period", "2030Q1",
                      "--out", str(tmp_path / "x.pdf"), check=False)
    assert proc.returncode == 2 and "no database" in proc.stderr


def test_the_bounds_come_from_the_database(small_db, months):
    from reform import db
    con = db.connect_read_only(small_db)
    try:
        assert data_range.bounds(con) == months
    finally:
        con.close()


def test_no_dossiers_no_period():
    with pytest.raises(data_range.NoData, match="no data for 2020Q1: the database holds no dossiers"):
        data_range.check(periods.parse("2020Q1"), None)
    assert data_range.codes("quarter", None) == []


@pytest.mark.parametrize("grain", ["month", "quarter", "year"])
@pytest.mark.parametrize("b", [(dt.date(2019, 1, 1), dt.date(2026, 9, 1)), (dt.date(2019, 11, 1), dt.date(2020, 2, 1)),
                               (dt.date(2020, 3, 1), dt.date(2020, 3, 1)), (dt.date(2020, 12, 1), dt.date(2021, 1, 1))])
def test_the_pickers_offer_exactly_the_periods_the_cli_accepts(grain, b):
    """Independently: the periods that hold a month of first..last, counted month by month."""
    first, last = b
    want: list[str] = []
    d = first
    while d <= last:
        code = {"month": f"{d:%Y-%m}", "quarter": f"{d.year}Q{(d.month - 1) // 3 + 1}", "year": str(d.year)}[grain]
        if code not in want:
            want.append(code)
        d = (d + dt.timedelta(days=32)).replace(day=1)
    got = data_range.codes(grain, b)
    assert got == want[::-1]
    for code in got:
        data_range.check(periods.parse(code), b)
    p = periods.parse(want[0])
    for outside in (p.previous().code, periods.parse(want[-1]).next().code):
        if outside not in want:
            with pytest.raises(data_range.NoData):
                data_range.check(periods.parse(outside), b)
