"""The 2025 restructuring (issue 6, docs/restructuring.md): the unit mapping as an import kind, its
validator, the resolution to today's units and the restated counts, against a tiny province whose
numbers are worked out by hand below.

The fixture province (all dates inclusive):
    D1  district committee, closed 30/6/2025      -> N1 0.72, N2 0.28 (part; the district rule, see below)
    A1, A2, A3  communes of D1, closed 30/6/2025  -> N1 (whole: a merger of three communes)
    S   commune of D1, closed 30/6/2025           -> N1 0.6, N2 0.4 (part: a split)
    B   commune of D1, closed 31/12/2024          -> B2 (whole), and B2 (1/1-30/6/2025) -> N2 (whole):
                                                     a chain of two steps
    N1, N2  new communes from 1/7/2025; SO a department that never changed.
District rule for D1: its communes on its last day are A1, A2, A3, S, B2 (5; B had closed). N1 takes
A1 + A2 + A3 + 0.6 of S = 3.6 of them, N2 takes 0.4 of S + B2 = 1.4: weights 3.6/5 = 0.72, 1.4/5 = 0.28.

Dossiers (period 2024:2025, data up to August 2025, so stocks are read at 31/8/2025):
    A1-1  A1  online  early            A2-1  A2  direct  on time         A3-1  A3  online  late
    S-1   S   online  early            S-2   S   direct  late
    B-1   B   direct  on time          B2-1  B2  online  open, due 30/9/2025 (in time, F11i)
    D1-1  D1  direct  early            D1-2  D1  online  open, due 14/2/2025 (overdue, F11o)
    N1-1  N1  online  on time          SO-1  SO  direct  early
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from reform import compute, db, restructure
from reform.periods import parse
from tests.conftest import reform_cli

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
PERIOD = parse("2024:2025")

UNITS = """unit_code,name,level,kind,parent_code,area_code,valid_from,valid_to,successor_code
D1,UBND huyện D1,district,district_committee,,901,2019-01-01,2025-06-30,
A1,UBND xã A1,commune,commune_committee,D1,90101,2019-01-01,2025-06-30,N1
A2,UBND xã A2,commune,commune_committee,D1,90102,2019-01-01,2025-06-30,N1
A3,UBND xã A3,commune,commune_committee,D1,90103,2019-01-01,2025-06-30,N1
S,UBND xã S,commune,commune_committee,D1,90104,2019-01-01,2025-06-30,N1
B,UBND xã B,commune,commune_committee,D1,90105,2019-01-01,2024-12-31,B2
B2,UBND xã B (2025),commune,commune_committee,D1,90105,2025-01-01,2025-06-30,N2
N1,UBND xã N1,commune,commune_committee,,N1,2025-07-01,,
N2,UBND xã N2,commune,commune_committee,,N2,2025-07-01,,
SO,Sở O,province,department,,,2019-01-01,,
"""
PROCEDURES = """procedure_code,name,level,legal_days
1.001,Thủ tục xã,commune,5
2.001,Thủ tục huyện,district,10
3.001,Thủ tục tỉnh,province,10
"""
DOSSIERS = """dossier_code,procedure_code,unit_code,channel,received_at,due_at,finished_at,status_code
A1-1,1.001,A1,2,2024-03-04 08:00,2024-03-11 17:00,2024-03-08 10:00,10
A2-1,1.001,A2,1,2024-03-05 08:00,2024-03-12 17:00,2024-03-12 10:00,10
A3-1,1.001,A3,2,2024-04-01 08:00,2024-04-05 17:00,2024-04-10 10:00,9
S-1,1.001,S,2,2024-05-06 08:00,2024-05-10 17:00,2024-05-09 10:00,10
S-2,1.001,S,1,2024-06-03 08:00,2024-06-07 17:00,2024-06-14 10:00,10
B-1,1.001,B,1,2024-07-01 08:00,2024-07-05 17:00,2024-07-05 10:00,10
B2-1,1.001,B2,2,2025-03-03 08:00,2025-09-30 17:00,,4
D1-1,2.001,D1,1,2024-08-05 08:00,2024-08-19 17:00,2024-08-16 10:00,10
D1-2,2.001,D1,2,2025-02-03 08:00,2025-02-14 17:00,,2
N1-1,1.001,N1,2,2025-08-04 08:00,2025-08-08 17:00,2025-08-08 10:00,10
SO-1,3.001,SO,1,2024-09-02 08:00,2024-09-16 17:00,2024-09-10 10:00,10
"""
# the mapping with the Vietnamese headers, labels and dates of a reviewed spreadsheet
MAPPING_HEAD = "Mã đơn vị cũ,Mã đơn vị mới,Ngày hiệu lực,Toàn bộ/một phần,Tỷ lệ\n"
MAPPING_ROWS = [                                        # spreadsheet rows 2..10
    "A1,N1,01/07/2025,toàn bộ,1",
    "A2,N1,01/07/2025,toàn bộ,1",
    "A3,N1,01/07/2025,toàn bộ,1",
    "S,N1,01/07/2025,một phần,0.6",
    "S,N2,01/07/2025,một phần,0.4",
    "B,B2,01/01/2025,toàn bộ,1",
    "B2,N2,01/07/2025,toàn bộ,1",
    "D1,N1,01/07/2025,một phần,0.72",
    "D1,N2,01/07/2025,một phần,0.28",
]


def mapping_text(rows: list[str]) -> str:
    return MAPPING_HEAD + "\n".join(rows) + "\n"


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _write(d: Path, name: str, text: str) -> Path:
    p = d / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    """Units, procedures and dossiers, no mapping yet."""
    d = tmp_path_factory.mktemp("restructure")
    path = d / "base.duckdb"
    for kind, text in (("units", UNITS), ("procedures", PROCEDURES), ("dossiers", DOSSIERS)):
        reform_cli("import", "--db", str(path), "--kind", kind, str(_write(d, f"{kind}.csv", text)))
    return path


@pytest.fixture(scope="module")
def mapped_db(base_db, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("mapped")
    path = d / "mapped.duckdb"
    shutil.copy(base_db, path)
    out = reform_cli("import", "--db", str(path), str(_write(d, "mapping.csv", mapping_text(MAPPING_ROWS))))
    assert "mapping (CSV" in out.stdout and "9 rows, 9 new" in out.stdout, out.stdout   # kind guessed
    return path


@pytest.fixture
def con(mapped_db):
    c = duckdb.connect(str(mapped_db), read_only=True)
    yield c
    c.close()


def _restated(con, period, **kw) -> list[dict]:
    """The restated lens as the dashboard computes it: compute.kpis by today's unit."""
    return compute.kpis(con, period, by="unit", procedure_kpis=False, lens="restated", **kw)


