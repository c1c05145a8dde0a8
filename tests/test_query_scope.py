"""Each rule once (issue 12): every query file that takes a view's scope takes all of it, reads it through
the scope macros (reform/sql/scope.sql), and the runner refuses a parameter a query drops unseen."""
from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest

import queries
from reform import db as rdb

SCOPE_KEYS = {"level", "unit", "field", "procedure", "channel", "lens"}
FILES = sorted(p.stem for p in queries.QUERY_DIR.glob("*.sql"))
# written once, in reform/sql/scope.sql: no query file may spell these out again
RULE_TEXT = ("unit_tree where ancestor_code", "former_province", "unit_restated r", "date '2025-07-01'",
             "valid_to is null or")


def _body(name: str) -> str:
    return re.sub(r"--[^\n]*", "", queries.sql(name))


def test_there_are_scoped_queries():
    scoped = [n for n in FILES if _counts_dossiers(n)]
    assert {"kpi_counts", "procedure_counts", "dossier_list", "backlog_age"} <= set(scoped)


def _counts_dossiers(name: str) -> bool:
    """A query over dossier facts that takes some of a view's scope (a query about one unit's name or
    predecessors takes a unit code, not a scope)."""
    return bool(queries.parameters(name) & SCOPE_KEYS) and bool(
        re.search(r"\b(kpi_month\w*|stock_month\w*|dossier_facts_v|dossiers|scoped_\w+)\b", _body(name)))


@pytest.mark.parametrize("name", FILES)
def test_a_scoped_query_uses_every_scope_key_or_declares_it_ignored(name):
    if not _counts_dossiers(name):
        return
    assert SCOPE_KEYS <= queries.parameters(name) | queries.ignored(name), \
        f"{name} drops {sorted(SCOPE_KEYS - queries.parameters(name) - queries.ignored(name))}"
    body = _body(name)
    assert re.search(r"\bscoped_(facts|dossiers)\(", body), f"{name} does not read through the scope macros"


@pytest.mark.parametrize("name", FILES)
def test_no_query_file_repeats_a_scope_rule(name):
    if not _counts_dossiers(name):
        return
    body = _body(name)
    for text in RULE_TEXT:
        assert text not in body, f"{name} writes {text!r} itself: use reform/sql/scope.sql"


def test_the_runner_refuses_a_parameter_the_query_drops(small_db):
    reader = rdb.Reader(small_db)
    try:
        with pytest.raises(TypeError, match="does not use parameters \\['lens'\\]"):
            queries.run(reader, "unit_info", unit="964", lens="restated")
        with pytest.raises(TypeError, match="needs parameters"):
            queries.run(reader, "unit_info")
        assert len(queries.run(reader, "unit_info", unit="964")) == 1
    finally:
        reader.close()


def test_a_declared_ignore_is_read_from_the_header(tmp_path, monkeypatch):
    (tmp_path / "probe.sql").write_text("-- name: probe\n-- ignores: $channel, $lens (no dossiers here)\n"
                                        "select $unit as u\n", encoding="utf-8")
    monkeypatch.setattr(queries, "QUERY_DIR", tmp_path)
    queries.sql.cache_clear(), queries.parameters.cache_clear(), queries.ignored.cache_clear()
    try:
        assert queries.parameters("probe") == {"unit"}
        assert queries.ignored("probe") == {"channel", "lens"}
    finally:
        queries.sql.cache_clear(), queries.parameters.cache_clear(), queries.ignored.cache_clear()


# ---------------------------------------------------------------------------- the scope's numbers agree
NO_FILTER = dict(level=None, unit=None, field=None, procedure=None, channel=None, lens=None)


@pytest.mark.parametrize("period,scope", [
    ("2025Q2", dict(unit="968")), ("2025Q2", dict(unit="968", lens="restated")), ("2024", dict(level="commune")),
    ("2026Q3", dict(unit="C25-01", lens="restated")), ("2020-04", dict())])
def test_idle_procedures_are_the_procedures_in_force_without_dossiers(reader, period, scope):
    from reform import compute, periods
    p = periods.parse(period)
    f = {**NO_FILTER, **scope}
    [counts] = queries.rows(reader, "procedure_counts", p_start=p.start, p_last=p.last_month, bucket=None, by=None, **f)
    idle = compute.idle(compute.kpis(reader, p, by="procedure", **scope))
    assert len(idle) == len(set(idle)) == counts["C01"] - counts["n_active"] <= counts["C01"]
    assert compute.kpis(reader, p, **scope)[0]["C01"] == counts["C01"]


def test_idle_procedures_match_the_base_tables(reader):
    """Province-wide after the merger (every unit counts): in force on the last day, no dossier received."""
    from reform import compute, periods
    p = periods.parse("2026Q2")
    live = {c for (c,) in reader.cursor().execute(
        "select procedure_code from procedures where valid_from <= ? and (valid_to is null or valid_to >= ?)",
        [p.end, p.end]).fetchall()}
    used = {c for (c,) in reader.cursor().execute(
        "select distinct procedure_code from dossiers where received_at >= ? and received_at < ?::date + 1",
        [p.start, p.end]).fetchall()}
    idle = compute.idle(compute.kpis(reader, p, by="procedure"))
    assert 0 < len(idle) < len(live)
    assert set(idle) == live - used


@pytest.mark.parametrize("period,unit", [("2026Q3", "C25-01"), ("2024Q4", "C25-01"), ("2025Q2", None)])
def test_backlog_age_adds_up_to_the_open_counts_in_either_lens(reader, period, unit):
    from reform import compute, periods
    p = periods.parse(period)
    for lens in ("recorded", "restated"):
        if lens == "recorded" and unit and p.end < dt.date(2025, 7, 1):
            continue   # today's unit did not exist then, as recorded
        k = compute.kpis(reader, p, unit=unit, lens=lens)[0]
        age = queries.rows(reader, "backlog_age", p_end=p.end, **{**NO_FILTER, "unit": unit, "lens": lens})
        assert sum(r["dossiers"] for r in age) == pytest.approx(k["F11i"] + k["F11o"], abs=1e-6), lens
        assert sum(r["dossiers"] for r in age if r["overdue"]) == pytest.approx(k["F11o"], abs=1e-6), lens


def test_the_approximation_note_only_where_a_split_reaches_the_number(reader):
    from reform import compute, periods
    p = periods.parse("2024Q3")
    province = compute.kpis(reader, p, lens="restated")[0]
    assert province["approximate"] is False and not province["approx_share"]
    recorded = compute.kpis(reader, p)[0]
    for code in ("F01", "F07", "F11o"):   # the province total is exact and the same in both lenses
        assert province[code] == pytest.approx(recorded[code])
    # a today's commune that took part of a split commune rests on the split's weights
    con = duckdb.connect(str(reader.path), read_only=True)
    split_to = con.execute("select today_code from unit_restated r join units u on u.unit_code = r.today_code "
                           "where r.approximate and u.level = 'commune' order by 1 limit 1").fetchone()[0]
    con.close()
    unit = compute.kpis(reader, p, lens="restated", unit=split_to)[0]
    assert unit["approximate"] is True and 0 < unit["approx_share"] <= 1
