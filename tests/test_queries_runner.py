"""The named-query runner (queries/__init__.py) on query files written to a temporary folder: a query is
the file <name>.sql; its $names are bound as values, never pasted into the SQL; a $name in a comment is
not a parameter; a parameter it needs and is not given, or one it neither uses nor declares in an
`-- ignores: $x` header line, is refused with TypeError; an unknown name has no file. Both run()
(a DataFrame) and rows() (dicts) follow the same rules. Expected rows are worked out by hand."""
import datetime as dt

import duckdb
import pytest

import queries

TRICKY = "O'Brien'); drop table t; --"


@pytest.fixture
def query_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(queries, "QUERY_DIR", tmp_path)
    caches = (queries.sql, queries.parameters, queries.ignored)
    for c in caches:
        c.cache_clear()
    yield tmp_path
    for c in caches:
        c.cache_clear()


def _run(con, name, **params):
    return queries.run(con, name, **params).to_dict("records")


@pytest.mark.parametrize("runner", [_run, queries.rows], ids=["run", "rows"])
@pytest.mark.parametrize("text,params,expected", [
    ("select $a + 1 as x", dict(a=1), [{"x": 2}]),
    ("select $a as x, $a * 2 as y", dict(a=3), [{"x": 3, "y": 6}]),                 # one name used twice
    ("select $s as s, length($s) as n", dict(s=TRICKY), [{"s": TRICKY, "n": 27}]),  # a value, not SQL
    ("select $a is null as n", dict(a=None), [{"n": True}]),
    ("select strftime($d + 1, '%d/%m/%Y') as s", dict(d=dt.date(2025, 6, 30)), [{"s": "01/07/2025"}]),
    ("select x from range(3) t(x) where x >= $lo order by x", dict(lo=1), [{"x": 1}, {"x": 2}]),
    ("select x from range(3) t(x) where x > $lo", dict(lo=5), []),
    ("-- the old form also took $ghost\nselect 1 as x", {}, [{"x": 1}]),           # a comment is no parameter
    ("select 1 as x -- $ghost", {}, [{"x": 1}]),
    ("-- ignores: $unit\nselect 1 as x", dict(unit="964"), [{"x": 1}]),           # declared: taken, not bound
    ("-- ignores: $unit\nselect 1 as x", {}, [{"x": 1}]),                         # and not required
    ("-- ignores: $a\n--ignores: $b, $c (no such rows)\nselect 1 as x", dict(a=1, b=2, c=3), [{"x": 1}]),
    ("-- ignores: $a\nselect $a as x", dict(a=5), [{"x": 5}]),                    # used wins over ignored
    ("select $a as x", dict(a=1, z=2), TypeError(r"does not use parameters \['z'\]")),
    ("select $a as x", dict(a=1, z=2, y=3), TypeError(r"\['y', 'z'\].*-- ignores: \$y, \$z")),
    ("select $a + $b as x", dict(a=1), TypeError(r"needs parameters \['b'\]")),
    ("select $a + $b as x", {}, TypeError(r"needs parameters \['a', 'b'\]")),
    ("-- ignores: $a\nselect $a as x", {}, TypeError(r"needs parameters \['a'\]")),
    ("select 1 as x -- ignores: $a", dict(a=1), TypeError(r"does not use parameters \['a'\]")),  # not a header
    pytest.param("select '--' || $a as s", dict(a="x"), [{"s": "--x"}], id="dashes-in-text"),
    pytest.param("select 'cost $usd' as s", {}, [{"s": "cost $usd"}], id="dollar-in-text"),
])
def test_the_runner(query_dir, runner, text, params, expected):
    (query_dir / "probe.sql").write_text(f"-- name: probe\n{text}\n", encoding="utf-8")
    con = duckdb.connect()
    try:
        if isinstance(expected, Exception):
            with pytest.raises(type(expected), match=str(expected)):
                runner(con, "probe", **params)
        else:
            assert runner(con, "probe", **params) == expected
    finally:
        con.close()


@pytest.mark.parametrize("runner", [_run, queries.rows], ids=["run", "rows"])
def test_an_unknown_name_has_no_file(query_dir, runner):
    (query_dir / "probe.sql").write_text("select 1 as x\n", encoding="utf-8")
    with duckdb.connect() as con, pytest.raises(FileNotFoundError, match="no_such_query.sql"):
        runner(con, "no_such_query")