def _by_unit(rows: list[dict]) -> dict:
    return {r["unit_code"]: r for r in rows}


# ---------------------------------------------------------------------------------------------- the mapping
def test_mapping_is_stored_as_imported(con):
    rows = con.execute("select old_code, new_code, effective_date::varchar, share_kind, weight "
                       "from unit_mapping order by old_code, new_code").fetchall()
    assert rows[:2] == [("A1", "N1", "2025-07-01", "whole", 1.0), ("A2", "N1", "2025-07-01", "whole", 1.0)]
    assert ("B", "B2", "2025-01-01", "whole", 1.0) in rows
    assert ("S", "N2", "2025-07-01", "part", 0.4) in rows
    assert len(rows) == 9


def test_resolution_follows_chains_and_multiplies_weights(con):
    got = {(o, t): (w, a) for o, t, w, a in restructure.resolve(con).itertuples(index=False)}
    want = {
        ("A1", "N1"): (1.0, False), ("A2", "N1"): (1.0, False), ("A3", "N1"): (1.0, False),
        ("S", "N1"): (0.6, True), ("S", "N2"): (0.4, True),
        ("B", "N2"): (1.0, False),              # two steps: B -> B2 -> N2
        ("B2", "N2"): (1.0, False),
        ("D1", "N1"): (0.72, True), ("D1", "N2"): (0.28, True),
        ("N1", "N1"): (1.0, False), ("N2", "N2"): (1.0, False), ("SO", "SO"): (1.0, False),
    }
    assert got.keys() == want.keys()
    for k, (w, a) in want.items():
        assert got[k][0] == pytest.approx(w, abs=1e-12) and got[k][1] == a, k


