"""No personal data shown, no raw HTML with data in it (DESIGN §8). That the importer drops
personal-data columns and that no table holds their values is in test_importer.py."""
from __future__ import annotations

import ast
import datetime as dt

import duckdb

import queries
from reform.headers import is_pii
from tests.conftest import ROOT

SOURCES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]


def test_no_page_renders_raw_html():
    """unsafe_allow_html (or st.html) would let a unit or procedure name from an imported file run as
    markup: the dashboard uses neither."""
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
                if not (isinstance(node.value, ast.Constant) and node.value.value is False):
                    found.append(f"{path.name}:{node.value.lineno}")
            if isinstance(node, ast.Attribute) and node.attr == "html":
                found.append(f"{path.name}:{node.lineno} .html")
    assert found == []


def test_the_dossier_list_has_no_personal_field(small_db):
    """Every column the dossier list can show (and export) is an administrative fact of the dossier."""
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        df = queries.run(con, "dossier_list", due_days=3, set="F01", p_start=dt.date(2024, 1, 1), p_end=dt.date(2024, 3, 31),
                         level=None, unit=None, field=None, procedure=None,
                         channel=None, sort="received_desc", limit=50, offset=0, lens=None)
        stored = [c for (c,) in con.execute("select distinct column_name from duckdb_columns() where not internal").fetchall()]
    finally:
        con.close()
    assert len(df) == 50
    assert [c for c in df.columns if is_pii(c)] == []
    assert [c for c in stored if is_pii(c)] == []
