"""Answers kept per quarter (reform/kept.py): every kept row is the row the live query gives for that
quarter alone, pages get the same KPI values either way, and any view the kept rows do not hold runs live."""
from __future__ import annotations

import itertools
import math

import pytest

import queries
from reform import compute, data_range, db, kept, periods

NO_FILTER = dict(level=None, unit=None, field=None, procedure=None, channel=None)


@pytest.fixture(scope="module")
def quarters(reader):
    return [periods.parse(c) for c in reversed(data_range.codes("quarter", data_range.bounds(reader)))]


def _same(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, float) or isinstance(y, float):
            if x is None or y is None or not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9):
                return False
        elif x != y:
            return False
    return True


@pytest.mark.parametrize("lens,view", list(itertools.product(kept.LENSES, kept.VIEWS)))
def test_every_kept_row_is_the_live_row_of_its_quarter(reader, quarters, monkeypatch, lens, view):
    """The live queries run for each quarter alone (no buckets) against the kept rows read for it."""
    assert len(quarters) > 20
    by, level = view
    f = {**NO_FILTER, "level": level}
    for q in quarters:
        for with_procedures in (True, False):
            call = dict(by=by, lens=lens, procedure_kpis=with_procedures, **f)
            assert kept.holds(reader, q, by, None, lens, f)
            stored = compute.count_rows(reader, q, **call)
            with monkeypatch.context() as m:
                m.setattr(kept, "holds", lambda *a, **k: False)
                live = compute.count_rows(reader, q, **call)
            assert len(stored) == len(live), (q.code, by, lens)
            for a, b in zip(stored, live):
                assert _same(a, b), (q.code, by, lens, a, b)


def test_the_first_and_last_quarters_hold_rows(reader, quarters):
    """Not a vacuous comparison: the kept table holds every quarter of the data, by procedure too."""
    for q in (quarters[0], quarters[-1]):
        rows = queries.rows(reader, "kept_counts", p_start=q.start, p_last=q.last_month, by="procedure",
                            bucket=None, lens=None, procedure_kpis=True, **NO_FILTER)
        assert sum(r["F01"] or 0 for r in rows) > 0 and sum(r["C01"] or 0 for r in rows) > 0


@pytest.mark.parametrize("call", [
    dict(by=None, bucket="quarter", procedure_kpis=True),
    dict(by="level", bucket=None, procedure_kpis=True),
    dict(by="procedure", bucket=None, procedure_kpis=True),
    dict(by="field", bucket=None, procedure_kpis=True, lens="restated"),
    dict(by="level", bucket="quarter", procedure_kpis=False),
    dict(by="peer", bucket=None, procedure_kpis=True, level="commune"),
])
def test_kpis_are_the_same_numbers_kept_or_live(reader, quarters, monkeypatch, call):
    call = {"lens": "recorded", **NO_FILTER, **call}
    period = quarters[-1] if call["bucket"] is None else periods.parse(f"{quarters[-6].code}:{quarters[-1].code}")
    assert kept.holds(reader, period, call["by"], call["bucket"], call["lens"], {**NO_FILTER, "level": call["level"]})
    fast = compute.kpis(reader, period, **call)
    monkeypatch.setattr(kept, "holds", lambda *a, **k: False)
    slow = compute.kpis(reader, period, **call)
    assert len(fast) == len(slow) > 0
    for a, b in zip(fast, slow):
        assert _same(a, b)


def test_views_the_kept_rows_do_not_hold_run_live(reader, quarters, small_db):
    q = quarters[-1]
    holds = dict(period=q, by=None, bucket=None, lens=None, filters=NO_FILTER)

    def ask(con=reader, **change):
        a = {**holds, **change}
        return kept.holds(con, a["period"], a["by"], a["bucket"], a["lens"], a["filters"])

    assert ask() is True
    assert ask(filters={**NO_FILTER, "level": "commune"}) is False               # kept by peer only
    assert ask(filters={**NO_FILTER, "level": "commune"}, by="peer") is True
    assert ask(filters={**NO_FILTER, "level": "commune", "channel": 2}, by="peer") is False
    assert ask(filters={**NO_FILTER, "channel": 2}) is False
    assert ask(by="peer") is False and ask(by="unit") is False                   # a peer ranking has a level
    assert ask(period=periods.parse(f"{q.start:%Y-%m}")) is False                 # a month
    assert ask(period=periods.parse(str(q.start.year))) is False                   # a year, not bucketed
    assert ask(period=periods.parse(str(q.start.year - 1)), bucket="quarter") is True
    assert ask(period=periods.parse(str(q.start.year)), bucket="quarter") is False   # runs past the data
    assert ask(period=q.next()) is False                                           # past the data
    assert ask(period=quarters[0].previous()) is False                             # before it
    scoped = db.Reader(small_db, account_unit="964")   # a unit account reads only its units: live
    try:
        assert ask(con=scoped) is False
    finally:
        scoped.close()


@pytest.mark.parametrize("lens", kept.LENSES)
def test_kept_at_risk_is_the_live_query(reader, lens):
    """What is coming due, kept for the whole province and each horizon, against the live query."""
    from reform import catalogue
    for n in catalogue.load().due_days:
        assert kept.at_risk_query(reader, lens, {k: None for k in NO_FILTER}, n) == "kept_at_risk"
        stored = queries.rows(reader, "kept_at_risk", due_days=n, lens=lens, **NO_FILTER)
        live = queries.rows(reader, "at_risk", due_days=n, lens=lens, **NO_FILTER)
        assert len(stored) == len(live) > 0
        for a, b in zip(stored, live):
            assert _same(a, b), (n, a, b)
    assert kept.at_risk_query(reader, lens, {**NO_FILTER, "unit": "964"}, 3) == "at_risk"
    assert kept.at_risk_query(reader, lens, NO_FILTER, 4) == "at_risk"         # a horizon not kept