def test_weights_multiply_along_a_chain_and_a_split_that_comes_back_is_exact():
    """X splits 0.5/0.5 into Y and Z, which both merge into T: X's dossiers all land in T (exact);
    U splits 0.3/0.7 into V and W, and W splits 0.5/0.5 into P and Q: U -> P = 0.7 * 0.5 = 0.35."""
    c = duckdb.connect()
    c.execute(db.sql_text("schema"))
    for code, valid_to in (("X", "2024-12-31"), ("Y", "2025-06-30"), ("Z", "2025-06-30"), ("T", None),
                           ("U", "2024-12-31"), ("V", None), ("W", "2025-06-30"), ("P", None), ("Q", None)):
        c.execute("insert into units (unit_code, name, level, valid_from, valid_to) "
                  "values (?, ?, 'commune', date '2019-01-01', ?)", [code, code, valid_to])
    c.executemany("insert into unit_mapping values (?, ?, date '2025-01-01', ?, ?)", [
        ("X", "Y", "part", 0.5), ("X", "Z", "part", 0.5), ("Y", "T", "whole", 1), ("Z", "T", "whole", 1),
        ("U", "V", "part", 0.3), ("U", "W", "part", 0.7), ("W", "P", "part", 0.5), ("W", "Q", "part", 0.5)])
    assert restructure.check(c) == []
    restructure.rebuild_restated(c)
    got = {(o, t): (round(w, 12), a) for o, t, w, a in restructure.resolve(c).itertuples(index=False)
           if o in ("X", "U")}
    assert got == {("X", "T"): (1.0, False), ("U", "V"): (0.3, True), ("U", "P"): (0.35, True),
                   ("U", "Q"): (0.35, True)}


def test_district_rule_proposal_gives_the_hand_weights(con):
    assert [(o, n, str(d), k, w) for o, n, d, k, w in restructure.propose_district_rows(con)] == [
        ("D1", "N1", "2025-07-01", "part", 0.72), ("D1", "N2", "2025-07-01", "part", 0.28)]


# ---------------------------------------------------------------------------------------------- both lenses
def test_as_recorded_lens_is_unchanged(con):
    """Every dossier under the unit that recorded it (today's behaviour)."""
    by_unit = {r["grp"]: r for r in compute.count_rows(con, PERIOD, by="unit", procedure_kpis=False)}
    want = {  # unit: F01, F04o, F04d, F07, F08, F09, F11i, F11o
        "A1": (1, 1, 0, 1, 0, 0, 0, 0), "A2": (1, 0, 1, 0, 1, 0, 0, 0), "A3": (1, 1, 0, 0, 0, 1, 0, 0),
        "S": (2, 1, 1, 1, 0, 1, 0, 0), "B": (1, 0, 1, 0, 1, 0, 0, 0), "B2": (1, 1, 0, 0, 0, 0, 1, 0),
        "D1": (2, 1, 1, 1, 0, 0, 0, 1), "N1": (1, 1, 0, 0, 1, 0, 0, 0), "SO": (1, 0, 1, 1, 0, 0, 0, 0),
    }
    assert set(by_unit) == set(want)
    for unit, values in want.items():
        r = by_unit[unit]
        assert tuple(r[k] for k in ("F01", "F04o", "F04d", "F07", "F08", "F09", "F11i", "F11o")) == values, unit


