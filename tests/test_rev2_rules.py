"""DESIGN §5 rev 2 on the hand-worked rev 2 cases (tests/fixtures/hand/expected.md, "Rev 2 cases"):
closed statuses without a date are not open; an open dossier is overdue at a period end only past its
due date plus its supplement days; the list behind a stock count shows the state then and the final
outcome apart."""
from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import queries
from reform import db as rdb
from reform import periods

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "fixtures" / "hand"

# worked out by hand in expected.md ("Rev 2 cases"); ratios as fractions, None = no data
EXPECTED = {
    ("2020Q1", None): dict(F01=5, F04d=5, F02=0, F07=0, F08=0, F09=0, F10=None, F11i=1, F11o=2, F12=0,
                           F13r=1, F13w=1, F14=Fraction(1, 5)),
    ("2020-04", None): dict(F01=1, F02=3, F07=2, F08=0, F09=1, F10=Fraction(2, 3), F11i=0, F11o=1,
                            F14=Fraction(2, 4)),
    ("2020-02", None): dict(F01=1, F13w=1, F11i=0, F11o=0),
    ("2020Q1", "D1"): dict(F01=2, F13w=1, F11i=0, F11o=1),
}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reform", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def rev2_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("rev2") / "r.duckdb"
    for kind, name in (("units", "units.csv"), ("procedures", "procedures.csv"), ("dossiers", "dossiers_rev2.csv")):
        r = _cli("import", "--db", str(db), "--kind", kind, str(HAND / name))
        assert r.returncode == 0, r.stdout + r.stderr
    return db


@pytest.mark.parametrize("period,unit", list(EXPECTED))
def test_counts_follow_rev2(rev2_db, period, unit):
    args = ["kpi", "--db", str(rev2_db), "--period", period, "--format", "json"] + (["--unit", unit] if unit else [])
    r = _cli(*args)
    assert r.returncode == 0, r.stdout + r.stderr
    [got] = json.loads(r.stdout)
    for code, want in EXPECTED[(period, unit)].items():
        if want is None or isinstance(want, int):
            assert got[code] == want, f"{period} {unit} {code}"
        else:
            assert got[code] == pytest.approx(float(want)), f"{period} {unit} {code}"


def _list(con, set_code: str, period: str) -> list[dict]:
    p = periods.parse(period)
    return queries.rows(con, "dossier_list", due_days=3, set=set_code, p_start=p.start, p_end=p.end,
                        level=None, unit=None, field=None, procedure=None, channel=None, lens=None,
                        sort="received_asc", limit=50, offset=0)


def test_the_list_behind_a_stock_shows_the_state_then_and_the_final_outcome_apart(rev2_db):
    con = rdb.Reader(rev2_db)   # as the dashboard reads
    try:
        overdue = {r["dossier_code"]: (r["state_then"], r["days_overdue"], r["outcome"])
                   for r in _list(con, "F11o", "2020Q1")}
        within = {r["dossier_code"]: (r["state_then"], r["days_overdue"], r["outcome"])
                  for r in _list(con, "F11i", "2020Q1")}
        carried = sorted(r["dossier_code"] for r in _list(con, "F02", "2020-04"))
        age = queries.rows(con, "backlog_age", p_end=periods.parse("2020Q1").end, level=None, unit=None,
                           field=None, procedure=None, channel=None, lens=None)
        flags = {r["flag"]: r["dossiers"] for r in queries.rows(con, "quality_flags")}
    finally:
        con.close()
    assert overdue == {"R3": ("overdue", 15, None), "R5": ("overdue", 6, "late")}
    assert within == {"R4": ("within", None, "early")}
    assert carried == ["R3", "R4", "R5"]
    assert sum(r["dossiers"] for r in age) == 3
    assert sum(r["dossiers"] for r in age if r["overdue"]) == 2
    assert flags.get("closed_without_date") == 2
