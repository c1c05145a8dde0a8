"""Each rule once (issue 12): every query file that takes a view's scope takes all of it, reads it through
the scope macros (reform/sql/scope.sql), and the runner refuses a parameter a query drops unseen."""
from __future__ import annotations

import re

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
    assert {"kpi_counts", "catalogue_counts", "dossier_list", "backlog_age", "idle_procedures"} <= set(scoped)


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
