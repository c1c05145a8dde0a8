"""The SQL KPI counts (monthly event summaries) agree with a row-by-row pandas recomputation of the
rules in docs/kpi-rules.md on the generated sample, for periods, filters and groupings."""
import json

import pytest

from reform import periods
from tests import reference
from tests.conftest import reform_cli

CASES = [
    ("2020Q1", []), ("2020-04", []), ("2021", []), ("2025Q3", []), ("2026Q3", []), ("2026", []),
    ("2020Q1", ["--level", "commune"]), ("2023Q2", ["--unit", "964"]), ("2024", ["--field", "Đất đai"]),
    ("2022-11", ["--channel", "2"]), ("2025-06", ["--level", "district", "--channel", "1"]),
]


@pytest.fixture(scope="module")
def rows(small_db):
    return reference.load(small_db)


def cli_kpis(db, period, *extra):
    return json.loads(reform_cli("kpi", "--db", str(db), "--period", period, *extra, "--format", "json").stdout)


def assert_same(got: dict, want: dict, context: str):
    for code, v in want.items():
        if isinstance(v, int):
            assert got[code] == v, f"{context} {code}: {got[code]} != {v}"
        elif v is None:
            assert got[code] is None, f"{context} {code}: {got[code]} != None"
        else:
            assert got[code] == pytest.approx(v, rel=1e-9), f"{context} {code}"


def filtered(d, units, args):
    opts = dict(zip(args[::2], args[1::2]))
    if "--level" in opts:
        d = d[d["level"] == opts["--level"]]
    if "--unit" in opts:
        d = d[d["unit_code"].isin(reference.descendants(units, opts["--unit"]))]
    if "--field" in opts:
        d = d[d["field"] == opts["--field"]]
    if "--channel" in opts:
        d = d[d["channel"] == int(opts["--channel"])]
    return d


@pytest.mark.parametrize("period,args", CASES)
def test_dossier_kpis_match_row_level_recount(small_db, rows, period, args):
    d, units, _ = rows
    p = periods.parse(period)
    counts = reference.dossier_counts(filtered(d, units, args), p.start, p.end, reference.data_end(d))
    want = reference.kpis_from_counts(counts)
    assert want["F01"] > 0, "the case should not be empty"
    [got] = cli_kpis(small_db, period, *args)
    assert_same(got, want, f"{period} {args}")


@pytest.mark.parametrize("by,key", [("level", "level"), ("month", "month"), ("quarter", "quarter"), ("unit", "unit_code")])
def test_grouped_kpis_match_recount_per_group(small_db, rows, by, key):
    d, units, _ = rows
    period = "2025"
    got = {r[key]: r for r in cli_kpis(small_db, period, "--by", by)}
    if by == "month":
        groups = {f"2025-{m:02d}": periods.parse(f"2025-{m:02d}") for m in range(1, 13)}
        subsets = {g: (d, p) for g, p in groups.items()}
    elif by == "quarter":
        subsets = {f"2025Q{q}": (d, periods.parse(f"2025Q{q}")) for q in range(1, 5)}
    else:
        subsets = {g: (d[d[key] == g], periods.parse(period)) for g in d[key].dropna().unique()}
    checked = 0
    for g, (sub, p) in subsets.items():
        want = reference.kpis_from_counts(reference.dossier_counts(sub, p.start, p.end, reference.data_end(d)))
        if not any(want[c] for c in ("F01", "F02", "F07", "F08", "F09", "F11i", "F11o", "F12", "F18")):
            assert g not in got, f"{g} has nothing to report and should be left out"
            continue
        assert_same(got[g], want, f"{by}={g}")
        checked += 1
    assert checked == len(got) and checked >= 4


@pytest.mark.parametrize("by,key,bucket", [("level", "level", "quarter"), ("unit", "unit_code", "year")])
def test_a_grouping_per_time_bucket_matches_the_recount(small_db, rows, by, key, bucket):
    """One call for level × quarter (the trend by level) gives each level's numbers of each quarter."""
    from reform import compute, db

    d, units, _ = rows
    rng = "2024Q3:2025Q2" if bucket == "quarter" else "2024:2025"
    con = db.connect_read_only(small_db)
    try:
        got = compute.kpis(con, periods.parse(rng), by=by, bucket=bucket, level="commune" if by == "unit" else None)
    finally:
        con.close()
    subset = d if by == "level" else d[d["level"] == "commune"]
    checked = 0
    for r in got:
        p = periods.parse(r[bucket])
        want = reference.kpis_from_counts(
            reference.dossier_counts(subset[subset[key] == r[key]], p.start, p.end, reference.data_end(d)))
        assert_same(r, want, f"{r[key]} {r[bucket]}")
        checked += 1
    buckets = 4 if bucket == "quarter" else 2
    assert checked >= buckets * (3 if by == "level" else 50)


def test_without_the_catalogue_the_dossier_kpis_are_the_same(small_db):
    from reform import catalogue, compute, db

    con = db.connect_read_only(small_db)
    try:
        rng = periods.parse("2024Q1:2025Q4")
        full = compute.kpis(con, rng, by="level", bucket="quarter")
        light = compute.kpis(con, rng, by="level", bucket="quarter", procedure_kpis=False)
    finally:
        con.close()
    c_codes = {k.code for k in catalogue.load().computed() if k.source == "procedures"}
    assert len(full) == len(light) > 8
    for f, g in zip(full, light):
        assert all(g[c] is None for c in c_codes)
        assert any(f[c] is not None for c in c_codes)
        assert {k: v for k, v in f.items() if k not in c_codes | {"SCORE"}} == \
            {k: v for k, v in g.items() if k not in c_codes | {"SCORE"}}
