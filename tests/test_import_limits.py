"""Bounded imports, hidden characters refused at import, and one line instead of a traceback for a
user's mistake (issue 13 items 3, 4 and 7).

Each bomb of the issue is generated here at a size CI can afford and imported by the command line in a
child process, as the Data page's upload does: it must be refused by its limit (reform/limits.py) in one
line naming the limit, its value and its variable, the database unchanged byte for byte, and the child's
peak RSS (os.wait4) bounded. Run with -s to see each bomb's size, time and peak RSS."""
from __future__ import annotations

import hashlib
import io
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from dataclasses import dataclass

import duckdb
import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from reform import db as rdb
from reform import importer, limits
from tests.conftest import Uploaded

ROOT = pathlib.Path(__file__).resolve().parent.parent
UNITS = "unit_code,name,level\nU1,Sở Tư pháp,province\n"
PROCEDURES = "procedure_code,name,level\nP1,Cấp phiếu lý lịch tư pháp,province\n"
DHEAD = "dossier_code,procedure_code,unit_code,channel,received_at,status_code"
# if a limit failed, the bomb would stop at this address space instead of taking the machine
SAFETY = {"REFORM_IMPORT_ADDRESS_MB": "8192"}


@pytest.fixture(autouse=True)
def open_uploads(monkeypatch):
    """The upload's limits are tested on a closed network's dashboard (uploads opened by the operator)."""
    monkeypatch.setenv("REFORM_OPEN_UPLOADS", "1")
PEAK_MB = 600       # an import child's peak RSS while refusing a bomb (a plain small import: about 250 MB)


def sha(p) -> str:
    return hashlib.sha256(pathlib.Path(p).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    d = tmp_path_factory.mktemp("limits")
    (d / "u.csv").write_text(UNITS, encoding="utf-8")
    (d / "p.csv").write_text(PROCEDURES, encoding="utf-8")
    path = d / "base.duckdb"
    assert importer.cmd_import(str(path), None, [str(d / "u.csv"), str(d / "p.csv")]) == 0
    return path


@pytest.fixture
def base(template, tmp_path):
    path = tmp_path / "reform.duckdb"
    shutil.copy(template, path)
    return path


@dataclass
class Child:
    code: int
    out: str
    peak_mb: float
    seconds: float


# A forked child's peak RSS starts at its parent's RSS (the pages it shares count until exec), so the
# import is started by a small launcher process and measured there with wait4, not by pytest's own
LAUNCH = """import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "reform", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def child(*args, env: dict | None = None) -> Child:
    """`python -m reform ARGS` as the upload runs it; the peak RSS of this one process (wait4)."""
    t0 = time.perf_counter()
    with tempfile.NamedTemporaryFile("r") as peak:
        proc = subprocess.run([sys.executable, "-c", LAUNCH, peak.name, *map(str, args)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, **SAFETY, **(env or {})})
        kb = int(peak.read() or 0)
    return Child(proc.returncode, proc.stdout, kb / 1024, time.perf_counter() - t0)


def refused(r: Child, db, before: str, file, env_name: str, what: str) -> str:
    """The import was refused by one limit: its line names the file, the limit and its variable."""
    assert "Traceback" not in r.out, r.out
    assert r.code == 1, r.out
    lines = r.out.strip().splitlines()
    hits = [ln for ln in lines if f"({env_name})" in ln]
    assert len(hits) == 1 and hits[0].startswith(f"{file}:"), r.out
    assert lines[-1].startswith("1 problem(s): nothing imported"), r.out
    assert sha(db) == before
    assert not [p for p in pathlib.Path(db).parent.iterdir() if p.name.endswith((".tmp", ".tmp.wal"))]
    assert r.peak_mb < PEAK_MB, (what, r.peak_mb)
    print(f"\n{what}: {hits[0].split(': ', 1)[1]} — refused in {r.seconds:.1f} s, child peak RSS {r.peak_mb:.0f} MB")
    return hits[0]


# ------------------------------------------------------------------------------------------- the bombs
def test_parquet_that_decodes_to_gigabytes(base, tmp_path):
    """615 KB that grew the import to 8.3 GB: one long string repeated, stored once in a dictionary."""
    n = 750_000
    long = pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array(["P" * 2000]))
    codes = pc.binary_join_element_wise("B", pc.cast(pa.array(np.arange(n)), pa.string()), "")
    day = pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array(["2024-01-02"]))
    f = tmp_path / "bomb.parquet"
    pq.write_table(pa.table({"dossier_code": codes, "procedure_code": long, "received_at": day,
                             "status_code": pa.array(np.full(n, 9))}), f, compression="zstd")
    decoded = n * 2000 / 2 ** 20
    before = sha(base)
    r = child("import", "--db", base, f)
    line = refused(r, base, before, f, "REFORM_MAX_DATA_MB",
                   f"Parquet of {f.stat().st_size / 2 ** 20:.1f} MB decoding to {decoded:,.0f} MB")
    assert "MB of data decoded, the limit is 1,024 MB (REFORM_MAX_DATA_MB)" in line


def test_csv_with_a_million_header_columns(base, tmp_path):
    """A header row of a million names (109 MB with 10 M grew the import to 11.3 GB)."""
    f = tmp_path / "wide.csv"
    names = ",".join(f"x{i}" for i in range(1_000_000))
    f.write_text(f"{DHEAD},{names}\nD1,P1,U1,2,2024-01-02,9\n", encoding="utf-8")
    before = sha(base)
    r = child("import", "--db", base, f)
    line = refused(r, base, before, f, "REFORM_MAX_COLUMNS", f"CSV of {f.stat().st_size / 2 ** 20:.1f} MB, 1 M columns")
    assert line == f"{f}:1:-: 1,000,006 columns in the header row, the limit is 500 columns (REFORM_MAX_COLUMNS)"


def _workbook(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _replace_part(xlsx: bytes, path: pathlib.Path, name: str, chunks) -> None:
    """Write the workbook to path with part `name` replaced by the bytes of chunks (streamed, deflated)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                                                                   compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info))
        with dst.open(name, "w", force_zip64=True) as fh:
            for c in chunks:
                fh.write(c)


