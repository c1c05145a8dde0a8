"""The Data page's upload (the CLI's validator and importer in a child process), the dashboard's
reader picking up the swapped-in file, and the council pack from the command line."""
from __future__ import annotations

import io
import shutil

import duckdb
import openpyxl
import pytest

from present.text import text
from reform import compute, db, periods
from tests.conftest import Uploaded, reform_cli
from ui import upload

HEAD = "dossier_code,procedure_code,unit_code,channel,received_at,due_at,finished_at,status_code"




@pytest.fixture
def live(small_db, tmp_path, monkeypatch):
    path = tmp_path / "live.duckdb"
    shutil.copy(small_db, path)
    monkeypatch.setenv("REFORM_DB", str(path))
    monkeypatch.setenv("REFORM_OPEN_UPLOADS", "1")  # no sign-in here: the operator's opt-in (tests/test_write_roles.py)
    return path


def a_valid_row(path) -> tuple[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select procedure_code, unit_code from dossiers where unit_code is not null "
                           "order by dossier_code limit 1").fetchone()
    finally:
        con.close()


def count(path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select count(*) from dossiers").fetchone()[0]
    finally:
        con.close()


def test_a_bad_upload_is_reported_by_row_and_column_and_changes_nothing(live):
    proc, unit = a_valid_row(live)
    before = (live.read_bytes().__hash__(), count(live))
    text = f"{HEAD}\nNEW-1,{proc},{unit},2,2026-09-01,2026-09-10,,2\nNEW-2,{proc},NO-SUCH-UNIT,2,2026-09-01,,,2\n"
    code, report = upload.run("import", [Uploaded("hồ sơ tháng 9.csv", text.encode())])
    assert code == 1
    assert "hồ_sơ_tháng_9.csv:3:unit_code: unknown unit code 'NO-SUCH-UNIT'" in report.splitlines()
    assert "reform-upload-" not in report  # the temporary folder is not shown to the user
    assert str(live.parent) not in report and live.name in report  # nor the database's folder
    assert (live.read_bytes().__hash__(), count(live)) == before


def test_an_upload_is_imported_and_the_open_reader_sees_it_after_the_swap(live):
    proc, unit = a_valid_row(live)
    reader = db.Reader(live)
    q = periods.parse("2026-09")
    before = compute.kpis(reader, q, unit=unit)[0]["F01"]
    text = f"{HEAD}\nNEW-1,{proc},{unit},2,2026-09-01,2026-09-10,,2\nNEW-2,{proc},{unit},1,2026-09-02,,,2\n"
    code, report = upload.run("validate", [Uploaded("new.csv", text.encode())])
    assert code == 0 and "2 rows OK" in report
    code, report = upload.run("import", [Uploaded("new.csv", text.encode())])
    assert code == 0, report
    # the old reader keeps answering from the file it opened; a new one (what ui.database makes when the
    # file version changes) sees the import
    assert compute.kpis(reader, q, unit=unit)[0]["F01"] == before
    assert db.version(live) != reader.version
    assert compute.kpis(db.Reader(live), q, unit=unit)[0]["F01"] == before + 2


def test_the_report_command_writes_the_pack(small_db, tmp_path):
    xlsx = tmp_path / "pack.xlsx"
    reform_cli("report", "--db", str(small_db), "--period", "2024Q2", "--unit", "964", "--out", str(xlsx))
    sheet = openpyxl.load_workbook(xlsx)["Chỉ số"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    con = db.connect_read_only(small_db)
    want = compute.kpis(con, periods.parse("2024Q2"), unit="964")[0]
    counts = compute.counts(con, periods.parse("2024Q2"), unit="964").iloc[0]
    con.close()
    header = [c.value for c in sheet[1]]
    at = {k: header.index(text(f"col.{k}")) for k in ("value", "numerator", "denominator")}
    assert rows["F05"][at["value"]] == pytest.approx(want["F05"])
    assert rows["F05"][at["numerator"]] == counts["F04o"]
    assert rows["F05"][at["denominator"]] == counts["F01"]
    assert rows["SCORE"][at["value"]] == pytest.approx(want["SCORE"])

    pdf = tmp_path / "pack.pdf"
    reform_cli("report", "--db", str(small_db), "--period", "2024Q2", "--lang", "en", "--out", str(pdf))
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 2
    assert not (tmp_path / "pack.pdf.part").exists()


@pytest.mark.parametrize("args,message", [
    (["--period", "2024Q9"], "unknown period"),
    (["--period", "2024Q2", "--unit", "NOPE"], "unknown unit code 'NOPE'"),
    (["--period", "2024Q2", "--out", "pack.docx"], "--out must end in .pdf or .xlsx"),
])
def test_the_report_command_explains_bad_arguments(small_db, tmp_path, args, message):
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "x.pdf")]
    proc = reform_cli("report", "--db", str(small_db), *args, check=False)
    assert proc.returncode == 2 and message in proc.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_pack_xlsx_bytes_open_in_excel_reader(small_db):
    from present import pack as documents
    from reform import review
    con = db.connect_read_only(small_db)
    pack = review.build(con, periods.parse("2024"), lang="en")
    con.close()
    book = openpyxl.load_workbook(io.BytesIO(documents.xlsx(pack)))
    assert book.sheetnames == ["Summary", "Indicators", "Reported", "Trend"]
    assert openpyxl.load_workbook(io.BytesIO(documents.xlsx({**pack, "lang": "vi"}))).sheetnames == [
        "Tổng hợp", "Chỉ số", "Chỉ số báo cáo", "Xu hướng"]
