"""Safe downloads (issue 13, item 5): every CSV/XLSX export, and the council pack, neutralises text cells
that a spreadsheet would run as a formula (OWASP CSV injection: a leading ' before =, +, -, @, tab, CR),
while numbers, negative ones included, stay numbers."""
from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from present.text import text as words
from reform import safe
from tests import hostile
from tests.conftest import reform_cli
from ui import tables

HOSTILE = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
PLAIN = ["Sở Tư pháp", "1.001 · Thủ tục", "x=1", ""]


@pytest.fixture
def frame() -> pd.DataFrame:
    n = len(HOSTILE) + len(PLAIN)
    return pd.DataFrame({
        "name": HOSTILE + PLAIN,
        "count": list(range(-5, n - 5)),                      # int64, negatives among them
        "share": [-0.25 * (i + 1) for i in range(n)],         # float64, all negative
        "mixed": [-3, "=2", 4.5, "-x", None, "ok", -7, "@", "", 0],  # object: numbers and text
        "day": pd.to_datetime(["2025-07-01"] * n),
    })


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_rule():
    for text in HOSTILE:
        assert safe.cell(text) == "'" + text
    for text in PLAIN:
        assert safe.cell(text) == text
    for number in (-3, -2.5, 0, 7, None):
        assert safe.cell(number) == number


def test_table_csv_quotes_hostile_text_and_keeps_numbers(frame):
    rows = _csv_rows(tables.csv_bytes(frame))
    assert len(rows) == len(frame) + 1   # a CR inside a cell is quoted: no row split in two
    assert rows[0] == ["name", "count", "share", "mixed", "day"]
    body = rows[1:]
    assert [r[0] for r in body] == ["'" + t for t in HOSTILE] + PLAIN
    assert [int(r[1]) for r in body] == frame["count"].tolist()          # -5 written as -5, no quote
    assert [float(r[2]) for r in body] == frame["share"].tolist()
    assert [r[3] for r in body] == ["-3", "'=2", "4.5", "'-x", "", "ok", "-7", "'@", "", "0"]
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for r in body for c in r)


def test_table_xlsx_holds_hostile_text_as_text_and_numbers_as_numbers(frame):
    wb = openpyxl.load_workbook(io.BytesIO(tables.xlsx_bytes({"bang": frame})))
    ws = wb["bang"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = [c for c in ws["A"][1:]]
    # a carriage return may come back as a line feed (openpyxl's XML without lxml) or as itself (with it)
    assert [c.value.replace("\r", "\n") for c in names[:len(HOSTILE)]] == ["'" + t.replace("\r", "\n") for t in HOSTILE]
    assert all(c.data_type == "s" for c in names[:len(HOSTILE)])
    counts = [c for c in ws["B"][1:]]
    assert [c.value for c in counts] == frame["count"].tolist() and {c.data_type for c in counts} == {"n"}
    shares = [c for c in ws["C"][1:]]
    assert [c.value for c in shares] == frame["share"].tolist() and {c.data_type for c in shares} == {"n"}
    mixed = {c.row - 2: (c.value, c.data_type) for c in ws["D"][1:]}
    assert mixed[0] == (-3, "n") and mixed[1] == ("'=2", "s") and mixed[3] == ("'-x", "s") and mixed[6] == (-7, "n")
    assert all(c.is_date for c in ws["E"][1:])


def test_a_hostile_header_is_quoted_too():
    df = pd.DataFrame({"=cmd": [1], "-n": [-1]})
    assert _csv_rows(tables.csv_bytes(df))[0] == ["'=cmd", "'-n"]


def test_kpi_csv_quotes_a_hostile_field(tmp_path):
    db = hostile.build(tmp_path / "h.duckdb", 9)
    out = reform_cli("kpi", "--db", str(db), "--period", "2020Q1", "--by", "field", "--format", "csv").stdout
    rows = _csv_rows(out.encode())
    field = rows[0].index("field")
    fields = sorted(r[field] for r in rows[1:])
    assert fields == sorted(safe.cell(f) for f in hostile.fields(9).values())
    assert any(f.startswith("'@") for f in fields)


def test_council_pack_xlsx_has_no_formula(tmp_path):
    """The unit's name is =HYPERLINK(...) (written into the database: the importer itself refuses it) and
    its reported indicator's source starts with @; the pack holds both as text, and -0.5 as a number."""
    db = hostile.build(tmp_path / "h.duckdb", 9)
    out = tmp_path / "pack.xlsx"
    reform_cli("report", "--db", str(db), "--period", "2020Q1", "--unit", hostile.FORMULA_UNIT, "--out", str(out))
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [f"{c.parent.title}!{c.coordinate}" for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(safe.FORMULA_START)]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert f"{words('filters.unit')}: {hostile.formula(9)} ({hostile.FORMULA_UNIT})" in texts   # the scope in words
    assert "'" + hostile.sources(9)[1] in texts
    reported = wb.worksheets[2]
    header = [c.value for c in reported[1]]
    values = [row[header.index(words("col.value"))] for row in reported.iter_rows(min_row=2)]
    assert -0.5 in [c.value for c in values] and all(c.data_type == "n" for c in values)
