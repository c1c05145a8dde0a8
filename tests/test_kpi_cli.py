"""The kpi command: output shape, catalogue ratios and score, errors without tracebacks."""
import json

import pytest

from reform import catalogue, compute
from tests.conftest import reform_cli

KPI_CODES = {c for c, k in catalogue.load().kpis.items() if k.kind != "reported"}  # reported ones are imported


def kpi(db, *args):
    return json.loads(reform_cli("kpi", "--db", str(db), *args, "--format", "json").stdout)


def test_every_kpi_code_is_a_key(small_db):
    [row] = kpi(small_db, "--period", "2020Q1")
    assert KPI_CODES <= set(row)
    assert all(isinstance(row[c], int) for c, k in catalogue.load().kpis.items() if k.kind == "count")
    assert all(row[c] is None or 0 <= row[c] <= 1 for c, k in catalogue.load().kpis.items() if k.kind == "ratio")


@pytest.mark.parametrize("by,key", [("level", "level"), ("unit", "unit_code"), ("procedure", "procedure_code"),
                                    ("field", "field"), ("month", "month"), ("quarter", "quarter")])
def test_group_keys(small_db, by, key):
    rows = kpi(small_db, "--period", "2020", "--by", by)
    assert rows and all(key in r and KPI_CODES <= set(r) for r in rows)
    # roll-ups sum parts: received dossiers of the groups add up to the whole
    [total] = kpi(small_db, "--period", "2020")
    assert sum(r["F01"] for r in rows) == total["F01"]


def test_levels_use_the_four_names(small_db):
    assert {r["level"] for r in kpi(small_db, "--period", "2020", "--by", "level")} == {
        "province", "district", "commune", "unassigned"}
    assert "district" not in {r["level"] for r in kpi(small_db, "--period", "2026Q1", "--by", "level")}


def test_score_follows_the_catalogue(small_db):
    [row] = kpi(small_db, "--period", "2024")
    cat = catalogue.load()
    parts = [(k.points, min(1, row[c] / k.threshold)) for c, k in cat.kpis.items() if k.points and row[c] is not None]
    assert row["SCORE"] == pytest.approx(100 * sum(p * r for p, r in parts) / sum(p for p, _ in parts))
    assert compute.score({}, cat) is None


def test_catalogue_kpis_from_procedures(small_db):
    [row] = kpi(small_db, "--period", "2020-04")
    assert row["C01"] == 1960
    by = {r["level"]: r["C01"] for r in kpi(small_db, "--period", "2020-04", "--by", "level")}
    assert (by["province"], by["district"], by["commune"]) == (1542, 290, 128)


def test_zero_denominator_is_no_data(small_db):
    [row] = kpi(small_db, "--period", "2020Q1", "--field", "no such field")
    assert row["F01"] == 0 and row["F05"] is None and row["F10"] is None and row["C01"] == 0


def test_injection_looking_filters_are_plain_values(small_db):
    [row] = kpi(small_db, "--period", "2020Q1", "--field", "x' or '1'='1")
    assert row["F01"] == 0
    [row] = kpi(small_db, "--period", "2020Q1", "--procedure", "1; drop table dossiers; --")
    assert row["F01"] == 0
    assert kpi(small_db, "--period", "2020Q1")[0]["F01"] > 0  # the table is still there


@pytest.mark.parametrize("args,message", [
    (["--period", "2020Q7"], "unknown period"),
    (["--period", "2020Q1", "--unit", "NOPE'--"], "unknown unit"),
])
def test_bad_arguments_give_a_message_not_a_traceback(small_db, args, message):
    proc = reform_cli("kpi", "--db", str(small_db), *args, check=False)
    assert proc.returncode != 0 and message in proc.stderr and "Traceback" not in proc.stderr


def test_missing_database_is_explained(tmp_path):
    proc = reform_cli("kpi", "--db", str(tmp_path / "none.duckdb"), "--period", "2020", check=False)
    assert proc.returncode != 0 and "no database" in proc.stderr


def test_a_range_by_quarter_equals_its_quarters_one_by_one(small_db):
    trend = kpi(small_db, "--period", "2024Q3:2025Q4", "--by", "quarter")
    assert [r["quarter"] for r in trend] == ["2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    for r in trend:
        [alone] = kpi(small_db, "--period", r["quarter"])
        assert {k: v for k, v in r.items() if k != "quarter"} == alone