RESTATED = {  # today's unit: F01, F01_approx, F04o, F04d, F07, F08, F09, F11i, F11o (see the module doc)
    # N1 = A1 + A2 + A3 + 0.6 S + 0.72 D1 + N1
    "N1": (1 + 1 + 1 + 2 * 0.6 + 2 * 0.72 + 1, 2 * 0.6 + 2 * 0.72,
           1 + 1 + 0.6 + 0.72 + 1, 1 + 0.6 + 0.72, 1 + 0.6 + 0.72, 1 + 1, 1 + 0.6, 0, 0.72),
    # N2 = 0.4 S + B + B2 + 0.28 D1
    "N2": (2 * 0.4 + 1 + 1 + 2 * 0.28, 2 * 0.4 + 2 * 0.28,
           0.4 + 1 + 0.28, 0.4 + 1 + 0.28, 0.4 + 0.28, 1, 0.4, 1, 0.28),
    "SO": (1, 0, 0, 1, 1, 0, 0, 0, 0),
}
RESTATED_KEYS = ("F01", "F04o", "F04d", "F07", "F08", "F09", "F11i", "F11o")  # F01_approx: approx_share


def test_restated_lens_gives_the_hand_values(con):
    rows = _by_unit(_restated(con, PERIOD))
    assert set(rows) == set(RESTATED)
    for unit, (f01, f01_approx, *counts) in RESTATED.items():
        got = tuple(rows[unit][k] for k in RESTATED_KEYS)
        assert got == pytest.approx((f01, *counts), abs=1e-9), unit
        assert rows[unit]["approx_share"] == pytest.approx(f01_approx / f01, abs=1e-9), unit
    assert rows["N1"]["F01"] == pytest.approx(6.64) and rows["N2"]["F01"] == pytest.approx(3.36)
    assert rows["N1"]["approximate"] and rows["N2"]["approximate"] and not rows["SO"]["approximate"]
    assert rows["N1"]["approx_share"] == pytest.approx(2.64 / 6.64)
    assert rows["N2"]["approx_share"] == pytest.approx(1.36 / 3.36)
    assert rows["SO"]["approx_share"] == 0
    # ratios from the weighted counts: N2 on time = (F07 + F08) / (F07 + F08 + F09) = 1.68 / 2.08
    assert rows["N2"]["F10"] == pytest.approx(1.68 / 2.08)


def test_restated_quarter_without_a_split_is_exact(con):
    """In 2024Q1 N1's only predecessors with dossiers are A1 and A2 (whole): exact, integer counts."""
    q1 = _by_unit(_restated(con, parse("2024Q1")))
    assert set(q1) == {"N1"}
    assert (q1["N1"]["F01"], q1["N1"]["F07"], q1["N1"]["F08"], q1["N1"]["approx_share"]) == (2, 1, 1, 0)
    assert q1["N1"]["approximate"] is False
    # by quarter, one today's unit: 2024Q3 holds B-1 (through the chain, exact) and 0.28 of D1-1
    n2 = {r["quarter"]: r for r in _restated(con, PERIOD, bucket="quarter", unit="N2")}
    assert n2["2024Q3"]["F01"] == pytest.approx(1.28) and n2["2024Q3"]["approximate"]
    assert n2["2024Q3"]["F08"] == pytest.approx(1) and n2["2024Q3"]["F07"] == pytest.approx(0.28)


def test_province_totals_are_equal_in_both_lenses(con):
    recorded = compute.count_rows(con, PERIOD, procedure_kpis=False)[0]
    restated = _restated(con, PERIOD)
    # hand totals: 11 dossiers, 4 early, 3 on time, 2 late, 1 open in time, 1 overdue
    hand = {"F01": 11, "F04o": 6, "F04d": 5, "F07": 4, "F08": 3, "F09": 2, "F11i": 1, "F11o": 1}
    for k, v in hand.items():
        assert recorded[k] == v, k
        assert sum(r[k] for r in restated) == pytest.approx(v, abs=1e-9), k


