"""Old Bạc Liêu (issue 6, domain-notes §7.4 rule 4): before the merger its units belonged to another
province (units.former_province = 95). As recorded, their dossiers before 1/7/2025 never enter the
province's totals, though each such unit can still be opened on its own; restated to today's units, they
count under their successors. Hand values:

    CM1  a commune of this province, open                 2 dossiers in 2024Q2, 1 in 2025Q3
    BL1  a commune of old Bạc Liêu, closed 30/6/2025 -> NEW (whole)      3 dossiers in 2024Q2
    NEW  the commune that took BL1, from 1/7/2025                        4 dossiers in 2025Q3
"""
from __future__ import annotations

import duckdb
import pytest

from reform import compute
from reform.periods import parse
from tests.conftest import reform_cli

UNITS = """unit_code,name,level,valid_from,valid_to,Tỉnh cũ
CM1,UBND xã Cà Mau 1,commune,2019-01-01,,
BL1,UBND xã Bạc Liêu 1,commune,2019-01-01,2025-06-30,95
NEW,UBND xã Mới,commune,2025-07-01,,
"""
PROCEDURES = "procedure_code,name,level,legal_days\nP,Thủ tục xã,commune,5\n"
MAPPING = "old_code,new_code,effective_date,share_kind,weight\nBL1,NEW,2025-07-01,whole,1\n"


def dossiers() -> str:
    rows = ["dossier_code,procedure_code,unit_code,channel,received_at,status_code"]
    for code, unit, n, day in (("c", "CM1", 2, "2024-05-06"), ("b", "BL1", 3, "2024-05-07"),
                               ("c3", "CM1", 1, "2025-08-04"), ("n", "NEW", 4, "2025-08-05")):
        rows += [f"{code}{i},P,{unit},2,{day} 08:00,4" for i in range(n)]
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    d = tmp_path_factory.mktemp("bl")
    db = d / "bl.duckdb"
    for kind, text in (("units", UNITS), ("procedures", PROCEDURES), ("mapping", MAPPING), ("dossiers", dossiers())):
        (d / f"{kind}.csv").write_text(text, encoding="utf-8")
        reform_cli("import", "--db", str(db), "--kind", kind, str(d / f"{kind}.csv"))
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def f01(con, period: str, **kw) -> float:
    return compute.kpis(con, parse(period), **kw)[0]["F01"]


def test_old_bac_lieu_stays_apart_before_the_merger(con):
    assert con.execute("select former_province from units where unit_code = 'BL1'").fetchone()[0] == "95"
    assert f01(con, "2024Q2") == 2                          # this province only
    assert f01(con, "2024Q2", level="commune") == 2
    assert f01(con, "2024Q2", unit="BL1") == 3              # still there, on its own
    assert f01(con, "2024Q2", lens="restated") == 5         # restated: the new province
    assert f01(con, "2024Q2", lens="restated", unit="NEW") == 3
    assert f01(con, "2025Q3") == f01(con, "2025Q3", lens="restated") == 5   # after: one province
    # BL1's 2024 dossiers were not this province's; its still open ones are, from the merger on
    by_unit = {r["unit_code"]: r for r in compute.kpis(con, parse("2024:2025"), by="unit")}
    assert {u: r["F01"] for u, r in by_unit.items() if r["F01"]} == {"CM1": 3, "NEW": 4}
    assert by_unit["BL1"]["F11i"] + by_unit["BL1"]["F11o"] == 3
