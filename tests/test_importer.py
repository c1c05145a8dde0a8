"""Importer tests (DESIGN §4, §8): formats, headers, labels, validation report, all-or-nothing, upsert,
personal data, kind guessing, SQL-looking values, and a killed import."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from reform import importer

ROOT = pathlib.Path(__file__).resolve().parent.parent
INJECT = "x'; drop table dossiers; --"

UNITS = f"""unit_code,name,level,kind,parent_code
U1,Sở Tư pháp,province,department,
U2,UBND huyện Cái Nước,district,district_committee,
U3,UBND xã Tân Hưng,commune,commune_committee,U2
"{INJECT}",Đơn vị lạ,Cấp xã,,
"""
PROCEDURES = """procedure_code,name,level,online_level,legal_days,has_fee
P1,Cấp phiếu lý lịch tư pháp,province,full,10,x
P2,Đăng ký khai sinh,commune,partial,1,
"""
DHEAD = "dossier_code,procedure_code,unit_code,channel,received_at,due_at,finished_at,status_code,return_channel,rating"
DROW = "D{n},P1,U1,2,2020-03-02 08:00,2020-03-10,2020-03-05 10:00,9,online,1"


def sha(p) -> str:
    return hashlib.sha256(pathlib.Path(p).read_bytes()).hexdigest()


def write(path: pathlib.Path, text: str, bom: bool = False) -> pathlib.Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def query(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reform", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    d = tmp_path_factory.mktemp("base")
    db = d / "base.duckdb"
    u = write(d / "units.csv", UNITS)
    p = write(d / "procedures.csv", PROCEDURES)
    assert importer.cmd_import(str(db), None, [str(u), str(p)]) == 0
    return db


@pytest.fixture
def base(template, tmp_path):
    db = tmp_path / "reform.duckdb"
    shutil.copy(template, db)
    return db


def run_import(db, files, kind=None, capsys=None):
    rc = importer.cmd_import(str(db), kind, [str(f) for f in files])
    out = capsys.readouterr().out if capsys else ""
    return rc, out


# ------------------------------------------------------------------------------------------- bad input
BAD_DOSSIERS = [
    # (row 2 of the file, expected column, reason fragment)
    ("D1,P1,UX,2,2020-03-02,,,9,,", "unit_code", "unknown unit code 'UX'"),
    ("D1,PX,U1,2,2020-03-02,,,9,,", "procedure_code", "unknown procedure code 'PX'"),
    ("D1,P1,U1,2,abc,,,9,,", "received_at", "unparseable or impossible date 'abc'"),
    ("D1,P1,U1,2,31/02/2020,,,9,,", "received_at", "impossible date '31/02/2020'"),
    ("D1,P1,U1,2,01/02/20,,,9,,", "received_at", "impossible date '01/02/20'"),
    ("D1,P1,U1,2,2020-03-02,2020-03-01,,9,,", "due_at", "before the received date"),
    ("D1,P1,U1,2,2020-03-02,,01/03/2020 10:00,9,,", "finished_at", "before the received date"),
    ("D1,P1,U1,2,2020-03-02,,,11,,", "status_code", "unknown status '11'"),
    ("D1,P1,U1,2,2020-03-02,,,Đang chờ,,", "status_code", "unknown status 'Đang chờ'"),
    ("D1,P1,U1,7,2020-03-02,,,9,,", "channel", "unknown channel '7'"),
    ("D1,P1,U1,fax,2020-03-02,,,9,,", "channel", "unknown channel 'fax'"),
    ("D1,P1,U1,2,2020-03-02,,,9,drone,", "return_channel", "unknown return channel 'drone'"),
    ("D1,P1,U1,2,2020-03-02,,,9,,5", "rating", "unknown rating '5'"),
    ("D1,P1,U1,2,,,,9,,", "received_at", "empty required cell"),
    (",P1,U1,2,2020-03-02,,,9,,", "dossier_code", "empty required cell"),
    ("D1,,U1,2,2020-03-02,,,9,,", "procedure_code", "empty required cell"),
    ("D1,P1,U1,2,2020-03-02,,,,,", "status_code", "empty required cell"),
]


@pytest.mark.parametrize("row,col,reason", BAD_DOSSIERS)
def test_bad_dossier_row_is_reported_and_changes_nothing(base, tmp_path, capsys, row, col, reason):
    f = write(tmp_path / "d.csv", f"{DHEAD}\n{DROW.format(n=0)}\n{row}\n")
    before = sha(base)
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 1
    lines = [ln for ln in out.splitlines() if ln.startswith(f"{f}:")]
    assert any(ln.startswith(f"{f}:3:{col}: ") and reason in ln for ln in lines), out
    assert not any(ln.startswith(f"{f}:2:") for ln in lines), out      # the good row is fine
    assert sha(base) == before
    assert importer.cmd_validate(str(base), None, [str(f)]) == 1


def test_every_problem_listed_with_vietnamese_headers(base, tmp_path):
    f = write(tmp_path / "hs.csv",
              "Mã hồ sơ;Mã TTHC;Mã đơn vị;Ngày tiếp nhận;Trạng thái\n"
              "A1;P1;U1;01/03/2020;4\n"
              "A2;P9;U1;30/02/2020;4\n"
              "A1;P1;U9;01/03/2020;99\n", bom=True)
    before = sha(base)
    r = cli("import", "--db", base, f)
    assert r.returncode == 1
    out = r.stdout
    for expect in (f"{f}:3:Mã TTHC: unknown procedure code 'P9'",
                   f"{f}:3:Ngày tiếp nhận: unparseable or impossible date '30/02/2020'",
                   f"{f}:4:Mã hồ sơ: duplicate key dossier_code 'A1' (first in row 2)",
                   f"{f}:4:Mã đơn vị: unknown unit code 'U9'",
                   f"{f}:4:Trạng thái: unknown status '99'"):
        assert expect in out, out
    assert sha(base) == before
    v = cli("validate", "--db", base, f)
    assert v.returncode == 1 and f"{f}:4:Trạng thái: unknown status '99'" in v.stdout


def test_missing_required_column(base, tmp_path, capsys):
    f = write(tmp_path / "d.csv", "dossier_code,procedure_code,received_at\nD1,P1,2020-01-02\n")
    before = sha(base)
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 1 and f"{f}:1:status_code: missing required column status_code" in out
    assert "Trạng thái" in out                  # the Vietnamese header is suggested
    assert sha(base) == before


@pytest.mark.parametrize("kind,text,row,col,reason", [
    ("units", "unit_code,name,level\nU7,A,tỉnh\nU8,B,planet\n", 3, "level", "unknown level 'planet'"),
    ("units", "unit_code,name,level\nU7,A,tỉnh\nU7,B,xã\n", 3, "unit_code", "duplicate key unit_code 'U7'"),
    ("units", "unit_code,name,parent_code\nU7,A,NOPE\n", 2, "parent_code", "unknown unit code 'NOPE'"),
    ("units", "unit_code,name\nU7,\n", 2, "name", "empty required cell"),
    ("procedures", "procedure_code,name,level\nP7,A,commune\nP7,B,district\n", 3, "procedure_code",
     "duplicate key procedure_code 'P7'"),
    ("procedures", "procedure_code,name,level,online_level\nP7,A,xã,sometimes\n", 2, "online_level",
     "unknown online level 'sometimes'"),
    ("procedures", "procedure_code,name,level\nP7,A,\n", 2, "level", "empty required cell"),
    ("procedures", "procedure_code,name,level,has_fee\nP7,A,xã,maybe\n", 2, "has_fee", "unknown yes/no value"),
    ("procedures", "procedure_code,name,level,legal_days\nP7,A,xã,ten\n", 2, "legal_days", "not a number"),
    ("indicators", "indicator_code,unit_code,period,value\nI1,U1,2020Q1,1\nI1,U1,2020Q1,2\n", 3,
     "indicator_code", "duplicate key indicator_code + unit_code + period 'I1 / U1 / 2020Q1'"),
    ("indicators", "indicator_code,unit_code,period,value\nI1,U1,2020-13,1\n", 2, "period", "unknown period"),
    ("indicators", "indicator_code,unit_code,period,value\nI1,UZ,2020,1\n", 2, "unit_code", "unknown unit code"),
    ("indicators", "indicator_code,period,value,as_of\nI1,2020,1,2020-02-30\n", 2, "as_of", "impossible date"),
])
def test_bad_reference_files(base, tmp_path, capsys, kind, text, row, col, reason):
    f = write(tmp_path / f"{kind}.csv", text)
    before = sha(base)
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 1
    assert any(ln.startswith(f"{f}:{row}:{col}: ") and reason in ln for ln in out.splitlines()), out
    assert sha(base) == before


@pytest.mark.parametrize("content,reason", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (DHEAD.encode() + b"\n", "no data rows"),
    (bytes(range(256)) * 40, "not a text CSV"),
    (b"Lorem ipsum dolor sit amet\nconsectetur adipiscing elit\n", "cannot tell what this file holds"),
    ("Mã hồ sơ,Ngày tiếp nhận\nA,1\n".encode("cp1258", errors="replace"), "not UTF-8"),
])
def test_unreadable_files(base, tmp_path, capsys, content, reason):
    f = tmp_path / "junk.csv"
    f.write_bytes(content)
    before = sha(base)
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 1 and (f"{f}:1:" in out or f"{f}:2:" in out), out
    assert reason in out, out
    assert sha(base) == before


def test_junk_with_xlsx_and_parquet_names(base, tmp_path, capsys):
    x = write(tmp_path / "a.xlsx", "not really a workbook")
    p = write(tmp_path / "b.parquet", "not really parquet")
    before = sha(base)
    rc, out = run_import(base, [x, p], capsys=capsys)
    assert rc == 1 and f"{x}:1:-: cannot read as XLSX" in out and f"{p}:1:-: cannot read as PARQUET" in out
    assert sha(base) == before


def test_batch_is_all_or_nothing(base, tmp_path, capsys):
    u = write(tmp_path / "u.csv", "unit_code,name,level\nNEW1,Mới,xã\n")
    d = write(tmp_path / "d.csv", f"{DHEAD}\nD1,P1,NEW1,2,2020-03-02,,,99,,\n")
    before = sha(base)
    rc, out = run_import(base, [u, d], capsys=capsys)
    assert rc == 1 and f"{d}:2:status_code" in out
    assert sha(base) == before
    assert query(base, "select count(*) from units where unit_code = 'NEW1'") == [(0,)]


def test_invalid_batch_into_missing_db_creates_nothing(tmp_path, capsys):
    db = tmp_path / "sub" / "none.duckdb"
    f = write(tmp_path / "u.csv", "unit_code,name,level\nA,B,nowhere\n")
    rc, _ = run_import(db, [f], capsys=capsys)
    assert rc == 1 and not db.exists()
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]


# ------------------------------------------------------------------------------------------- good input
def test_bom_semicolon_vietnamese_headers_and_labels(base, tmp_path, capsys):
    f = write(tmp_path / "hs.csv",
              "Mã hồ sơ ; MÃ THỦ TỤC;Mã cơ quan;Kênh nộp;Ngày tiếp nhận;Ngày hẹn trả;Ngày kết thúc xử lý;"
              "Ngày trả kết quả;Hình thức trả kết quả;Trạng thái;Số ngày bổ sung;Có phiếu xin lỗi;"
              "Thanh toán trực tuyến;Số hoá;Kết quả điện tử;Đánh giá\n"
              "HS-1;P1;U1;Trực tuyến;02/03/2020 08:15;10/03/2020;09/03/2020 16:00:05;10/03/2020;"
              "Tại Bộ phận Một cửa;ĐÃ TRẢ KẾT QUẢ;1,5;x;có;yes;1;Rất hài lòng\n"
              "HS-2;P2;U3;Qua bưu chính công ích;2020-03-04T09:00;;;;BCCI;Đang xử lý;;;không;no;0;\n"
              "HS-3;P2;;;2020-03-05;;;;Trực tuyến;5;;;;;;Không hài lòng\n", bom=True)
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 0, out
    assert "delimiter ';'" in out
    rows = query(base, "select dossier_code, procedure_code, unit_code, channel, received_at, due_at, "
                       "finished_at, returned_at, return_channel, status_code, supplement_days, apology_issued, "
                       "paid_online, is_digitized, has_e_result, rating from dossiers order by dossier_code")
    assert rows == [
        ("HS-1", "P1", "U1", 2, dt.datetime(2020, 3, 2, 8, 15), dt.datetime(2020, 3, 10),
         dt.datetime(2020, 3, 9, 16, 0, 5), dt.datetime(2020, 3, 10), "counter", 10, 1.5, True, True, True,
         True, 1),
        ("HS-2", "P2", "U3", 3, dt.datetime(2020, 3, 4, 9, 0), None, None, None, "postal", 4, 0.0, False,
         False, False, False, None),
        ("HS-3", "P2", None, None, dt.datetime(2020, 3, 5), None, None, None, "online", 5, 0.0, False,
         False, False, False, 3),
    ]
    # the file's name only: the log is shown on the Data page, and a server's folders are nobody's business
    assert query(base, "select kind, rows_in, rows_new from import_log where file = ?", [f.name]) \
        == [("dossiers", 3, 3)]


def test_nfd_headers_and_labels(base, tmp_path, capsys):
    import unicodedata
    text = "Mã hồ sơ,Mã TTHC,Ngày tiếp nhận,Trạng thái,Hình thức nộp\nN1,P1,01/03/2020,Được tiếp nhận,Bưu chính công ích\n"
    f = write(tmp_path / "nfd.csv", unicodedata.normalize("NFD", text))
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 0, out
    assert query(base, "select status_code, channel from dossiers where dossier_code = 'N1'") == [(2, 3)]


def test_xlsx_import(base, tmp_path, capsys):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Mã TTHC", "Mã đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Hình thức nộp",
               "Số điện thoại"])
    ws.append(["X1", "P1", "U1", dt.datetime(2021, 5, 6, 7, 8, 9), "20/05/2021", 9, 2, "0909123456"])
    ws.append([])
    ws.append([1001, "P2", "U2", dt.date(2021, 5, 7), None, "Đã xử lý xong", "Trực tiếp", None])
    f = tmp_path / "hs.xlsx"
    wb.save(f)
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 0, out
    assert "'Số điện thoại' looks like personal data" in out
    assert query(base, "select dossier_code, unit_code, received_at, due_at, status_code, channel from dossiers "
                       "order by dossier_code") == [
        ("1001", "U2", dt.datetime(2021, 5, 7), None, 9, 1),
        ("X1", "U1", dt.datetime(2021, 5, 6, 7, 8, 9), dt.datetime(2021, 5, 20), 9, 2),
    ]


def test_xlsx_problem_rows_are_sheet_rows(base, tmp_path, capsys):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Mã TTHC", "Ngày tiếp nhận", "Trạng thái"])
    ws.append(["X1", "P1", "01/01/2021", 4])
    ws.append([None, None, None, None])
    ws.append(["X2", "P1", "32/01/2021", 4])
    f = tmp_path / "bad.xlsx"
    wb.save(f)
    before = sha(base)
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 1 and f"{f}:4:Ngày tiếp nhận: unparseable or impossible date '32/01/2021'" in out, out
    assert sha(base) == before


def test_parquet_import(base, tmp_path, capsys):
    t = pa.table({
        "dossier_code": ["Q1", "Q2"],
        "procedure_code": ["P1", "P2"],
        "unit_code": ["U1", None],
        "received_at": pa.array([dt.datetime(2022, 1, 3, 9), dt.datetime(2022, 1, 4)], pa.timestamp("us")),
        "finished_at": pa.array([dt.datetime(2022, 1, 5, 9), None], pa.timestamp("ms")),
        "status_code": pa.array([10, 4], pa.int8()),
        "channel": pa.array([3.0, None]),
        "paid_online": [True, False],
        "rating": ["Hài lòng", None],
    })
    f = tmp_path / "d.parquet"
    pq.write_table(t, f)
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 0, out
    assert query(base, "select dossier_code, unit_code, received_at, finished_at, status_code, channel, paid_online, "
                       "rating from dossiers order by 1") == [
        ("Q1", "U1", dt.datetime(2022, 1, 3, 9), dt.datetime(2022, 1, 5, 9), 10, 3, True, 2),
        ("Q2", None, dt.datetime(2022, 1, 4), None, 4, None, False, None),
    ]


def test_reference_files_and_defaults(base, tmp_path, capsys):
    u = write(tmp_path / "dv.csv", "Mã đơn vị;Tên đơn vị;Cấp;Loại;Mã đơn vị cha;Hiệu lực từ;Hiệu lực đến\n"
                                   "U9;UBND xã Mới;Cấp xã;commune_committee;U2;01/07/2025;\n"
                                   "U10;Cục Thuế;;vertical_agency;;2019-01-01;30/06/2025\n")
    p = write(tmp_path / "tt.csv", "Mã TTHC,Tên TTHC,Lĩnh vực,Cấp thực hiện,Mức độ DVC,Mức độ cũ,Thời hạn giải quyết,"
                                   "Có phí,Mức phí,Yêu cầu kết quả giấy,Công khai CSDLQG,Số QĐ công bố,Ngày QĐ công bố\n"
                                   "P9,Thủ tục chín,Hộ tịch,Cấp xã,Không,Mức 3,\"2,5\",có,50000,không,x,123/QĐ-UBND,15/08/2022\n"
                                   "P10,Thủ tục mười,,tỉnh,,,,,,,,,\n")
    i = write(tmp_path / "cs.csv", "Mã chỉ số,Mã đơn vị,Kỳ,Giá trị,Nguồn,Ngày số liệu\n"
                                   "PAR,,2023,85.5,Bộ Nội vụ,01/04/2024\nSIPAS,U9,Q2/2024,\"90,1\",,\n"
                                   "VIC,U1,4/2024,12,,\n")
    rc, out = run_import(base, [i, p, u], capsys=capsys)       # order in the batch does not matter
    assert rc == 0, out
    assert query(base, "select unit_code, level, kind, parent_code, valid_from, valid_to from units "
                       "where unit_code in ('U9', 'U10') order by 1") == [
        ("U10", "unassigned", "vertical_agency", None, dt.date(2019, 1, 1), dt.date(2025, 6, 30)),
        ("U9", "commune", "commune_committee", "U2", dt.date(2025, 7, 1), None)]
    assert query(base, "select procedure_code, field, level, online_level, legacy_level, legal_days, has_fee, "
                       "fee_amount, requires_paper_result, is_public_national, announce_decision_no, "
                       "announce_decision_date from procedures where procedure_code in ('P9', 'P10') order by 1") == [
        ("P10", None, "province", None, None, None, False, None, False, False, None, None),   # x/blank: blank = no
        ("P9", "Hộ tịch", "commune", "none", 3, 2.5, True, 50000.0, False, True, "123/QĐ-UBND",
         dt.date(2022, 8, 15))]
    # columns absent from the file take the schema defaults
    assert query(base, "select has_fee, requires_paper_result, is_public_national from procedures "
                       "where procedure_code = 'P2'") == [(False, True, True)]
    assert query(base, "select indicator_code, unit_code, period, value, source, as_of from indicators order by 1") == [
        ("PAR", None, "2023", 85.5, "Bộ Nội vụ", dt.date(2024, 4, 1)),
        ("SIPAS", "U9", "2024Q2", 90.1, None, None),
        ("VIC", "U1", "2024-04", 12.0, None, None)]


def test_reimport_is_idempotent_and_upserts(base, tmp_path, capsys):
    f = write(tmp_path / "d.csv", "\n".join([DHEAD] + [DROW.format(n=n) for n in range(5)]) + "\n")
    assert run_import(base, [f], capsys=capsys)[0] == 0
    snap = query(base, "select * from dossiers order by dossier_code")
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 0 and "5 rows, 0 new, 0 updated, 5 unchanged" in out
    assert query(base, "select * from dossiers order by dossier_code") == snap
    # a later export: one of the five with a new status, and one new dossier
    g = write(tmp_path / "g.csv", f"{DHEAD}\nD1,P2,U3,1,2020-03-02,,,4,,\nD9,P2,U3,1,2020-03-02,,,4,,\n")
    rc, out = run_import(base, [g], capsys=capsys)
    assert rc == 0 and "2 rows, 1 new, 1 updated, 0 unchanged" in out, out
    assert query(base, "select count(*), count(*) filter (where status_code = 4) from dossiers") == [(6, 2)]
    assert query(base, "select rows_in, rows_new, rows_updated, rows_unchanged from import_log "
                       "where kind = 'dossiers' order by imported_at, rowid") == [(5, 5, 0, 0), (5, 0, 0, 5), (2, 1, 1, 0)]
    # indicators with no unit are keyed too
    i = write(tmp_path / "i.csv", "indicator_code,period,value\nPAR,2023,1\n")
    for _ in range(2):
        assert run_import(base, [i], capsys=capsys)[0] == 0
    assert query(base, "select count(*) from indicators") == [(1,)]
    assert query(base, "select rows_new, rows_updated, rows_unchanged from import_log where kind = 'indicators' "
                       "order by rowid") == [(1, 0, 0), (0, 0, 1)]


def test_personal_data_dropped(base, tmp_path, capsys):
    f = write(tmp_path / "pii.csv",
              "Mã hồ sơ,Họ tên,Tên người nộp,Chủ hồ sơ,Số CCCD,CMND,Số điện thoại,Địa chỉ,Email,applicant_name,phone,"
              "Mã TTHC,Ngày tiếp nhận,Trạng thái,Ghi chú\n"
              "Z1,Nguyễn Văn Bí Mật,Trần Thị B,Lê C,079123456789,381234567,0909999888,12 Lý Thường Kiệt,"
              "a@b.vn,Secret Name,+84 90,P1,02/03/2020,4,note\n")
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 0, out
    for h in ("Họ tên", "Tên người nộp", "Chủ hồ sơ", "Số CCCD", "CMND", "Số điện thoại", "Địa chỉ", "Email",
              "applicant_name", "phone"):
        assert f"column {h!r} looks like personal data: dropped, never stored" in out
    assert "column 'Ghi chú' is not a dossiers column: ignored" in out
    cols = [c for (c,) in query(base, "select column_name from duckdb_columns() where table_name = 'dossiers'")]
    assert not any("name" in c or "phone" in c or "cccd" in c for c in cols)
    con = duckdb.connect(str(base), read_only=True)
    try:
        for (t,) in con.execute("select table_name from duckdb_tables()").fetchall():
            for secret in ("Bí Mật", "079123456789", "0909999888", "Lý Thường Kiệt", "a@b.vn", "Secret"):
                hit = con.execute(f'select count(*) from "{t}" x where contains(x::varchar, ?)', [secret]).fetchall()
                assert hit == [(0,)], (t, secret)
    finally:
        con.close()


def test_import_creates_new_database(tmp_path, capsys):
    db = tmp_path / "new" / "fresh.duckdb"
    u = write(tmp_path / "u.csv", UNITS)
    p = write(tmp_path / "p.csv", PROCEDURES)
    d = write(tmp_path / "d.csv", f"{DHEAD}\n{DROW.format(n=1)}\n")
    r = cli("import", "--db", db, u, p, d)
    assert r.returncode == 0, r.stdout + r.stderr
    assert query(db, "select (select count(*) from units), (select count(*) from procedures), "
                     "(select count(*) from dossiers), (select count(*) from holidays) > 0") == [(4, 2, 1, True)]
    # beside it only the write lock, kept on purpose (reform/writelock.py)
    assert sorted(p.name for p in db.parent.iterdir()) == [".fresh.duckdb.lock", "fresh.duckdb"]


def test_kind_guessing_and_override(base, tmp_path, capsys):
    files = {
        "units": write(tmp_path / "a.csv", "Mã đơn vị,Tên đơn vị,Cấp\nK1,Đơn vị K,xã\n"),
        "procedures": write(tmp_path / "b.csv", "procedure_code,name,level\nKP,Thủ tục K,xã\n"),
        "indicators": write(tmp_path / "c.csv", "Mã chỉ số,Kỳ,Giá trị\nKI,2024,3\n"),
        "dossiers": write(tmp_path / "d.csv", "Mã hồ sơ,Mã TTHC,Mã đơn vị,Ngày tiếp nhận,Trạng thái\nKD,KP,K1,02/01/2024,1\n"),
    }
    rc, out = run_import(base, list(files.values()), capsys=capsys)
    assert rc == 0, out
    for kind, f in files.items():
        assert f"{f}: {kind} (" in out
    # headers that fit no kind: a clear problem, and --kind decides
    amb = write(tmp_path / "amb.csv", "code,name\nA,B\n")
    rc, out = run_import(base, [amb], capsys=capsys)
    assert rc == 1 and "cannot tell what this file holds" in out and "--kind" in out
    odd = write(tmp_path / "odd.csv", "unit_code,name\nOD,Odd\n")
    r = cli("validate", "--db", base, "--kind", "dossiers", odd)
    assert r.returncode == 1 and f"{odd}:1:dossier_code: missing required column" in r.stdout
    r = cli("import", "--db", base, "--kind", "units", odd)
    assert r.returncode == 0, r.stdout
    assert query(base, "select level from units where unit_code = 'OD'") == [("unassigned",)]


def test_sql_looking_values_are_data(base, tmp_path, capsys):
    code = "D'); delete from units; --"
    f = write(tmp_path / "d.csv", f'{DHEAD}\n"{code}",P1,"{INJECT}",2,2020-03-02,,,4,,\n')
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 0, out
    assert query(base, "select dossier_code, unit_code from dossiers") == [(code, INJECT)]
    assert query(base, "select count(*) from units") == [(4,)]
    g = write(tmp_path / "g.csv", f'{DHEAD}\nD2,P1,"U1\'; drop table units; --",2,2020-03-02,,,4,,\n')
    before = sha(base)
    rc, out = run_import(base, [g], capsys=capsys)
    assert rc == 1 and "unknown unit code 'U1'; drop table units; --'" in out
    assert sha(base) == before


def test_validate_changes_nothing(base, tmp_path):
    f = write(tmp_path / "d.csv", f"{DHEAD}\n{DROW.format(n=1)}\n")
    before = sha(base)
    r = cli("validate", "--db", base, f)
    assert r.returncode == 0 and "1 rows OK" in r.stdout, r.stdout + r.stderr
    assert sha(base) == before
    # without a database the codes can only come from the batch
    r = cli("validate", "--db", tmp_path / "nope.duckdb", f)
    assert r.returncode == 1 and "unknown procedure code 'P1'" in r.stdout
    assert not (tmp_path / "nope.duckdb").exists()


def test_blank_lines_and_multiline_values_keep_row_numbers(base, tmp_path, capsys):
    f = write(tmp_path / "d.csv", f'{DHEAD}\r\n{DROW.format(n=1)}\r\n\r\n"D2\nx",P1,U1,2,2020-03-02,,,4,,\r\n'
                                  "D3,P1,U1,2,2020-03-02,,,44,,\r\n")
    rc, out = run_import(base, [f], capsys=capsys)
    assert rc == 1 and f"{f}:5:status_code: unknown status '44'" in out, out
    g = write(tmp_path / "g.csv", f"{DHEAD}\n{DROW.format(n=1)}\nD2,P1,U1,2,2020-03-02,,,4,,,,EXTRA\n")
    rc, out = run_import(base, [g], capsys=capsys)
    assert rc == 1 and f"{g}:3:-: row has" in out, out


# ------------------------------------------------------------------------------------------- killed import
def _big_csv(path: pathlib.Path, n: int) -> None:
    import numpy as np
    rec = np.datetime64("2021-01-01T08:00") + np.arange(n).astype("timedelta64[m]")
    t = pa.table({
        "dossier_code": pa.array(np.char.add("K", np.arange(n).astype("U8"))),
        "procedure_code": pa.array(np.where(np.arange(n) % 2 == 0, "P1", "P2")),
        "unit_code": pa.array(np.where(np.arange(n) % 3 == 0, "U1", "U3")),
        "received_at": pa.array(rec.astype("datetime64[s]")),
        "status_code": pa.array((np.arange(n) % 10 + 1).astype("int64")),
    })
    pacsv.write_csv(t, path)


KILL_TRIALS = int(os.environ.get("REFORM_KILL_TRIALS", "8"))  # the long run: REFORM_KILL_TRIALS=40


def test_killed_import_leaves_old_database(base, tmp_path):
    """SIGKILL at points spread evenly over a whole import (reading, staging, validating, upserting,
    rebuilding the summaries, swapping), one trial each: the database opens and holds exactly the old or
    exactly the new data, every time."""
    big = tmp_path / "big.csv"
    _big_csv(big, 300_000)
    counts_sql = "select (select count(*) from units), (select count(*) from dossiers), " \
                 "(select count(*) from kpi_month), (select count(*) from import_log)"
    # the time a complete import takes, on a copy
    probe = tmp_path / "probe.duckdb"
    shutil.copy(base, probe)
    t0 = time.perf_counter()
    assert cli("import", "--db", probe, big).returncode == 0
    duration = time.perf_counter() - t0
    full = query(probe, counts_sql)                 # the state after a complete import of big.csv
    old = query(base, counts_sql)
    pristine = tmp_path / "old.duckdb"
    shutil.copy(base, pristine)
    before = sha(base)
    outcomes = []
    for i in range(KILL_TRIALS):
        proc = subprocess.Popen([sys.executable, "-m", "reform", "import", "--db", str(base), str(big)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * (i + 0.5) / KILL_TRIALS)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = query(base, counts_sql)             # the file opens, every time
        if sha(base) == before:                     # killed before the swap: the old file, byte for byte
            assert state == old
            outcomes.append("old")
        else:                                       # finished, or killed after the swap: all the new data
            assert state == full, (i, state)
            outcomes.append("new")
            shutil.copy(pristine, base)             # the next trial starts from the old data again
    print(f"\n{KILL_TRIALS} kills over a {duration:.1f} s import: {outcomes.count('old')} left the old data, "
          f"{outcomes.count('new')} the new")
    assert outcomes.count("old") >= KILL_TRIALS // 2, outcomes
    # a stray temp file of a killed import does not break the next one, which also cleans it up
    small = write(tmp_path / "s.csv", f"{DHEAD}\n{DROW.format(n=1)}\n")
    r = cli("import", "--db", base, small)
    assert r.returncode == 0, r.stdout + r.stderr
    assert query(base, counts_sql)[0][:2] == (old[0][0], old[0][1] + 1)
    assert not [p for p in base.parent.iterdir() if p.name.endswith((".tmp", ".tmp.wal"))]


def test_import_log_says_who_and_tolerates_an_older_file(base, tmp_path):
    """The log names who imported (--by, else the OS user); a file made before imported_by existed
    is imported into all the same, its old entries keeping an empty name."""
    con = duckdb.connect(str(base))
    con.execute("alter table import_log drop column imported_by")      # as a file from before
    con.close()
    f = write(tmp_path / "d.csv", f"{DHEAD}\n{DROW.format(n=1)}\n")
    r = cli("import", "--db", base, "--by", "vanphong@camau.gov.vn", f)
    assert r.returncode == 0, r.stdout + r.stderr
    g = write(tmp_path / "e.csv", f"{DHEAD}\n{DROW.format(n=2)}\n")
    assert cli("import", "--db", base, g).returncode == 0
    rows = query(base, "select file, imported_by from import_log order by imported_at, file")
    by = {pathlib.Path(file).name: who for file, who in rows}
    assert by["d.csv"] == "vanphong@camau.gov.vn"
    assert by["e.csv"] == importer.os_user() and by["e.csv"]
    assert by["units.csv"] is None and by["procedures.csv"] is None