# ---------------------------------------------------------------------------------------------- the validator
BROKEN = {
    # name: (mapping rows, the expected line: row, column header, words of the reason)
    "weights": ([r.replace("S,N2,01/07/2025,một phần,0.4", "S,N2,01/07/2025,một phần,0.3")
                 for r in MAPPING_ROWS],
                ":5:Tỷ lệ: weights of old unit S sum to 0.9 (N1 0.6 + N2 0.3): they must sum to 1"),
    "cycle": ([r.replace("B2,N2,01/07/2025", "B2,B,01/07/2025") for r in MAPPING_ROWS],
              ":7:Mã đơn vị cũ: cycle in the successor chain: B -> B2 -> B"),
    "unmapped": ([r for r in MAPPING_ROWS if not r.startswith("A3,")],
                 ":1:Mã đơn vị cũ: unit A3 (commune, commune_committee, valid to 2025-06-30) is closed "
                 "but has no mapping row"),
    "unknown": ([r.replace("S,N2,", "S,N9,") for r in MAPPING_ROWS],
                ":6:Mã đơn vị mới: new unit N9 (successor of S) is not a known unit code"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_mapping_is_rejected_and_the_database_unchanged(base_db, tmp_path, case):
    rows, line = BROKEN[case]
    path = tmp_path / "t.duckdb"
    shutil.copy(base_db, path)
    before = sha(path)
    bad = _write(tmp_path, "bad.csv", mapping_text(rows))
    out = reform_cli("import", "--db", str(path), str(bad), check=False)
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"{bad}{line}" in out.stdout, out.stdout
    assert "nothing imported" in out.stdout
    assert sha(path) == before


def test_closed_unit_without_mapping_is_reported_at_its_units_row(base_db, tmp_path):
    """Units and mapping in one batch: the unmapped unit is named at its row of the units file."""
    path = tmp_path / "t.duckdb"
    shutil.copy(base_db, path)
    before = sha(path)
    units = _write(tmp_path, "units.csv", UNITS)
    bad = _write(tmp_path, "bad.csv", mapping_text([r for r in MAPPING_ROWS if not r.startswith("A3,")]))
    out = reform_cli("import", "--db", str(path), str(units), str(bad), check=False)
    assert out.returncode == 1
    assert f"{units}:5:valid_to: unit A3 " in out.stdout, out.stdout      # A3 is row 5 of units.csv
    assert sha(path) == before


def test_whole_with_several_rows_and_bad_weights_are_named(base_db, tmp_path):
    rows = MAPPING_ROWS + ["A1,N2,01/07/2025,toàn bộ,1", "A2,N2,01/07/2025,một phần,0"]
    path = tmp_path / "t.duckdb"
    shutil.copy(base_db, path)
    bad = _write(tmp_path, "bad.csv", mapping_text(rows))
    out = reform_cli("validate", "--db", str(path), str(bad), check=False).stdout
    assert f"{bad}:2:Toàn bộ/một phần: old unit A1 is mapped whole to N1 but has 2 rows" in out, out
    assert f"{bad}:12:Tỷ lệ: old unit A2 -> N2: weight 0 is outside (0, 1]" in out, out


# ---------------------------------------------------------------------------------------------- the sample
def _sample_con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute(db.sql_text("schema"))
    for table in ("units", "unit_mapping"):
        c.execute(f"insert into {table} by name select * from read_csv(?, header = true)",
                  [str(SAMPLE / f"{table}.csv")])
    return c


def test_sample_mapping_passes_the_validator(tmp_path):
    assert restructure.check(_sample_con()) == []
    out = reform_cli("validate", "--db", str(tmp_path / "none.duckdb"),
                     str(SAMPLE / "units.csv"), str(SAMPLE / "unit_mapping.csv"))
    assert "unit_mapping.csv: mapping (CSV" in out.stdout and "no problems found" in out.stdout


def test_sample_district_rows_follow_the_district_rule():
    """The district rows of the sample are what the documented rule proposes from the commune rows;
    e.g. TP Cà Mau (964) had 16 communes on 30/6/2025, 5 of which went to Phường An Xuyên: 0.3125."""
    c = _sample_con()
    restructure.rebuild_restated(c)
    stored = c.execute("select * from unit_mapping where old_code in "
                       "(select unit_code from units where kind = 'district_committee') order by 1, 2").fetchall()
    assert stored == restructure.propose_district_rows(c)
    assert {o for o, *_ in stored} == {"964", "966", "967", "968", "969", "970", "971", "972", "973"}
    assert ("964", "C25-01") in {(o, n) for o, n, *_ in stored}
    assert [w for o, n, _d, _k, w in stored if (o, n) == ("964", "C25-01")] == [0.3125]
