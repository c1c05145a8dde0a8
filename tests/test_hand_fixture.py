"""The CLI against a small fixture whose KPI values were worked out by hand.

tests/fixtures/hand/expected.md classifies every dossier against docs/kpi-rules.md; expected.csv holds
the resulting values (counts as integers, ratios and means as `a/b`, `null` for no data).
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "fixtures" / "hand"
FILES = (("units", "units.csv"), ("procedures", "procedures.csv"), ("dossiers", "dossiers.csv"))

COUNTS = {"F01", "F02", "F04d", "F04o", "F04p", "F07", "F08", "F09", "F11i", "F11o", "F12",
          "F13r", "F13w", "F18", "C01", "C02", "C02p"}
# ratios in [0, 1]; F15 (mean working days) is compared the same way but is not bounded
RATIOS = {"F05", "F10", "F14", "D01", "D02", "D06", "S01", "C03", "C04", "C05", "C07"}


def _run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reform", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)


def _import(db: Path, kind: str, name: str) -> None:
    r = _run("import", "--db", str(db), "--kind", kind, str(HAND / name))
    assert r.returncode == 0, f"import {kind} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"


def _load_expected() -> dict[tuple[str, str, str, str], dict[str, str]]:
    out: dict[tuple[str, str, str, str], dict[str, str]] = {}
    with open(HAND / "expected.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key = (row["period"], row["level"], row["unit"], row["by_key"])
            out.setdefault(key, {})[row["kpi"]] = row["value"]
    return out


EXPECTED = _load_expected()
# one CLI call per (period, level, unit, by): by_key set means "--by level", pick that group
QUERIES = sorted({(p, lv, u, "level" if b else "") for (p, lv, u, b) in EXPECTED})


def _query_id(q: tuple[str, str, str, str]) -> str:
    p, lv, u, by = q
    return "-".join(x for x in (p, lv and f"level={lv}", u and f"unit={u}", by and f"by={by}") if x)


def _kpi(db: Path, period: str, level: str, unit: str, by: str) -> list[dict]:
    args = ["kpi", "--db", str(db), "--period", period]
    if level:
        args += ["--level", level]
    if unit:
        args += ["--unit", unit]
    if by:
        args += ["--by", by]
    args += ["--format", "json"]
    r = _run(*args)
    assert r.returncode == 0, f"kpi {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    data = json.loads(r.stdout)
    assert isinstance(data, list), f"expected a JSON array, got {type(data).__name__}"
    return data


def _groups(q: tuple[str, str, str, str], data: list[dict]) -> dict[str, dict]:
    """Map by_key ('' when not grouped) to the JSON object of that group."""
    p, lv, u, by = q
    if not by:
        assert len(data) == 1, f"{_query_id(q)}: expected one object, got {len(data)}"
        return {"": data[0]}
    groups = {}
    for obj in data:
        assert "level" in obj, f"{_query_id(q)}: group object without 'level': {obj}"
        assert obj["level"] not in groups, f"{_query_id(q)}: level {obj['level']!r} twice"
        groups[obj["level"]] = obj
    return groups


def _check(q: tuple[str, str, str, str], data: list[dict]) -> list[str]:
    p, lv, u, by = q
    groups = _groups(q, data)
    problems = []
    for (ep, elv, eu, eb), values in EXPECTED.items():
        if (ep, elv, eu) != (p, lv, u) or bool(eb) != bool(by):
            continue
        where = _query_id(q) + (f"[{eb}]" if eb else "")
        if eb not in groups:
            problems.append(f"{where}: group missing (have {sorted(groups)})")
            continue
        obj = groups[eb]
        for kpi, text in values.items():
            if kpi not in obj:
                problems.append(f"{where} {kpi}: missing from output")
                continue
            got = obj[kpi]
            if text == "null":
                if got is not None:
                    problems.append(f"{where} {kpi}: expected null, got {got!r}")
                continue
            if got is None:
                problems.append(f"{where} {kpi}: expected {text}, got null")
                continue
            want = Fraction(text)
            if kpi in COUNTS:
                if isinstance(got, bool) or not isinstance(got, int) or got != want:
                    problems.append(f"{where} {kpi}: expected count {text}, got {got!r}")
                continue
            if isinstance(got, bool) or not isinstance(got, (int, float)):
                problems.append(f"{where} {kpi}: expected number {text}, got {got!r}")
                continue
            if kpi in RATIOS and not 0 <= got <= 1:
                problems.append(f"{where} {kpi}: ratio {got!r} outside [0, 1]")
            if got != pytest.approx(float(want), rel=1e-9):
                problems.append(f"{where} {kpi}: expected {text} = {float(want):.9f}, got {got!r}")
    return problems


def _build(db: Path) -> None:
    for kind, name in FILES:
        _import(db, kind, name)


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("hand") / "t.duckdb"
    _build(db)
    return db


def test_expected_file_is_consistent():
    """The expected table itself: every query has values, counts are integers, ratios in [0, 1]."""
    assert len(QUERIES) == 5
    for key, values in EXPECTED.items():
        for kpi, text in values.items():
            assert kpi in COUNTS | RATIOS | {"F15"}, (key, kpi)
            if text == "null":
                continue
            v = Fraction(text)
            if kpi in COUNTS:
                assert "/" not in text and v.denominator == 1 and v >= 0, (key, kpi, text)
            if kpi in RATIOS:
                assert 0 <= v <= 1, (key, kpi, text)


@pytest.mark.parametrize("q", QUERIES, ids=_query_id)
def test_kpis_match_hand_values(hand_db, q):
    problems = _check(q, _kpi(hand_db, *q))
    assert not problems, "\n".join(problems)


def test_reimport_changes_nothing(tmp_path):
    db = tmp_path / "t.duckdb"
    _build(db)
    before = {q: _kpi(db, *q) for q in QUERIES}
    _import(db, "dossiers", "dossiers.csv")
    after = {q: _kpi(db, *q) for q in QUERIES}
    problems = []
    for q in QUERIES:
        if before[q] != after[q]:
            problems.append(f"{_query_id(q)}: output changed after re-import")
        problems += _check(q, after[q])
    assert not problems, "\n".join(problems)
