"""One number per question (issue 12), through the JSON twin of each view (`python -m reform view`,
ui/twin.py, which runs the page itself): for generated links, the same KPI for the same scope is equal on
the overview cards, the indicators table, the unit's ranking row and the list count behind it; a
district's counts add up over its communes; the province totals are equal in both lenses. Every README
example link has a twin.

CI runs 8 generated scopes; the long run: REFORM_TWIN_EXAMPLES=60 pytest tests/test_view_twin.py"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.parse

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reform import periods
from tests.conftest import ROOT
from ui import twin

EXAMPLES = int(os.environ.get("REFORM_TWIN_EXAMPLES", "8"))
CARDS = ("F01", "F05", "F10", "F11o", "D06", "S01", "SCORE")     # the overview's cards
RANKED = ("F01", "F05", "F10", "F11o", "F14", "SCORE")           # the ranking table's KPI columns
MERGER = "2025-07-01"


@pytest.fixture(scope="module")
def world(small_db):
    """What links can name: the units with their level, validity and parent; the fields; the months."""
    con = duckdb.connect(str(small_db), read_only=True)
    # parent_code is kept only when the parent has the same level (a branch of a department): such a
    # unit is not a ranking row of its own, its department's row holds it
    units = con.execute("select u.unit_code, u.level, u.valid_from, u.valid_to, "
                        "case when p.level = u.level then u.parent_code end from units u "
                        "left join units p on p.unit_code = u.parent_code "
                        "where u.level in ('province', 'district', 'commune')").fetchall()
    fields = [r[0] for r in con.execute("select distinct field from procedures where field is not null "
                                        "order by 1").fetchall()]
    first, last = con.execute("select min(month), max(month) from kpi_month_unit").fetchone()
    con.close()
    return {"units": units, "fields": fields, "first": first, "last": last}


def _view(small_db, link: str) -> dict:
    return twin.view(link, small_db)


def _cards(v: dict) -> dict:
    return {c["code"]: c["value"] for c in v["cards"]}


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return a == pytest.approx(b, rel=1e-9, abs=1e-9)


@st.composite
def links(draw, world):
    """(query, unit, level): a period of any grain in the data, a unit in operation then (today's units
    restated), the unit's own level or none, a lens, and sometimes a field or a channel."""
    grain = draw(st.sampled_from(("quarter", "month", "year")))
    months = (world["last"].year - world["first"].year) * 12 + world["last"].month - world["first"].month
    i = draw(st.integers(0, months))
    first = world["first"]
    m = periods.parse_first(
        __import__("datetime").date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1),
        "month")
    p = {"month": m, "quarter": periods.quarter_of(m.start),
         "year": periods.parse(str(m.start.year))}[grain]
    lens = draw(st.sampled_from(("recorded", "restated")))
    if lens == "restated":
        pool = [u for u in world["units"] if u[3] is None and u[1] != "district"]
    else:
        pool = [u for u in world["units"] if (u[2] is None or u[2] <= p.end) and (u[3] is None or u[3] >= p.start)
                and not (u[1] == "district" and p.start.isoformat() >= MERGER)]
    unit = draw(st.sampled_from(sorted(pool)))
    level = draw(st.sampled_from((None, unit[1])))
    q = {"g": grain, "p": p.code, "unit": unit[0], "lens": lens}
    if level:
        q["level"] = level
    extra = draw(st.sampled_from(("none", "field", "channel")))
    if extra == "field":
        q["field"] = draw(st.sampled_from(world["fields"]))
    elif extra == "channel":
        q["ch"] = str(draw(st.sampled_from((1, 2, 3))))
    return q, unit, level


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_view_of_a_scope_shows_the_same_numbers(small_db, world, data):
    q, unit, level = data.draw(links(world))
    query = urllib.parse.urlencode(q)
    try:
        over = _view(small_db, f"/?{query}")
    except twin.BadLink as e:    # e.g. a field with no procedure at the unit's level: the link's own notice
        assert e.notices
        return
    cards = _cards(over)
    if not cards:                # an empty period for this scope: the page says so, nothing to compare
        return
    # the indicators table, row by row
    ind = _view(small_db, f"/indicators?{query}")
    review = {r["code"]: r["value"] for r in next(t for t in ind["tables"] if t["name"] == "review")["rows"]}
    for code in CARDS:
        assert _same(review[code], cards[code]), f"{query}: {code} card {cards[code]} != indicators {review[code]}"
    assert _same(_cards(ind)["SCORE"], cards["SCORE"])
    # the list behind the received count, and behind open overdue
    for code in ("F01", "F11o"):
        lst = _view(small_db, f"/dossiers?{query}&list={code}")["lists"]
        assert len(lst) == 1
        counted = lst[0]["weighted"] if q["lens"] == "restated" else lst[0]["count"]
        assert _same(counted, cards[code]), f"{query}: list {code} {counted} != card {cards[code]}"
    # the unit's row in its peer ranking is the scope (unit, its level)
    if unit[4] is None and (level == unit[1] or (level is None and unit[1] == "commune")):
        rq = {k: v for k, v in q.items() if k not in ("unit", "level")} | {"peer": unit[1]}
        ranking = _view(small_db, f"/units?{urllib.parse.urlencode(rq)}")
        rows = [r for t in ranking["tables"] for r in t["rows"] if r.get("unit_code") == unit[0]]
        if cards["F01"] or any(cards[c] for c in ("F11o",)):
            assert len(rows) == 1, f"{query}: {unit[0]} not once in its ranking"
            for code in RANKED:
                assert _same(rows[0][code], review[code]), f"{query}: {code} ranking {rows[0][code]} != {review[code]}"