def test_xlsx_whose_xml_unpacks_large(base, tmp_path):
    """5.5 MB of XLSX that unpacked into 1.25 GB of XML took 9 min of CPU in openpyxl."""
    row = b'<row><c t="inlineStr"><is><t>D</t></is></c><c t="inlineStr"><is><t>P1</t></is></c></row>' * 1000
    f = tmp_path / "xml.xlsx"
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    _replace_part(_workbook([["dossier_code"]]), f, "xl/worksheets/sheet1.xml",
                  [head, *(row for _ in range(3000)), b"</sheetData></worksheet>"])
    unpacked = sum(i.file_size for i in zipfile.ZipFile(f).infolist()) / 2 ** 20
    before = sha(base)
    r = child("import", "--db", base, f)
    line = refused(r, base, before, f, "REFORM_MAX_XLSX_MB",
                   f"XLSX of {f.stat().st_size / 2 ** 20:.1f} MB unpacking to {unpacked:,.0f} MB")
    assert line.endswith(f"{limits.n(-(-unpacked // 1))} MB of XML when unpacked, the limit is 200 MB (REFORM_MAX_XLSX_MB)")
    assert r.seconds < 30       # refused from the zip's directory, not after openpyxl parsed it


def test_xlsx_with_millions_of_shared_strings(base, tmp_path):
    n = 2_100_000
    f = tmp_path / "strings.xlsx"
    head = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">')
    _replace_part(_workbook([["dossier_code"], ["D1"]]), f, "xl/sharedStrings.xml",
                  [head, *(b"<si><t>s</t></si>" * 100_000 for _ in range(n // 100_000)), b"</sst>"])
    before = sha(base)
    r = child("import", "--db", base, f)
    line = refused(r, base, before, f, "REFORM_MAX_XLSX_STRINGS",
                   f"XLSX of {f.stat().st_size / 2 ** 20:.1f} MB with {n:,} shared strings")
    assert "shared strings in xl/sharedStrings.xml, the limit is 2,000,000 shared strings" in line


def _dossier_rows(n: int) -> list[list[str]]:
    return [[f"D{i}", "P1", "U1", "2", "2024-01-02", "9"] for i in range(n)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_too_many_rows_with_the_limit_set_low(base, tmp_path, fmt):
    rows = _dossier_rows(150)
    f = tmp_path / f"rows.{fmt}"
    if fmt == "csv":
        f.write_text("\n".join([DHEAD, *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    elif fmt == "xlsx":
        f.write_bytes(_workbook([DHEAD.split(","), *rows]))
    else:
        pq.write_table(pa.table({h: [r[j] for r in rows] for j, h in enumerate(DHEAD.split(","))}), f)
    before = sha(base)
    r = child("import", "--db", base, f, env={"REFORM_MAX_ROWS": "100"})
    line = refused(r, base, before, f, "REFORM_MAX_ROWS", f"{fmt.upper()} of 150 rows")
    assert line.endswith("data rows, the limit is 100 rows (REFORM_MAX_ROWS)")
    assert (line.startswith(f"{f}:1:-: 150 data rows") if fmt != "xlsx"
            else line.startswith(f"{f}:102:-: more than 100 data rows"))     # stopped at the row over it
    ok = child("import", "--db", base, f, env={"REFORM_MAX_ROWS": "150"})
    assert ok.code == 0 and "150 rows, 150 new" in ok.out, ok.out


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_cell_over_the_limit_is_named_at_its_row_and_column(base, tmp_path, fmt):
    rows = _dossier_rows(5)
    rows[3][1] = "P" * 20_000
    f = tmp_path / f"cell.{fmt}"
    if fmt == "csv":
        f.write_text("\n".join([DHEAD, *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    else:
        pq.write_table(pa.table({h: [r[j] for r in rows] for j, h in enumerate(DHEAD.split(","))}), f)
    before = sha(base)
    r = child("import", "--db", base, f, env={"REFORM_MAX_CELL_KB": "16"})
    line = refused(r, base, before, f, "REFORM_MAX_CELL_KB", f"{fmt.upper()} with a 20 KB cell")
    assert line == f"{f}:5:procedure_code: a cell of 20 KB, the limit is 16 KB (REFORM_MAX_CELL_KB)"


def test_parquet_row_groups_and_columns(base, tmp_path):
    rows = _dossier_rows(100)
    t = pa.table({h: [r[j] for r in rows] for j, h in enumerate(DHEAD.split(","))})
    f = tmp_path / "groups.parquet"
    pq.write_table(t, f, row_group_size=10)
    before = sha(base)
    r = child("import", "--db", base, f, env={"REFORM_MAX_ROW_GROUPS": "5"})
    line = refused(r, base, before, f, "REFORM_MAX_ROW_GROUPS", "Parquet of 10 row groups")
    assert line == f"{f}:1:-: 10 row groups, the limit is 5 row groups (REFORM_MAX_ROW_GROUPS)"
    r = child("import", "--db", base, f, env={"REFORM_MAX_COLUMNS": "5"})
    line = refused(r, base, before, f, "REFORM_MAX_COLUMNS", "Parquet of 6 columns")
    assert line == f"{f}:1:-: 6 columns, the limit is 5 columns (REFORM_MAX_COLUMNS)"


def test_memory_limits_end_in_one_line(base, tmp_path):
    """The OS limit (address space) and DuckDB's: an import that needs more stops with one line."""
    f = tmp_path / "d.csv"
    f.write_text("\n".join([DHEAD, *(",".join(r) for r in _dossier_rows(10))]) + "\n", encoding="utf-8")
    before = sha(base)
    for env, name in (({"REFORM_IMPORT_ADDRESS_MB": "400"}, "REFORM_IMPORT_ADDRESS_MB=400"),
                      ({"REFORM_WRITE_MEMORY_MB": "8"}, "REFORM_WRITE_MEMORY_MB=8")):
        r = child("import", "--db", base, f, env=env)
        assert r.code == 2 and "Traceback" not in r.out, r.out
        lines = r.out.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("not imported: the import needed more memory"), r.out
        assert lines[0].endswith("; nothing changed"), r.out
        assert sha(base) == before, name
        print(f"\n{name}: {lines[0]}")


def test_a_limit_variable_that_is_not_a_number(base, tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("\n".join([DHEAD, *(",".join(r) for r in _dossier_rows(1))]) + "\n", encoding="utf-8")
    r = child("import", "--db", base, f, env={"REFORM_MAX_ROWS": "many"})
    assert r.code == 2 and r.out.strip() == "not imported: REFORM_MAX_ROWS='many' is not a whole number of rows", r.out


def test_every_limit_is_in_the_readme_and_the_upload_size_in_the_config():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for lim in limits.LIMITS.values():
        assert lim.env in readme, lim.env
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 200
    assert "server.maxUploadSize" in readme


# ------------------------------------------------------------------------------------------- the upload


def _upload_folders() -> list[pathlib.Path]:
    return list(pathlib.Path(tempfile.gettempdir()).glob(f"reform-upload-{os.getpid()}-*"))


def test_an_upload_over_its_time_is_stopped_and_leaves_nothing(small_db, tmp_path, monkeypatch):
    from ui import upload
    live = tmp_path / "live.duckdb"
    shutil.copy(small_db, live)
    monkeypatch.setenv("REFORM_DB", str(live))
    monkeypatch.setenv("REFORM_IMPORT_TIMEOUT_S", "1")
    con = duckdb.connect(str(live), read_only=True)
    proc, unit = con.execute("select procedure_code, unit_code from dossiers where unit_code is not null "
                             "limit 1").fetchone()
    con.close()
    text = DHEAD + "\n" + "\n".join(f"T{i},{proc},{unit},2,2026-09-01,9" for i in range(200_000)) + "\n"
    before = sha(live)
    t0 = time.perf_counter()
    code, report = upload.run("import", [Uploaded("slow.csv", text.encode())])
    took = time.perf_counter() - t0
    assert code == 2
    assert report.splitlines()[-1] == ("stopped: the import ran for 1 s, the limit is 1 s (REFORM_IMPORT_TIMEOUT_S); "
                                       "nothing imported")
    assert took < 10
    assert sha(live) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".tmp.wal"))]
    assert not _upload_folders()        # the uploaded copy is gone


def _rss_mb() -> float:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_a_bomb_uploaded_on_the_data_page_is_refused_and_the_server_stays_small(base, tmp_path, monkeypatch):
    """The upload path: the server (this process) holds the file's bytes and reads the child's report."""
    from ui import upload
    monkeypatch.setenv("REFORM_DB", str(base))
    for k, v in SAFETY.items():
        monkeypatch.setenv(k, v)
    n = 750_000
    long = pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array(["P" * 2000]))
    codes = pc.binary_join_element_wise("B", pc.cast(pa.array(np.arange(n)), pa.string()), "")
    buf = io.BytesIO()
    pq.write_table(pa.table({"dossier_code": codes, "procedure_code": long, "received_at": codes,
                             "status_code": codes}), buf, compression="zstd")
    data = buf.getvalue()
    del long, codes, buf
    before, rss = sha(base), _rss_mb()
    code, report = upload.run("import", [Uploaded("bomb.parquet", data)])
    grew = _rss_mb() - rss
    assert code == 1, report
    assert report.splitlines()[0].startswith("bomb.parquet:1:-: more than ")
    assert "the limit is 1,024 MB (REFORM_MAX_DATA_MB)" in report.splitlines()[0]
    assert sha(base) == before and not _upload_folders()
    assert grew < 100, grew
    print(f"\nupload of a {len(data) / 2 ** 20:.1f} MB Parquet bomb: refused, the server grew by {grew:.0f} MB")


def test_an_upload_of_too_many_files_is_refused(tmp_path, monkeypatch):
    from ui import upload
    monkeypatch.setenv("REFORM_DB", str(tmp_path / "none.duckdb"))
    files = [Uploaded(f"f{i}.csv", UNITS.encode()) for i in range(11)]
    code, report = upload.run("import", files)
    assert code == 2
    assert report == "11 files in one upload, the limit is 10 files (REFORM_MAX_UPLOAD_FILES); nothing done\n"
    assert not (tmp_path / "none.duckdb").exists()


def test_the_uploaded_copy_is_deleted_whatever_the_end(tmp_path, monkeypatch):
    from ui import upload
    monkeypatch.setenv("REFORM_DB", str(tmp_path / "none.duckdb"))

    def broken(*a, **k):
        raise OSError(24, "Too many open files")
    monkeypatch.setattr(upload.subprocess, "Popen", broken)
    with pytest.raises(OSError):
        upload.run("validate", [Uploaded("u.csv", UNITS.encode())])
    assert not _upload_folders()


def test_copies_left_by_a_dead_server_are_removed_at_the_next_start(monkeypatch):
    from ui import upload
    gone = subprocess.Popen(["true"])
    gone.wait()                                  # a process id that no longer runs
    tmp = pathlib.Path(tempfile.gettempdir())
    dead = tmp / f"reform-upload-{gone.pid}-left"
    running = tmp / f"reform-upload-{os.getpid()}-running"
    stuck = tmp / f"reform-upload-{os.getpid()}-stuck"
    try:
        for d in (dead, running, stuck):
            (d / "00").mkdir(parents=True)
            (d / "00" / "personal.csv").write_text("Họ tên,Số CCCD\n", encoding="utf-8")
        old = time.time() - limits.get("timeout_s") - 120
        os.utime(stuck, (old, old))              # older than any upload may run: nobody reads it
        monkeypatch.setattr(upload, "_cleaned", False)
        upload.clean_stale_once()
        assert not dead.exists() and not stuck.exists()
        assert running.exists()                  # an upload of a live server, still within its time
    finally:
        for d in (dead, running, stuck):
            shutil.rmtree(d, ignore_errors=True)


# ------------------------------------------------------------------------------------------- hidden characters
HIDDEN = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200d", "\u200f", "\ufeff", "\u2028", "\u2029"]


@pytest.mark.parametrize("ch", HIDDEN, ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_hidden_characters_are_refused_with_row_and_column(base, tmp_path, capsys, ch):
    import unicodedata
    u = tmp_path / "u.csv"
    u.write_text(f"unit_code,name,level\nU7,Sở Tư pháp,province\nU8,Sở {ch}Nội vụ,province\n", encoding="utf-8")
    p = tmp_path / "p.csv"
    p.write_text(f"procedure_code,name,level\nP7,Cấp {ch}phép,province\n", encoding="utf-8")
    d = tmp_path / "d.csv"
    d.write_text(f"{DHEAD}\nD1,P1,U1,2,2024-01-02,9\nD{ch}2,P1,U1,2,2024-01-02,9\n", encoding="utf-8")
    before = sha(base)
    assert importer.cmd_import(str(base), None, [str(u), str(p), str(d)]) == 1
    out = capsys.readouterr().out
    what = f"hidden character U+{ord(ch):04X} {unicodedata.name(ch)}"
    assert f"{u}:3:name: {what} at character 4: 'Sở \ufffdNội vụ'" in out, out
    assert f"{p}:2:name: {what} at character 5: 'Cấp \ufffdphép'" in out, out
    assert f"{d}:3:dossier_code: {what} at character 2: 'D\ufffd2'" in out, out
    assert out.strip().splitlines()[-1].startswith("3 problem(s): nothing imported")
    assert not importer._HIDDEN_RE.search(out)      # the report itself shows none of them
    assert sha(base) == before


def test_hidden_characters_in_an_xlsx_and_in_headers(base, tmp_path, capsys):
    f = tmp_path / "u.xlsx"
    f.write_bytes(_workbook([["unit_code", "name", "level", "ghi\u202echú"], ["U9", "Sở\u200bA", "province", "x"]]))
    assert importer.cmd_import(str(base), None, [str(f)]) == 1
    out = capsys.readouterr().out
    assert f"{f}:2:name: hidden character U+200B ZERO WIDTH SPACE at character 3: 'Sở\ufffdA'" in out, out
    assert "column 'ghi\\u202echú' is not a units column" in out     # repr() shows it escaped
    assert not importer._HIDDEN_RE.search(out)


def test_names_starting_with_formula_signs_other_than_equals_are_kept(base, tmp_path, capsys):
    """+, - and @ may stay in names: downloads neutralise them (issue 13 item 5); = is refused as a
    formula without its value, as before."""
    u = tmp_path / "u.csv"
    u.write_text("unit_code,name,level\nU5,+cmd|' /C calc'!A0,province\nU6,-Sở A,province\nU7,@Sở B,province\n",
                 encoding="utf-8")
    assert importer.cmd_import(str(base), None, [str(u)]) == 0, capsys.readouterr().out
    con = duckdb.connect(str(base), read_only=True)
    names = dict(con.execute("select unit_code, name from units where unit_code in ('U5', 'U6', 'U7')").fetchall())
    con.close()
    assert names == {"U5": "+cmd|' /C calc'!A0", "U6": "-Sở A", "U7": "@Sở B"}


# ------------------------------------------------------------------------------------------- a user's mistakes
def _one_line(r: subprocess.CompletedProcess) -> str:
    text = (r.stdout + r.stderr).strip()
    assert r.returncode not in (0, None), text
    assert "Traceback" not in text, text
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


def cli(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reform", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


BAD_DB = {
    "empty": ("", "is empty (0 bytes), not a database"),
    "not duckdb": ("name,value\nx,1\n", "is not a DuckDB database file"),
    "folder": (None, "is a directory, not a database file"),
    "under a file": ("plain text", "is a file, not a folder"),
}


@pytest.mark.parametrize("cmd", ["import", "validate", "generate"])
@pytest.mark.parametrize("case", list(BAD_DB))
def test_a_bad_database_path_is_one_line_and_changes_nothing(tmp_path, cmd, case):
    content, message = BAD_DB[case]
    target = tmp_path / "target.duckdb"
    if content is None:
        target.mkdir()
    else:
        target.write_text(content, encoding="utf-8")
    db = target / "x.duckdb" if case == "under a file" else target
    u = tmp_path / "u.csv"
    u.write_text(UNITS, encoding="utf-8")
    snapshot = sorted((p.name, p.read_bytes() if p.is_file() else None) for p in tmp_path.iterdir())
    args = ["generate", "--db", db, "--scale", "0.001"] if cmd == "generate" else [cmd, "--db", db, u]
    line = _one_line(cli(*args))
    assert message in line, line
    after = sorted((p.name, p.read_bytes() if p.is_file() else None) for p in tmp_path.iterdir()
                   if not p.name.endswith(".lock"))
    assert after == snapshot


@pytest.mark.parametrize("cmd", ["import", "validate"])
def test_a_missing_file_or_a_folder_is_named_without_a_traceback(base, tmp_path, cmd):
    r = cli(cmd, "--db", base, tmp_path / "nope.csv", tmp_path)
    text = r.stdout + r.stderr
    assert r.returncode == 1 and "Traceback" not in text
    assert f"{tmp_path / 'nope.csv'}:1:-: file not found" in text
    assert f"{tmp_path}:1:-: a folder, not a file" in text


def test_report_out_without_a_folder_is_one_line(small_db, tmp_path):
    line = _one_line(cli("report", "--db", small_db, "--period", "2024Q2", "--out", tmp_path / "no" / "pack.pdf"))
    assert line == f"error: --out {tmp_path / 'no' / 'pack.pdf'}: there is no folder {tmp_path / 'no'}"
    (tmp_path / "dir.pdf").mkdir()
    line = _one_line(cli("report", "--db", small_db, "--period", "2024Q2", "--out", tmp_path / "dir.pdf"))
    assert line.endswith("a folder of that name exists")


def _tmpfs(path: pathlib.Path, size: str) -> bool:
    path.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    return r.returncode == 0


def test_a_full_disk_is_one_line_and_leaves_no_temp_file(tmp_path):
    """On a 3 MB tmpfs (needs root; skipped otherwise: the in-process test below covers the same path)."""
    disk = tmp_path / "disk"
    if not _tmpfs(disk, "3m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        u = tmp_path / "u.csv"
        u.write_text(UNITS, encoding="utf-8")
        line = _one_line(cli("import", "--db", disk / "full.duckdb", u))
        assert line.startswith("not imported: Could not write file") and "No space left on device" in line, line
        r = cli("generate", "--db", disk / "gen.duckdb", "--scale", "0.001")   # after its progress lines
        assert r.returncode == 2 and "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
        assert r.stderr.strip().splitlines()[-1].startswith("not generated: Could not write file"), r.stderr
        assert "No space left on device" in r.stderr.strip().splitlines()[-1], r.stderr
        assert sorted(p.name for p in disk.iterdir()) == [".full.duckdb.lock", ".gen.duckdb.lock"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_full_disk_in_process(base, tmp_path, capsys, monkeypatch):
    def full(*args, **kwargs):     # the last write of either path (a full build, or by difference)
        raise duckdb.IOException('IO Error: Could not write file "x.tmp": No space left on device')
    monkeypatch.setattr(rdb, "_swap", full)
    d = tmp_path / "d.csv"
    d.write_text(f"{DHEAD}\nD1,P1,U1,2,2024-01-02,9\n", encoding="utf-8")
    before = sha(base)
    assert importer.cmd_import(str(base), None, [str(d)]) == 2
    out = capsys.readouterr().out
    assert out == 'not imported: Could not write file "x.tmp": No space left on device; nothing changed\n'
    assert sha(base) == before
    assert not [p for p in base.parent.iterdir() if p.name.endswith((".tmp", ".tmp.wal"))]


def test_temp_files_of_a_dead_import_are_removed_at_the_next_start(base, tmp_path, capsys):
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = [base.with_name(f".{base.name}.{gone.pid}.deadbeef.tmp"), base.with_name(f".{base.name}.{gone.pid}.deadbeef.tmp.wal")]
    for p in stale:
        p.write_bytes(b"half a database")
    d = tmp_path / "d.csv"
    d.write_text(f"{DHEAD}\nD1,P1,NOPE,2,2024-01-02,9\n", encoding="utf-8")
    assert importer.cmd_import(str(base), None, [str(d)]) == 1     # even an import refused for its rows
    assert not any(p.exists() for p in stale)
