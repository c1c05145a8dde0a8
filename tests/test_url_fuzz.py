"""Hostile links (DESIGN §8): every query parameter a page reads, given generated values — unknown codes,
injection strings, very long or odd text, numbers where codes belong, repeated keys. Each link must
give the default view with a notice naming the parameter (or, for a value that happens to be valid,
that value), never a traceback; and every SQL statement run for it must be a query file's own text
with the values bound, the hostile text nowhere in it.

CI runs 2 generated links per parameter and page; REFORM_FUZZ_EXAMPLES=120 runs 20 each (1,200 links)."""
from __future__ import annotations

import os

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

import queries
from reform import safe
from tests.conftest import ROOT
from ui.twin import open_page

EXAMPLES = int(os.environ.get("REFORM_FUZZ_EXAMPLES", "12"))
INJECTIONS = ["' or '1'='1", "1; drop table dossiers; --", "964' union select * from units --",
              "<script>alert(1)</script>", "${p_start}", "$unit", "%00", "../../etc/passwd", "NaN", "-1",
              "0", "1e309", "2025Q3:2019Q1", "2024Q2'", "2024q2", " 2024Q2", "ｃｏｍｍｕｎｅ", "null", "[]",
              "x" * 10_000]
VALUES = hs.one_of(hs.sampled_from(INJECTIONS), hs.text(min_size=1, max_size=120),
                   hs.integers(-10**12, 10**12).map(str), hs.text(alphabet="0123456789QqM-:.", max_size=12))
# the parameters each page reads: the global filters everywhere, its own on the dossier list and units
GLOBAL = ("lang", "g", "p", "p0", "lens", "level", "unit", "field", "proc", "ch")
CASES = [(page, key) for page in ("overview", "dossiers", "units", "procedures", "indicators", "data")
         for key in GLOBAL] + [("dossiers", k) for k in ("list", "sort", "page")] + \
        [("units", k) for k in ("kpi", "order", "peer")]


@pytest.fixture(scope="module")
def valid(small_db):
    """The codes a link may carry, read from the database without the dashboard's code."""
    con = duckdb.connect(str(small_db), read_only=True)
    one = lambda q: {str(r[0]) for r in con.execute(q).fetchall() if r[0] is not None}  # noqa: E731
    # the default view is the latest quarter, after 30/6/2025: no district level, today's units only
    codes = {"lang": {"vi", "en"}, "g": {"quarter", "month", "year"}, "lens": {"recorded", "restated"},
             "level": {"province", "commune", "unassigned"},
             "unit": one("select unit_code from units where valid_to is null"),
             "proc": one("select procedure_code from procedures"),
             "field": one("select field from procedures"), "ch": {"1", "2", "3"}}
    for key in ("level", "unit", "field", "proc", "ch"):
        codes[key].add("")  # ?level= is "all levels", the default
    con.close()
    return codes


@pytest.fixture
def sql_log(monkeypatch):
    """Every statement the dashboard runs goes through queries.run/rows: record (name, text, params)."""
    log: list[tuple[str, str, dict]] = []
    for fn_name in ("run", "rows"):
        real = getattr(queries, fn_name)

        def spy(con, name, _real=real, **params):
            log.append((name, queries.sql(name), params))
            return _real(con, name, **params)
        monkeypatch.setattr(queries, fn_name, spy)
    return log


_open = open_page


@pytest.mark.parametrize("page,key", CASES, ids=[f"{p}-{k}" for p, k in CASES])
def test_a_hostile_parameter_gives_the_default_and_a_notice(page, key, monkeypatch, small_db, app_test_as_served,
                                                            sql_log, valid):
    monkeypatch.setenv("REFORM_DB", str(small_db))

    @settings(max_examples=max(1, EXAMPLES // 6), deadline=None, derandomize=not os.environ.get("REFORM_FUZZ_EXAMPLES"),
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(value=VALUES, repeated=hs.booleans())
    def check(value, repeated):
        sql_log.clear()
        params = {"p": "2024Q2"} if key not in ("p", "g") else {}
        if key in ("sort", "page"):
            params["list"] = "F01"  # they belong to an open dossier list
        params[key] = [value, value + "x"] if repeated else value
        at = _open(page, params)
        assert not at.exception, at.exception
        warnings = " ".join(safe.shown(w.value) for w in at.main.warning)  # as read (escaped Markdown)
        state = at.session_state[key] if key in at.session_state else None
        if f"«{key}=" not in warnings:  # taken without a notice: only a valid, single value
            assert not repeated, (key, value[:80], warnings)
            if key in valid:
                assert value in valid[key] and str(state) == value, (key, value[:80], state)
            else:
                assert str(state) == value or (key == "page" and str(state) == str(int(value))), (key, value[:80])
        elif value not in valid.get(key, ()):
            assert str(state) != value, (key, value[:80])  # the default, not the bad value
        for name, text, _bound in sql_log:
            # the statement is the query file as written: values travel only as bound parameters
            assert text == (ROOT / "queries" / f"{name}.sql").read_text(encoding="utf-8")
            if len(value) >= 4:
                assert value not in text

    check()