@settings(max_examples=max(2, EXAMPLES // 2), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_district_adds_up_over_its_communes_and_the_province_is_the_same_in_both_lenses(small_db, world, data):
    districts = sorted(u for u in world["units"] if u[1] == "district")
    unit = data.draw(st.sampled_from(districts))
    quarter = data.draw(st.sampled_from(("2019Q4", "2021Q2", "2023Q1", "2024Q3", "2025Q2")))
    whole = _cards(_view(small_db, f"/?p={quarter}&unit={unit[0]}"))
    own = _cards(_view(small_db, f"/?p={quarter}&unit={unit[0]}&level=district"))
    page = _view(small_db, f"/units?p={quarter}&unit={unit[0]}")
    children = [r for t in page["tables"] if t["name"].startswith("children") for r in t["rows"]]
    for code in ("F01", "F11o"):
        assert whole[code] == own.get(code, 0) + sum(r[code] for r in children), f"{unit[0]} {quarter} {code}"
    recorded = _cards(_view(small_db, f"/?p={quarter}"))
    restated = _cards(_view(small_db, f"/?p={quarter}&lens=restated"))
    for code in CARDS:
        assert _same(restated[code], recorded[code]), f"{quarter} {code}: {restated[code]} != {recorded[code]}"


README_LINKS = sorted(set(re.findall(r"(?m)^(/[a-z]*\?\S+)|`(/[a-z]*\?[^`\s]+)`",
                                     (ROOT / "README.md").read_text(encoding="utf-8"))))


@pytest.mark.parametrize("link", [a or b for a, b in README_LINKS])
def test_every_readme_link_has_a_twin(small_db, link):
    r = subprocess.run([sys.executable, "-m", "reform", "view", link, "--db", str(small_db)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["link"] == link and out["page"] == (urllib.parse.urlsplit(link).path.strip("/") or "overview")
    assert out["cards"] or out["tables"] or out["lists"] or out["charts"]


def test_there_are_readme_links():
    assert len(README_LINKS) >= 4


def test_a_bad_link_gives_the_notice_on_stderr_and_exit_2(small_db):
    r = subprocess.run([sys.executable, "-m", "reform", "view", "/?p=2030Q1", "--db", str(small_db)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stdout == ""
    assert "p=2030Q1" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("link", ["/?p=2025Q2&unit=968", "/dossiers?p=2025Q2&list=F11o", "/units?p=2025Q2&peer=district",
                                  "/units?p=2026Q3&unit=C25-01&lens=restated", "/procedures?p=2025Q2&unit=968",
                                  "/indicators?p=2026Q3", "/data"])
def test_every_twin_table_speaks_in_codes(small_db, link):
    out = _view(small_db, link)
    assert out["cards"] or out["tables"] or out["lists"]
    for t in out["tables"]:
        for row in t["rows"]:
            bad = [k for k in row if not re.fullmatch(r"[A-Za-z0-9_]+", k)]
            assert not bad, f"{link} table {t['name']}: display headers {bad} instead of codes"
