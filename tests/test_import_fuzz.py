"""Damaged import files, generated (DESIGN §4, §8). Each file mixes valid dossier rows with the damage an
export meets on its way to the data officer: bad and impossible dates, mm/dd where dd/mm is meant, empty
required cells, unknown codes and labels, dates out of order, duplicate keys, stray delimiters and
quotes, huge cells, formulas, Windows-1258 or UTF-16 text, files cut short, and XLSX with title rows,
headers over two merged rows, extra sheets and formulas without a value.

The test knows what it wrote. The importer must then either
- import the file, and the database holds exactly the generated rows (value by value) beside the old
  ones, with the KPI totals of compute.kpis equal to a count made here from the generated values; or
- reject it, naming the row and column of every damage, blaming no sound row, and leaving the database
  file byte for byte unchanged.
It must never raise.

CI tries REFORM_IMPORT_FUZZ_EXAMPLES files (default 40); the long run uses 1000."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import pathlib
import re
import shutil
import unicodedata

import duckdb
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from reform import compute, importer
from reform.periods import parse

EXAMPLES = int(os.environ.get("REFORM_IMPORT_FUZZ_EXAMPLES", "40"))

UNITS = "unit_code,name,level\nU1,Sở Tư pháp,province\nU3,UBND xã Tân Hưng,commune\n"
PROCEDURES = ("procedure_code,name,level,legal_days\nP1,Cấp phiếu lý lịch tư pháp,province,10\n"
              "P2,Đăng ký khai sinh,commune,1\n")
SEED = ("dossier_code,procedure_code,unit_code,channel,received_at,due_at,finished_at,status_code\n"
        "S1,P1,U1,1,2023-03-02 08:00,2023-03-10,2023-03-05 10:00,9\n"
        "S2,P2,U3,2,2023-05-02 09:30,2023-05-03,,4\n")

COLS = ("dossier_code", "procedure_code", "unit_code", "channel", "received_at", "due_at", "finished_at",
        "status_code", "rating")
REQUIRED = ("dossier_code", "procedure_code", "received_at", "status_code")
HEADERS = {
    "dossier_code": ["dossier_code", "Mã hồ sơ", "Số hồ sơ"],
    "procedure_code": ["procedure_code", "Mã TTHC", "Mã thủ tục"],
    "unit_code": ["unit_code", "Mã đơn vị", "Mã cơ quan"],
    "channel": ["channel", "Hình thức nộp", "Kênh nộp"],
    "received_at": ["received_at", "Ngày tiếp nhận"],
    "due_at": ["due_at", "Ngày hẹn trả"],
    "finished_at": ["finished_at", "Ngày hoàn thành"],
    "status_code": ["status_code", "Trạng thái"],
    "rating": ["rating", "Đánh giá"],
}
LABELS = {
    "channel": {1: ["1", "Trực tiếp", "Nộp trực tiếp", "direct"],
                2: ["2", "Trực tuyến", "online", "Dịch vụ công trực tuyến"],
                3: ["3", "Bưu chính công ích", "BCCI", "postal"]},
    "status_code": {4: ["4", "Đang xử lý"], 9: ["9", "Đã xử lý xong"], 10: ["10", "Đã trả kết quả"]},
    "rating": {None: [""], 1: ["1", "Rất hài lòng"], 2: ["2", "Hài lòng"], 3: ["3", "Không hài lòng"]},
}
TS_FORMATS = ["%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M:%S"]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# damage -> the column the rejection must name (None: the row only, for damage to the row's shape)
DAMAGES = ["bad_date", "mmdd", "empty", "unknown_code", "unknown_label", "order", "duplicate", "huge",
           "formula", "stray_delimiter", "stray_quote"]


def sha(p) -> str:
    return hashlib.sha256(pathlib.Path(p).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    d = tmp_path_factory.mktemp("fuzzbase")
    for name, text in (("u.csv", UNITS), ("p.csv", PROCEDURES), ("s.csv", SEED)):
        (d / name).write_text(text, encoding="utf-8")
    db = d / "base.duckdb"
    assert importer.cmd_import(str(db), None, [str(d / "u.csv"), str(d / "p.csv")]) == 0
    assert importer.cmd_import(str(db), None, [str(d / "s.csv")]) == 0
    return db


# ------------------------------------------------------------------------------------ the generated rows
def draw_row(draw, n: int) -> dict:
    """One sound dossier, received in 2024 (minutes), due on a day, finished or still in progress."""
    received = dt.datetime(2024, 1, 1, 7) + dt.timedelta(minutes=draw(hs.integers(0, 300 * 24 * 60)))
    due = dt.datetime.combine(received.date() + dt.timedelta(days=draw(hs.integers(0, 20))), dt.time())
    finished = draw(hs.booleans())
    return {
        "dossier_code": f"F{n}",
        "procedure_code": draw(hs.sampled_from(["P1", "P2"])),
        "unit_code": draw(hs.sampled_from(["U1", "U3"])),
        "channel": draw(hs.sampled_from([1, 2, 3])),
        "received_at": received,
        "due_at": due,
        "finished_at": received + dt.timedelta(minutes=draw(hs.integers(1, 30 * 24 * 60))) if finished else None,
        "status_code": draw(hs.sampled_from([9, 10])) if finished else 4,
        "rating": draw(hs.sampled_from([None, 1, 2, 3])),
    }


def cell_text(draw, col: str, v) -> str:
    """A sound value as an export may write it: any accepted label, date format or padding."""
    if v is None:
        return ""
    if col in LABELS:
        s = draw(hs.sampled_from(LABELS[col][v]))
    elif col == "due_at":
        s = v.strftime(draw(hs.sampled_from(DATE_FORMATS + TS_FORMATS)))
    elif isinstance(v, dt.datetime):
        s = v.strftime(draw(hs.sampled_from(TS_FORMATS)))
    else:
        s = v
    pad = draw(hs.sampled_from(["", "", " ", "  "]))
    return f"{pad}{s}{pad[:1]}"


@dataclasses.dataclass
class Damage:
    row: int            # index into the data rows
    kind: str
    col: str | None     # the column to name, None where the row's shape is damaged
    swallows: bool = False      # an opened quote: the rows after it may be read into this one


def damage_cell(draw, kind: str, row: dict, cells: dict, sound: list[dict], fmt: str) -> str | None:
    """Damage one cell of `cells` (the texts of `row`) in place; returns the column to be named."""
    if kind == "bad_date":
        cells["received_at"] = draw(hs.sampled_from(["abc", "31/02/2024", "2024-13-01", "45321",
                                                     "32/01/2024 10:00", "2024-02-30 08:00", "1/1/24"]))
        return "received_at"
    if kind == "mmdd":      # a day after the 12th written month first: no month 13+ exists
        day = draw(hs.integers(13, 28))
        cells["received_at"] = row["received_at"].replace(day=day).strftime("%m/%d/%Y %H:%M")
        return "received_at"
    if kind == "empty":
        col = draw(hs.sampled_from(REQUIRED))
        cells[col] = draw(hs.sampled_from(["", " "]))
        return col
    if kind == "unknown_code":
        col = draw(hs.sampled_from(["procedure_code", "unit_code"]))
        cells[col] = draw(hs.sampled_from(["PX", "U9", "u1", "P1 P2", "' or 1=1 --"]))
        return col
    if kind == "unknown_label":
        col, bad = draw(hs.sampled_from([("channel", "fax"), ("channel", "7"), ("status_code", "99"),
                                         ("status_code", "Đang chờ"), ("rating", "5"), ("rating", "tốt")]))
        cells[col] = bad
        return col
    if kind == "order":
        when = row["received_at"] - dt.timedelta(days=draw(hs.integers(1, 9)))
        col = draw(hs.sampled_from(["due_at", "finished_at"]))
        cells[col] = when.strftime("%d/%m/%Y %H:%M")
        return col
    if kind == "duplicate":
        cells["dossier_code"] = draw(hs.sampled_from(sound))["dossier_code"]
        return "dossier_code"
    if kind == "huge":
        col = draw(hs.sampled_from(["dossier_code", "unit_code", "channel", "received_at"]))
        cells[col] = "9" * draw(hs.integers(5_000, 32_000 if fmt == "xlsx" else 200_000))
        return col
    if kind == "formula":
        col = draw(hs.sampled_from(COLS))
        cells[col] = draw(hs.sampled_from(["=TODAY()", "=1+1", '=HYPERLINK("http://x","U1")']))
        return col
    raise AssertionError(kind)


# ------------------------------------------------------------------------------------ writing the files
_HATS = "\u0302\u0306\u031b"     # circumflex, breve, horn: precomposed with the letter in Windows-1258


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with their hat or horn precomposed (â, ă,
    ơ, ư...), tone marks as combining characters after them."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", d[0] + "".join(m for m in d[1:] if m in _HATS))
        out += base.encode("cp1258") + "".join(m for m in d[1:] if m not in _HATS).encode("cp1258")
    return bytes(out)


@dataclasses.dataclass
class Written:
    data: bytes
    fmt: str
    row_of: list[int]       # sheet/file row number of each data row
    header_cells: list[str]
    encoding: str = "utf-8"
    line_ends: list[int] | None = None      # CSV: byte offset just after each line (header first)
    line_cols: list[list[tuple[int, int]]] | None = None   # CSV: (start, end) byte span of each field
    eol_bytes: int = 1      # CSV: length of a line end in the file's encoding


def write_csv(draw, header: list[str], lines: list[list[str]], raw: set[tuple[int, int]], delim: str) -> Written:
    """lines: the data rows' cell texts; raw: (row, column) cells written as they are, unquoted."""
    eol = draw(hs.sampled_from(["\n", "\r\n"]))
    quote_all = not raw and draw(hs.booleans())
    encoding = draw(hs.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1258"]))

    def field(s: str, as_is: bool) -> str:
        if as_is:
            return s
        if quote_all or any(c in s for c in (delim, '"', "\n", "\r")):
            return '"' + s.replace('"', '""') + '"'
        return s

    enc = {"utf-8": lambda s: s.encode("utf-8"), "utf-8-sig": lambda s: s.encode("utf-8"),
           "utf-16": lambda s: s.encode("utf-16-le"), "cp1258": to_cp1258}[encoding]
    data = bytearray({"utf-8-sig": b"\xef\xbb\xbf", "utf-16": b"\xff\xfe"}.get(encoding, b""))
    ends, spans = [], []
    for i, cells in enumerate([header] + lines):
        row_spans = []
        for j, c in enumerate(cells):
            if j:
                data += enc(delim)
            start = len(data)
            data += enc(field(c, (i - 1, j) in raw))
            row_spans.append((start, len(data)))
        data += enc(eol)
        ends.append(len(data))
        spans.append(row_spans)
    return Written(bytes(data), "csv", list(range(2, len(lines) + 2)), header, encoding, ends, spans,
                   len(enc(eol)))


def write_xlsx(draw, header: list[str], lines: list[list], formulas: set[tuple[int, int]]) -> Written:
    """Title rows above the header, perhaps a header over two rows with merged cells, a notes sheet
    before the data and a summary sheet after it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if draw(hs.booleans()):
        notes = ws
        notes.title = "Ghi chú"
        notes.append(["Xuất từ hệ thống thông tin giải quyết TTHC"])
        ws = wb.create_sheet("Hồ sơ")
    else:
        ws.title = "Hồ sơ"
    titles = draw(hs.integers(0, 2))
    for k in range(titles):
        ws.append([["DANH SÁCH HỒ SƠ", "Quý 2/2024"][k]])
    if titles:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    two_rows = draw(hs.booleans())
    if two_rows:    # the date columns under a group title, the others merged over both rows
        dates = [j for j, h in enumerate(header) if h in HEADERS["received_at"] + HEADERS["due_at"]
                 + HEADERS["finished_at"]]
        top = [None if j in dates else h for j, h in enumerate(header)]
        top[dates[0]] = "Thời gian"
        bottom = [h if j in dates else None for j, h in enumerate(header)]
        ws.append(top)
        ws.append(bottom)
        r = titles + 1
        for j in range(len(header)):
            if j not in dates:
                ws.merge_cells(start_row=r, start_column=j + 1, end_row=r + 1, end_column=j + 1)
    else:
        ws.append(header)
    first = titles + (2 if two_rows else 1) + 1
    for cells in lines:
        ws.append(cells)
    if draw(hs.booleans()):
        summary = wb.create_sheet("Tổng hợp")
        summary.append(["Mã đơn vị", "Số hồ sơ"])
        summary.append(["U1", len(lines)])
    buf = io.BytesIO()
    wb.save(buf)
    return Written(buf.getvalue(), "xlsx", [first + k for k in range(len(lines))], header)


def xlsx_value(draw, col: str, v, text: str):
    """A sound cell as Excel holds it: dates as dates, numbers as numbers, or the text itself."""
    if isinstance(v, dt.datetime) and draw(hs.booleans()):
        return v
    if isinstance(v, int) and text.strip().isdigit() and draw(hs.booleans()):
        return v
    return text or None


# ------------------------------------------------------------------------------------ the test
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(hs.data())
def test_damaged_file_is_imported_exactly_or_rejected_by_row_and_column(template, tmp_path_factory, data):
    draw = data.draw
    tmp = tmp_path_factory.mktemp("fuzz")
    db = tmp / "reform.duckdb"
    shutil.copy(template, db)
    fmt = draw(hs.sampled_from(["csv", "csv", "csv", "xlsx"]), label="format")
    n = draw(hs.integers(1, 12), label="rows")
    rows = [draw_row(draw, k) for k in range(n)]
    order = draw(hs.permutations(COLS), label="column order")
    header = [draw(hs.sampled_from(HEADERS[c])) for c in order]
    cells = [{c: cell_text(draw, c, r[c]) for c in COLS} for r in rows]

    # damage: at most one per row; a duplicate copies the code of an earlier sound row
    delim = draw(hs.sampled_from([",", ";", "\t"]), label="delimiter")
    kinds = DAMAGES if fmt == "csv" else [k for k in DAMAGES if k != "stray_delimiter"]
    damaged = draw(hs.dictionaries(hs.integers(0, n - 1), hs.sampled_from(kinds), max_size=3), label="damage")
    damages: list[Damage] = []
    raw: set[tuple[int, int]] = set()
    formulas: set[tuple[int, int]] = set()
    for i in sorted(damaged):
        kind = damaged[i]
        sound = [rows[k] for k in range(i) if k not in damaged]
        if kind == "duplicate" and not sound:
            continue
        if kind == "order" and rows[i]["finished_at"] is None:
            kind = "bad_date"
        if kind in ("stray_delimiter", "stray_quote"):
            col = draw(hs.sampled_from([c for c in COLS if cells[i][c].strip()]))
            s = cells[i][col]
            if fmt == "xlsx" or kind == "stray_delimiter":
                at = draw(hs.integers(1, len(s) - 1)) if len(s) > 1 else 1
                mark = '"' if kind == "stray_quote" else None
            else:
                at = draw(hs.integers(0, len(s)))
                mark = '"'
            if mark is None:
                mark = delim
            cells[i][col] = s[:at] + mark + s[at:]
            if fmt == "csv":
                raw.add((i, order.index(col)))
            opened = fmt == "csv" and kind == "stray_quote" and at == 0 and s[:at].strip() == ""
            damages.append(Damage(i, kind, None if fmt == "csv" else col, swallows=opened))
            continue
        col = damage_cell(draw, kind, rows[i], cells[i], sound, fmt)
        if kind == "formula" and fmt == "xlsx":
            formulas.add((i, order.index(col)))
        damages.append(Damage(i, kind, col))

    if fmt == "csv":
        lines = [[cells[i][c] for c in order] for i in range(n)]
        w = write_csv(draw, header, lines, raw, delim)
    else:
        lines = [[xlsx_value(draw, c, rows[i][c], cells[i][c]) if not any(
            d.row == i and d.col == c for d in damages) else (cells[i][c] or None) for c in order]
            for i in range(n)]
        w = write_xlsx(draw, header, lines, formulas)

    # a file cut short: anywhere after the header
    cut_row = None
    present = n
    if draw(hs.integers(0, 4), label="cut?") == 0:
        if fmt == "csv":
            at = draw(hs.integers(w.line_ends[0] + 1, len(w.data)), label="cut at")
            w.data = w.data[:at]
            # a row is whole when its line break has begun ("\r" of "\r\n" is enough): nothing is lost
            char = 2 if w.encoding == "utf-16" else 1
            full = sum(1 for e in w.line_ends[1:] if at >= e - w.eol_bytes + char)
            present = full
            rest = w.data[w.line_ends[full]:] if full < n else b""
            tail = rest.decode("utf-16-le", errors="ignore") if w.encoding == "utf-16" else rest.decode(
                "latin-1")
            if tail.strip(" \r\n\x00"):
                cut_row = w.row_of[full]
        else:
            w.data = w.data[:draw(hs.integers(10, len(w.data) - 1), label="cut at")]
            cut_row = 1

    path = tmp / f"hồ sơ.{fmt}"
    path.write_bytes(w.data)
    before = sha(db)
    out = io.StringIO()
    rc = importer.run_import(str(db), None, [str(path)], out=out)
    report = out.getvalue()
    blamed = {(int(m[1]), m[2]) for m in re.finditer(rf"^{re.escape(str(path))}:(\d+):([^:\n]*): ", report,
                                                        re.MULTILINE)}
    name_of = dict(zip(order, header))

    # what must be named, and what may be
    must: list[tuple[int, str | None]] = []
    may_rows: set[int] = set()
    swallowed_from = min((w.row_of[d.row] for d in damages if d.swallows), default=None)
    reject = False          # rejected, the rows it names being uncertain (see below)
    if fmt == "xlsx" and cut_row == 1:
        must, may_rows = [(1, "-")], {1}
    elif fmt == "csv" and w.encoding == "cp1258" and any(b >= 0x80 for b in w.data):
        first = next(k for k, b in enumerate(w.data) if b >= 0x80)
        line = next(k for k, e in enumerate(w.line_ends) if first < e) if first < w.line_ends[-1] else len(
            w.line_ends) - 1
        j = next((k for k, (s, e) in enumerate(w.line_cols[line]) if first < e), None)
        col = header[j] if line and j is not None and j < len(header) else None
        if swallowed_from is not None and swallowed_from < line + 1:
            # a quote opened before the first legacy byte: the record holding it starts at the quote
            reject, may_rows = True, {r for r in w.row_of if r >= swallowed_from}
        else:
            must, may_rows = [(line + 1, col)], {line + 1}
    else:
        for d in damages:
            r = w.row_of[d.row]
            if d.row >= present or (swallowed_from is not None and r > swallowed_from):
                continue
            must.append((r, name_of[d.col] if d.col else None))
            may_rows.add(r)
        if cut_row is not None and (swallowed_from is None or cut_row <= swallowed_from):
            must.append((cut_row, None))
            may_rows.add(cut_row)
        if swallowed_from is not None:
            may_rows |= {r for r in w.row_of if r >= swallowed_from}
        if not present and cut_row is None:       # cut right after the header: no data rows
            must, may_rows = [(2, None)], {2}

    if not must and not reject:        # a sound file (perhaps cut at a line end): imported exactly
        assert rc == 0, report
        con = duckdb.connect(str(db), read_only=True)
        try:
            got = con.execute(f"select {', '.join(COLS)} from dossiers where dossier_code like 'F%' "
                              "order by dossier_code").fetchall()
            seeds = con.execute("select count(*) from dossiers where dossier_code like 'S%'").fetchall()[0][0]
            kpi = compute.kpis(con, parse("2024"))[0]
        finally:
            con.close()
        kept = rows[:present]
        assert got == sorted([tuple(r[c] for c in COLS) for r in kept]), report
        assert seeds == 2
        outcome = lambda r: (r["finished_at"].date() > r["due_at"].date()) - (  # noqa: E731
            r["finished_at"].date() < r["due_at"].date())
        done = [r for r in kept if r["finished_at"] is not None]
        assert (kpi["F01"], kpi["F04o"], kpi["F07"], kpi["F08"], kpi["F09"]) == (
            len(kept), sum(r["channel"] == 2 for r in kept), sum(outcome(r) < 0 for r in done),
            sum(outcome(r) == 0 for r in done), sum(outcome(r) > 0 for r in done)), report
    else:               # rejected: every damage named at its row and column, no sound row blamed
        assert rc == 1, report
        assert sha(db) == before
        for r, col in must:
            assert any(br == r and (col is None or bc == col) for br, bc in blamed), (r, col, report, w.data[:600])
        assert {br for br, _ in blamed} <= may_rows, report
