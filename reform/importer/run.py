"""Import and validate units, procedures, dossiers, indicators and unit mapping files (DESIGN §4, §8).

    python -m reform import   [--db PATH] [--kind KIND] FILE...
    python -m reform validate [--db PATH] [--kind KIND] FILE...

Pipeline, all vectorized (no per-row Python except the cells openpyxl hands over for XLSX, and the
exact CSV fallback for files with blank lines, line breaks inside values or ragged rows):
1. read each file into an Arrow table of strings with its spreadsheet row number (header = row 1, first
   data row = 2): CSV with pyarrow (all columns as strings, delimiter sniffed, BOM skipped), XLSX with
   openpyxl (first sheet), Parquet with pyarrow (typed columns turned into text by DuckDB);
2. map the headers (canonical or Vietnamese, see reform.headers), drop personal-data columns (never
   staged), note unknown ones, guess the kind;
3. trim the cells (Arrow compute), map coded labels once per distinct value, parse dates and numbers in
   DuckDB SQL into one staging table per kind, then list every problem with one SQL query per kind
   (empty required cells, bad dates, unknown labels, dates out of order, duplicate keys, unknown
   unit/procedure codes against the database plus the batch);
4. if there is no problem, upsert by key (delete rows with the batch's keys, insert) and log each file
   in import_log.

Import runs inside reform.db.rebuild(): the work happens in a new database file that replaces the live
one only at the end, so a bad batch, an exception or a killed process leaves the live file untouched.
All values are bound or registered as Arrow data, never formatted into SQL.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import getpass
import io
import os
import pathlib
import re
import sys
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from reform import db as rdb
from reform import limits, restructure, write_scope, writelock
from reform.headers import (
    COLUMNS,
    DEFAULTS,
    DOMAIN_NAMES,
    HEADER_MAP,
    KEYS,
    KINDS,
    LABEL_SQL_TYPE,
    LABELS,
    REFERENCES,
    REQUIRED,
    TABLES,
    guess_kind,
    is_pii,
    norm,
    vietnamese_names,
)
from reform.limits import MAX_PROBLEMS_SHOWN

# longest accepted code and text cells: a longer one is a damaged file (a quote left open swallows
# the rows after it), not a dossier code or a name
MAX_CHARS = {"code": 100, "text": 2000}
# invisible and direction-changing characters: bidi embeddings, overrides and isolates, zero-width
# characters and marks, a byte-order mark inside text, line and paragraph separators. U+202E shows the
# rest of a name reversed, a zero-width space makes two codes look equal: refused in every code and
# text cell (issue 13 item 4), and shown as U+FFFD wherever the report quotes what the file holds
HIDDEN = "\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\u2028\u2029"
_HIDDEN_RE = re.compile(f"[{HIDDEN}]")
_HIDDEN_POINTS = [c for c in range(0x2000, 0x10000) if _HIDDEN_RE.match(chr(c))]
_HIDDEN_SQL = "[" + "".join(f"\\x{{{c:04X}}}" for c in _HIDDEN_POINTS) + "]"    # RE2 syntax


class Abort(Exception):
    """Raised inside rebuild() to discard the new file when the batch has problems."""


@dataclasses.dataclass
class Report:
    problems: list[tuple] = dataclasses.field(default_factory=list)   # (file, row, column, reason)
    notices: list[str] = dataclasses.field(default_factory=list)
    extra_problems: int = 0     # problems counted but not listed (beyond MAX_PROBLEMS_SHOWN)

    def problem(self, file: str, row, column: str, reason: str) -> None:
        self.problems.append((file, row, column, reason))

    def notice(self, msg: str) -> None:
        self.notices.append(msg)

    @property
    def n_problems(self) -> int:
        return len(self.problems) + self.extra_problems

    def print(self, out=None) -> None:
        out = out or sys.stdout
        for n in self.notices:
            print(visible(f"notice: {n}"), file=out)
        for f, r, c, reason in self.problems:
            print(visible(f"{f}:{r}:{c}: {reason}"), file=out)
        if self.extra_problems:
            print(f"... and {self.extra_problems} more problems not listed "
                  f"(first {MAX_PROBLEMS_SHOWN} shown)", file=out)


def visible(text: str) -> str:
    """The text with every hidden character (HIDDEN) shown as U+FFFD, so a header or a file name from
    the file cannot reorder or hide the report's own words."""
    return _HIDDEN_RE.sub("\ufffd", text)


@dataclasses.dataclass
class Loaded:
    """One file read and mapped: `table` has columns r (row number) and c0..cN (original order)."""
    idx: int
    name: str                       # as given on the command line
    fmt: str
    table: pa.Table
    headers: list[str]
    kind: str | None = None
    columns: dict[str, int] = dataclasses.field(default_factory=dict)   # canonical -> position


# ---------------------------------------------------------------------------------------------- reading
def _file_format(path: pathlib.Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    ext = path.suffix.lower()
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext in (".parquet", ".pq"):
        return "parquet"
    return "csv"


def read_file(idx: int, name: str, rep: Report) -> Loaded | None:
    path = pathlib.Path(name)
    if path.is_dir():
        rep.problem(name, 1, "-", "a folder, not a file")
        return None
    if not path.is_file():
        rep.problem(name, 1, "-", "file not found")
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as e:
        rep.problem(name, 1, "-", f"cannot open: {e.strerror or _short(e)}")
        return None
    fmt = _file_format(path, head)
    try:
        if fmt == "xls":
            rep.problem(name, 1, "-", "old binary .xls workbooks are not supported: save as .xlsx or CSV")
            return None
        if fmt == "xlsx":
            res = _read_xlsx(path, name, rep)
        elif fmt == "parquet":
            res = _read_parquet(path)
        else:
            res = _read_csv(path, name, rep)
        if res is not None:
            _check_read(res[0], res[1])
    except limits.Exceeded as e:
        rep.problem(name, e.row, e.column, str(e))
        return None
    except (MemoryError, pa.ArrowMemoryError, duckdb.OutOfMemoryException):
        rep.problem(name, 1, "-", limits.memory_message())
        return None
    except limits.BadLimit:
        raise
    except Exception as e:      # noqa: BLE001 - any reader failure is a problem with the file
        rep.problem(name, 1, "-", f"cannot read as {fmt.upper()}: {_short(e)}")
        return None
    if res is None:
        return None
    headers, table, fmt_desc = res
    if fmt == "parquet":
        table = _typed_to_text(table)
    if not headers or all(not str(h).strip() for h in headers):
        rep.problem(name, 1, "-", "empty file: no header row")
        return None
    if table.num_rows == 0:
        rep.problem(name, 2, "-", "no data rows (header only)")
        return None
    return Loaded(idx, name, fmt_desc, table, [str(h) if h is not None else "" for h in headers])


def _check_read(headers: list, table: pa.Table) -> None:
    """The limits on what a file holds, once read: columns, rows, the longest cell (named at its row
    and column). The readers check what they can before reading (sizes, counts in the metadata)."""
    limits.check("columns", len(headers), f"{limits.n(len(headers))} columns")
    limits.check("rows", table.num_rows, f"{limits.n(table.num_rows)} data rows")
    cap = limits.get("cell_kb") * 1024
    for j, h in enumerate(headers):
        name = f"c{j}"
        if name not in table.column_names:
            continue
        col = table.column(name)
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)
                or pa.types.is_binary(col.type)):
            continue
        lengths = pc.binary_length(col)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > cap:
            at = pc.index(pc.greater(lengths, cap), True).as_py()
            row = table.column("r")[at].as_py()
            limits.check("cell_kb", longest, f"a cell of {limits.n(-(-longest // 1024))} KB", row=row,
                         column=str(h or f"column {j + 1}"), scale=1024)


def _short(e: BaseException) -> str:
    s = str(e).strip().splitlines()
    return (s[0] if s else type(e).__name__)[:200]


def _sniff_delimiter(line: str) -> str:
    counts = {d: 0 for d in (",", ";", "\t")}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv(path: pathlib.Path, name: str, rep: Report):
    size = path.stat().st_size
    limits.check("data_mb", size, f"{limits.mb(size)} MB", scale=2 ** 20)
    data = path.read_bytes()
    encoding = ""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):     # UTF-16 with its byte-order mark (Excel "Unicode text")
        try:        # an odd last byte is half a character cut off: the cut-short check names the row
            data = data[:len(data) - len(data) % 2].decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as e:
            rep.problem(name, 1, "-", f"broken UTF-16 text (byte {e.start}): save the file as CSV UTF-8")
            return None
        encoding = ", UTF-16"
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if not data[start:].strip():
        rep.problem(name, 1, "-", "empty file")
        return None
    if b"\x00" in data[:65536]:
        rep.problem(name, 1, "-", "not a text CSV file (binary data); expected CSV, XLSX or Parquet")
        return None
    view = memoryview(data)[start:]
    try:
        head_text = bytes(view[:65536]).decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < 65536 - 4:     # not merely a character cut at the end of the sample
            _not_utf8(view, e.start, name, rep)
            return None
        head_text = bytes(view[:e.start]).decode("utf-8")
    first_line = head_text.split("\n", 1)[0]
    delim = _sniff_delimiter(first_line)
    _check_header_width(view, delim)
    header = next(csv.reader(io.StringIO(head_text), delimiter=delim), [])
    ncol = len(header)
    desc = f"CSV{encoding}, delimiter {'TAB' if delim == chr(9) else repr(delim)}"

    table, last_row = None, None
    nl = data.count(b"\n")
    if ncol:
        invalid = []

        def on_invalid(row):
            invalid.append(row)
            return "skip"
        try:
            t = pacsv.read_csv(
                pa.BufferReader(view),
                read_options=pacsv.ReadOptions(column_names=[f"c{i}" for i in range(ncol)], skip_rows=1,
                                               block_size=16 << 20),
                parse_options=pacsv.ParseOptions(delimiter=delim, quote_char='"', double_quote=True,
                                                  newlines_in_values=False,
                                                  invalid_row_handler=on_invalid),
                convert_options=pacsv.ConvertOptions(
                    column_types={f"c{i}": pa.string() for i in range(ncol)}, strings_can_be_null=False,
                    quoted_strings_can_be_null=False))
        except (pa.ArrowInvalid, pa.ArrowException):
            t = None
        # the fast path is exact only if every physical line after the header is one record
        ends_nl = data.endswith(b"\n")
        if t is not None and not invalid and nl == t.num_rows + (1 if ends_nl else 0):
            rows = pa.array(range(2, t.num_rows + 2), pa.int64()) if t.num_rows else pa.array([], pa.int64())
            table = t.append_column("r", rows)
    if table is None:
        table, last_row = _read_csv_exact(view, delim, ncol, name, rep)
        if table is None:
            return None
    if table.num_rows and not data.rstrip(b" \t").endswith((b"\n", b"\r")):
        _cut_short(table, header, name, rep, last_row)
    return header, table, desc


def _check_header_width(view, delim: str) -> None:
    """Count the header's columns before anything splits it: a header row of millions of delimiters
    (a few MB of ",,,,") would otherwise become millions of columns in every reader."""
    data = bytes(view[:1 << 20]) if len(view) > 1 << 20 else bytes(view)
    end = data.find(b"\n")
    if end < 0 and len(view) > len(data):       # the first line runs past the first MB: read it all
        data = bytes(view)
        end = data.find(b"\n")
    line = data[:end] if end >= 0 else data
    if len(line) < limits.get("columns"):       # fewer characters than the limit: fewer columns too
        return
    count = re.sub(rb'"[^"]*"', b"", line).count(delim.encode()) + 1
    limits.check("columns", count, f"{limits.n(count)} columns in the header row")


def _cut_short(table: pa.Table, header: list[str], name: str, rep: Report, last_row: int | None) -> None:
    """A complete export ends with a line break; without one, the last row may have been cut in the
    middle of a value (an interrupted copy or download), which no cell check can see. Named at the
    last cell the row still has (last_row: the last record, when it was left out as malformed)."""
    last = table.slice(table.num_rows - 1).to_pylist()[0]
    filled = [j for j in range(len(header)) if last.get(f"c{j}") not in (None, "")]
    col = header[filled[-1]] if filled else "-"
    if last_row is not None and last_row != last["r"]:
        col = "-"
    rep.problem(name, last_row or last["r"], col, "the file ends without a line break, in this row: it looks cut short "
                "(a complete export ends with a line break; if the file is complete, add one at its end)")


def _not_utf8(view, at: int, name: str, rep: Report) -> None:
    """Report the first byte that is not UTF-8 at its row and column."""
    data = bytes(view)
    prefix = data[:at].decode("utf-8")
    delim = _sniff_delimiter(prefix.split("\n", 1)[0]) if "\n" in prefix else ","
    try:
        records = list(csv.reader(io.StringIO(prefix, newline=""), delimiter=delim))
    except csv.Error:
        records = [ln.split(delim) for ln in prefix.split("\n")]
    if not records or prefix.endswith(("\n", "\r")):
        records.append([""])            # the bad byte starts a new row
    row, field = len(records), len(records[-1]) - 1
    header = records[0] if row > 1 else []
    col = header[field].strip() if field < len(header) and header[field].strip() else f"column {field + 1}"
    legacy = " (Windows-1258, TCVN3 or another legacy encoding?)" if data[at] >= 0x80 else ""
    rep.problem(name, row, col, f"not UTF-8 text: byte 0x{data[at]:02X}{legacy}; "
                "save the file as CSV UTF-8")


def _read_csv_exact(view, delim: str, ncol: int, name: str, rep: Report):
    """Slow, exact path for files with blank lines, line breaks inside values or ragged rows:
    the Python csv module, so that each record keeps the row number a spreadsheet shows.
    Returns (table, row number of the last record), (None, None) if nothing could be read."""
    try:
        text = bytes(view).decode("utf-8")
    except UnicodeDecodeError as e:
        _not_utf8(view, e.start, name, rep)
        return None, None
    # the csv module refuses fields over 128 KiB; the checks name a huge cell at its row and column instead
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header = next(reader, [])
    ncol = len(header)
    # a row with more fields than the header, or fewer than its named columns, has lost or gained a
    # delimiter or a quote: its values would land in the wrong columns
    named = max((j + 1 for j, h in enumerate(header) if h.strip()), default=0)
    cols = [[] for _ in range(ncol)]
    rows = []
    bad = False
    last = None
    max_rows = limits.get("rows")
    limits.check("columns", ncol, f"{limits.n(ncol)} columns")
    for i, rec in enumerate(reader, start=2):
        last = i        # even a blank one: a file cut after a lone quote or delimiters ends in it
        if not rec or all(not v.strip() for v in rec):
            continue
        if len(rows) >= max_rows:
            limits.check("rows", len(rows) + 1, f"more than {limits.n(max_rows)} data rows", row=i)
        if len(rec) > ncol or len(rec) < named:
            rep.problem(name, i, "-", f"row has {len(rec)} fields, the header has {ncol}: a delimiter or "
                        "a quote too many or missing?")
            bad = True
            continue
        rows.append(i)
        for j in range(ncol):
            cols[j].append(rec[j] if j < len(rec) else None)
    if bad and not rows:
        return None, None
    arrays = {f"c{j}": pa.array(cols[j], pa.string()) for j in range(ncol)}
    arrays["r"] = pa.array(rows, pa.int64())
    return pa.table(arrays), last


def _cell_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, dt.datetime):
        return v.replace(microsecond=0).isoformat(" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return str(v)


HEADER_SCAN = 20     # rows of a sheet searched for the header row (title rows above it are skipped)


def _header_score(cells: list[str], kind: str) -> int:
    return len({HEADER_MAP[kind][norm(c)] for c in cells if norm(c) in HEADER_MAP[kind]})


def _find_header(ws) -> tuple[int, list[str], int] | None:
    """(header row, header cells, first data row) of a sheet: the first row among the top HEADER_SCAN
    that names a kind's columns, title rows above it skipped. A header spread over two rows (cells
    merged across rows, or group titles above the column names) is read as one: the lower row's cell
    where it has one, else the upper's. Without a recognisable row: the first non-empty one."""
    top = [[_cell_text(v) or "" for v in rec] for rec in ws.iter_rows(min_row=1, max_row=HEADER_SCAN,
                                                                       values_only=True)]
    first = None
    for i, cells in enumerate(top, start=1):
        if not any(c.strip() for c in cells):
            continue
        first = first or (i, cells, i + 1)
        kind = guess_kind(cells)
        if kind is None:
            continue
        if i < len(top):
            below = top[i] + [""] * max(0, len(cells) - len(top[i]))
            both = [b if b.strip() else (cells[j] if j < len(cells) else "") for j, b in enumerate(below)]
            if _header_score(both, kind) > _header_score(cells, kind):
                return i, both, i + 2
        return i, cells, i + 1
    return first


def _formula_cells(path: pathlib.Path, ws, header_row: int, ncol: int) -> dict[tuple[int, int], str]:
    """Cells holding a formula without a computed value, {(row, column index): formula}. Excel saves the
    value with the formula; files written by programs often do not, and reading them would turn the
    cell into an empty one. The second read happens only if the sheet's XML has a formula at all."""
    import zipfile

    import openpyxl
    sheet_xml = getattr(ws, "_worksheet_path", None)    # read-only sheets know their part in the zip
    if sheet_xml:
        with zipfile.ZipFile(path) as z, z.open(sheet_xml) as fh:
            if not any(b"<f>" in chunk or b"<f " in chunk for chunk in iter(lambda: fh.read(1 << 20), b"")):
                return {}
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        out = {}
        for i, rec in enumerate(wb[ws.title].iter_rows(min_row=header_row + 1, values_only=True),
                                start=header_row + 1):
            for j, v in enumerate(rec[:ncol]):
                if isinstance(v, str) and v.startswith("="):
                    out[(i, j)] = v
        return out
    finally:
        wb.close()


_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")


def _check_xlsx(path: pathlib.Path) -> None:
    """An XLSX is a zip of XML parts: a few MB can unpack into gigabytes that openpyxl parses for
    minutes, and every shared string becomes a Python object before the first row is read. So the
    parts are counted and their unpacked sizes added from the zip's directory (zipfile never unpacks
    a part beyond the size it declares), and the shared strings counted by streaming through the parts,
    all before openpyxl opens the file."""
    import zipfile
    with open(path, "rb") as fh:        # the number of parts, from the end record, before zipfile lists them
        fh.seek(0, os.SEEK_END)
        fh.seek(max(0, fh.tell() - 65_557))
        tail = fh.read()
    end = tail.rfind(b"PK\x05\x06")
    if end >= 0 and len(tail) >= end + 12:
        parts = int.from_bytes(tail[end + 10:end + 12], "little")      # 0xFFFF: ZIP64, more than that
        limits.check("xlsx_parts", parts, f"{'at least ' if parts == 0xFFFF else ''}{limits.n(parts)} parts")
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        limits.check("xlsx_parts", len(infos), f"{limits.n(len(infos))} parts")
        unpacked = sum(i.file_size for i in infos)
        limits.check("xlsx_mb", unpacked, f"{limits.mb(unpacked)} MB of XML when unpacked", scale=2 ** 20)
        cap = limits.get("xlsx_strings")
        for info in infos:
            count, carry = 0, b""
            with z.open(info) as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    buf = carry + chunk
                    cut = buf.rfind(b"<", max(0, len(buf) - 64))    # a tag cut by the chunk: counted next time
                    cut = len(buf) if cut < 0 else cut
                    count += sum(1 for _ in _SHARED_STRING.finditer(buf, 0, cut))
                    carry = buf[cut:]
                    if count > cap:
                        break
            count += sum(1 for _ in _SHARED_STRING.finditer(carry))
            limits.check("xlsx_strings", count, f"{'at least ' if count > cap else ''}"
                         f"{limits.n(count)} shared strings in {info.filename}")


def _read_xlsx(path: pathlib.Path, name: str, rep: Report):
    import openpyxl
    _check_xlsx(path)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if not wb.worksheets:
            rep.problem(name, 1, "-", "workbook has no sheet")
            return None
        found = [(ws, _find_header(ws)) for ws in wb.worksheets]
        ws, head = next(((w, h) for w, h in found if h and guess_kind(h[1])), found[0])
        if head is None:
            rep.problem(name, 1, "-", "empty workbook: the first sheet has no header row")
            return None
        header_row, header, data_row = head
        while header and not header[-1].strip():
            header.pop()
        others = [w.title for w, _ in found if w is not ws]
        if others:
            rep.notice(f"{name}: read sheet {ws.title!r}; other sheets ignored: {', '.join(map(repr, others))}")
        if header_row > 1 or data_row > header_row + 1:
            rows_txt = f"{header_row}" if data_row == header_row + 1 else f"{header_row}-{data_row - 1}"
            rep.notice(f"{name}: header in row {rows_txt} of sheet {ws.title!r}; rows above it skipped")
        limits.check("columns", len(header), f"{limits.n(len(header))} columns")
        cols: list[list] = [[] for _ in header]
        rows: list[int] = []
        max_rows = limits.get("rows")
        for i, rec in enumerate(ws.iter_rows(min_row=data_row, values_only=True), start=data_row):
            vals = [_cell_text(v) for v in rec[:len(header)]]
            if not any(v is not None and v.strip() for v in vals):
                continue
            if len(rows) >= max_rows:
                limits.check("rows", len(rows) + 1, f"more than {limits.n(max_rows)} data rows", row=i)
            rows.append(i)
            for j in range(len(header)):
                cols[j].append(vals[j] if j < len(vals) else None)
        formulas = _formula_cells(path, ws, data_row - 1, len(header))
    finally:
        wb.close()
    at = {r: k for k, r in enumerate(rows)}     # a row left out as blank had no value in any cell
    for (i, j), f in sorted(formulas.items()):
        if i not in at or cols[j][at[i]] is None:
            rep.problem(name, i, header[j] or f"column {j + 1}",
                        f"formula {f[:60]!r} without a computed value: open and save the file in Excel, "
                        "or paste the values")
    arrays = {f"c{j}": pa.array(c, pa.string()) for j, c in enumerate(cols)}
    arrays["r"] = pa.array(rows, pa.int64())
    return header, pa.table(arrays), f"XLSX, sheet {ws.title!r}"


def _read_parquet(path: pathlib.Path):
    """Parquet compresses well: a column of one long string repeated is a few bytes per row on disk
    and gigabytes in memory. The metadata bounds columns, row groups, rows and the uncompressed size;
    text columns are then read still dictionary-encoded, one row group at a time, and their decoded
    size and longest cell measured on the dictionary before any is decoded."""
    pf = pq.ParquetFile(path)
    md = pf.metadata
    limits.check("columns", md.num_columns, f"{limits.n(md.num_columns)} columns")
    limits.check("row_groups", md.num_row_groups, f"{limits.n(md.num_row_groups)} row groups")
    limits.check("rows", md.num_rows, f"{limits.n(md.num_rows)} data rows")
    raw = sum(md.row_group(i).total_byte_size for i in range(md.num_row_groups))
    limits.check("data_mb", raw, f"{limits.mb(raw)} MB of data uncompressed", scale=2 ** 20)
    schema = pf.schema_arrow
    nested = [f.name for f in schema if pa.types.is_nested(f.type)]
    if nested:
        raise ValueError(f"column {nested[0]!r} holds lists or records ({schema.field(nested[0]).type}): "
                         "expected text, numbers or dates")
    text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
            or pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)]
    pf = pq.ParquetFile(path, read_dictionary=text)
    cell_cap, data_cap = limits.get("cell_kb") * 1024, limits.get("data_mb") * 2 ** 20
    total, first, groups = 0, 0, []
    for g in range(md.num_row_groups):
        t = pf.read_row_group(g)
        for j, f in enumerate(t.schema):
            col = t.column(j)
            if not pa.types.is_dictionary(f.type):
                total += col.nbytes
                continue
            at = 0
            for chunk in col.chunks:
                lengths = pc.take(pc.binary_length(chunk.dictionary), chunk.indices)
                total += pc.sum(lengths).as_py() or 0
                longest = pc.max(lengths).as_py()
                if longest is not None and longest > cell_cap:
                    row = first + at + pc.index(pc.greater(lengths, cell_cap), True).as_py() + 2
                    limits.check("cell_kb", longest, f"a cell of {limits.n(-(-longest // 1024))} KB",
                                 row=row, column=f.name, scale=1024)
                at += len(chunk)
            if total > data_cap:
                limits.check("data_mb", total, f"more than {limits.mb(total)} MB of data decoded", scale=2 ** 20)
        groups.append(t.cast(pa.schema([pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type)
                                        else f for f in t.schema])))
        first += t.num_rows
    t = pa.concat_tables(groups) if groups else schema.empty_table()
    header = list(t.column_names)
    t = t.rename_columns([f"c{i}" for i in range(len(header))])
    t = t.append_column("r", pa.array(range(2, t.num_rows + 2), pa.int64()))
    return header, t, "Parquet"


# ---------------------------------------------------------------------------------------------- headers
def map_columns(lf: Loaded, kind_opt: str | None, rep: Report) -> bool:
    kind = kind_opt or guess_kind(lf.headers)
    if kind is None:
        rep.problem(lf.name, 1, "-", "cannot tell what this file holds (no dossier_code/Mã hồ sơ, "
                    "procedure_code/Mã TTHC, unit_code/Mã đơn vị, indicator_code/Mã chỉ số or "
                    "old_code/Mã đơn vị cũ column); "
                    "check the header row or pass --kind")
        return False
    lf.kind = kind
    hmap = HEADER_MAP[kind]
    ok = True
    for pos, h in enumerate(lf.headers):
        key = norm(h)
        if not key:
            continue
        col = hmap.get(key)
        if col is not None:
            if col in lf.columns:
                rep.problem(lf.name, 1, h, f"second column for {col} (already given by "
                            f"{lf.headers[lf.columns[col]]!r})")
                ok = False
            else:
                lf.columns[col] = pos
        elif is_pii(h):
            rep.notice(f"{lf.name}: column {h!r} looks like personal data: dropped, never stored")
        else:
            rep.notice(f"{lf.name}: column {h!r} is not a {kind} column: ignored")
    for col in REQUIRED[kind]:
        if col not in lf.columns:
            vi = vietnamese_names(kind, col)
            alt = f" (or {' / '.join(repr(v.capitalize()) for v in vi)})" if vi else ""
            rep.problem(lf.name, 1, col, f"missing required column {col}{alt}")
            ok = False
    return ok


# ---------------------------------------------------------------------------------------------- staging
def _to_text_sql(col: str, typ: pa.DataType) -> str:
    """DuckDB expression turning a typed (Parquet) column into the text a CSV would hold."""
    c = f'"{col}"'
    if pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_string_view(typ):
        return c
    if pa.types.is_timestamp(typ):
        if typ.tz is not None:
            c = f"timezone('UTC', {c})"
        return f"strftime({c}::timestamp, '%Y-%m-%d %H:%M:%S')"
    if pa.types.is_date(typ):
        return f"strftime({c}::date, '%Y-%m-%d')"
    if pa.types.is_boolean(typ):
        return f"case when {c} then 'true' when not {c} then 'false' end"
    if pa.types.is_floating(typ) or pa.types.is_decimal(typ):
        return (f"case when {c}::double = trunc({c}::double) and abs({c}::double) < 1e15 "
                f"then ({c}::double)::bigint::varchar else ({c}::double)::varchar end")
    return f"{c}::varchar"


def _typed_to_text(table: pa.Table) -> pa.Table:
    """Parquet: every non-string column to text, in DuckDB (vectorized)."""
    if all(pa.types.is_string(f.type) or pa.types.is_large_string(f.type) for f in table.schema):
        return table
    con = duckdb.connect(config={"memory_limit": limits.duckdb_memory()})
    try:
        con.register("_t", table)
        exprs = ", ".join(f'{_to_text_sql(f.name, f.type)}::varchar as "{f.name}"' for f in table.schema
                          if f.name != "r")
        return con.sql(f"select {exprs}, r from _t").to_arrow_table()
    finally:
        con.close()


_NUM_DOT0 = re.compile(r"^(\d+)\.0+$")


def _label_key(v: str) -> str:
    k = norm(v)
    m = _NUM_DOT0.match(k)
    return m.group(1) if m else k


def _map_labels(arr: pa.ChunkedArray, table: dict[str, str]) -> pa.ChunkedArray:
    """Map a text column through a label table, computing norm() once per DISTINCT value
    (dictionary-encode, map the dictionary, take). Unknown values become null."""
    out = []
    for chunk in arr.chunks:
        enc = chunk.dictionary_encode()
        mapped = pa.array([table.get(_label_key(v)) for v in enc.dictionary.to_pylist()], pa.string())
        out.append(pc.take(mapped, enc.indices))
    return pa.chunked_array(out, pa.string())


def _trim(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Surrounding white space removed; a blank cell becomes null."""
    t = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t)


def _sql_type(typ: str) -> str:
    if typ in ("code", "text", "period"):
        return "varchar"
    if typ == "bool":
        return "boolean"
    if typ.startswith("label:"):
        return LABEL_SQL_TYPE.get(typ.split(":", 1)[1], "varchar")
    return {"ts": "timestamp", "date": "date", "num": "double"}[typ]


def create_conv_tables(con: duckdb.DuckDBPyConnection) -> None:
    for kind in KINDS:
        cols = [f'"raw_{c}" varchar' for c, t in COLUMNS[kind] if t not in _PLAIN]
        cols += [f'"{c}" {_sql_type(t)}' for c, t in COLUMNS[kind]]
        con.execute(f"create or replace temp table _conv_{kind} (f integer, r bigint, {', '.join(cols)})")


def label_tables(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    tables = {dom: {_label_key(k): v for k, v in m.items()} for dom, m in LABELS.items()}
    st = {}
    for code, vi, en in con.execute("select code, name_vi, name_en from status_codes").fetchall():
        for k in (str(code), vi, en):
            st[_label_key(k)] = str(code)
    tables["status"] = st
    tables["bool"][""] = "false"        # a blank cell in a present yes/no column (x/blank convention)
    return tables


def convert_file(con: duckdb.DuckDBPyConnection, lf: Loaded, labels: dict[str, dict[str, str]]) -> None:
    """Append one file to _conv_<kind>: trimmed raw text next to the converted value of each column."""
    kind = lf.kind
    src = lf.table
    n = src.num_rows
    cols: dict[str, pa.ChunkedArray] = {"r": src.column("r")}
    jobs = {}
    for col, _ in COLUMNS[kind]:
        pos = lf.columns.get(col)
        if pos is not None:
            jobs[col] = src.column(f"c{pos}")
    # Arrow compute releases the GIL: trim the columns on all cores
    try:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
            trimmed = dict(zip(jobs, ex.map(_trim, jobs.values())))
    except RuntimeError as e:   # "can't start new thread": no address space left for its stack
        raise MemoryError(str(e)) from e
    null = pa.nulls(n, pa.string())
    sel_raw, sel_val = [], []
    for col, typ in COLUMNS[kind]:
        raw = trimmed.get(col)
        if raw is not None and typ == "bool":
            raw = pc.fill_null(raw, "")
        x = f'"raw_{col}"'
        cols[f"raw_{col}"] = raw if raw is not None else null
        if typ not in _PLAIN:           # code/text columns are their own raw text (no copy)
            sel_raw.append(x)
        if raw is None:
            e = "null"
        elif typ in ("code", "text"):
            e = x
        elif typ == "ts":
            e = _ts_sql(x)
        elif typ == "date":
            e = f"({_ts_sql(x)})::date"
        elif typ == "num":
            e = _num_sql(x)
        elif typ == "period":
            e = _period_sql(x)
        else:
            dom = "bool" if typ == "bool" else typ.split(":", 1)[1]
            cols[f"lbl_{col}"] = _map_labels(raw, labels[dom])
            e = f'"lbl_{col}"'
        sel_val.append(f"({e})::{_sql_type(typ)}")
    t = pa.table(cols)
    name = f"_src_{lf.idx}"
    con.register(name, t)
    try:
        con.execute(f"insert into _conv_{kind} select ?::integer, r, {', '.join(sel_raw)}, "
                    f"{', '.join(sel_val)} from {name}", [lf.idx])
    finally:
        con.unregister(name)


def _ts_sql(x: str) -> str:
    """Text to timestamp: dd/mm/yyyy[ HH:MM[:SS[.f]]] or yyyy-mm-dd[( |T)HH:MM[:SS[.f]]]; anything else,
    including impossible dates (31/02/2020), gives null. One strptime format per value, picked by cheap
    tests on the text, is several times faster than a list of formats. Years outside 1900-2100 (e.g. a
    two-digit year) are reported by problem_sql."""
    def pick(d, sep):
        return (f"case when length({x}) <= 10 then try_strptime({x}, '{d}') "
                f"when {x} like '%:%:%' then case when contains({x}, '.') "
                f"then try_strptime({x}, '{d}{sep}%H:%M:%S.%f') else try_strptime({x}, '{d}{sep}%H:%M:%S') end "
                f"else try_strptime({x}, '{d}{sep}%H:%M') end")
    return (f"case when contains({x}, '/') then {pick('%d/%m/%Y', ' ')} "
            f"when contains({x}, 'T') then {pick('%Y-%m-%d', 'T')} else {pick('%Y-%m-%d', ' ')} end")


def _num_sql(x: str) -> str:
    return (f"try_cast(case when regexp_full_match({x}, '-?\\d+,\\d+') then replace({x}, ',', '.') "
            f"else replace({x}, ' ', '') end as double)")


def _period_sql(x: str) -> str:
    p = f"regexp_replace(upper({x}), '\\s+', '', 'g')"
    return f"""(case
        when regexp_full_match({p}, '\\d{{4}}') then {p}
        when regexp_full_match({p}, '\\d{{4}}-(0?[1-9]|1[0-2])')
            then left({p}, 4) || '-' || lpad(split_part({p}, '-', 2), 2, '0')
        when regexp_full_match({p}, '(0?[1-9]|1[0-2])/\\d{{4}}')
            then split_part({p}, '/', 2) || '-' || lpad(split_part({p}, '/', 1), 2, '0')
        when regexp_full_match({p}, '\\d{{4}}-?Q[1-4]') then left({p}, 4) || 'Q' || right({p}, 1)
        when regexp_full_match({p}, '(Q|QUÝ)[1-4][/-]\\d{{4}}')
            then right({p}, 4) || 'Q' || regexp_extract({p}, '[1-4]')
        when regexp_full_match({p}, '\\d{{4}}-(0[1-9]|1[0-2])-01( 00:00(:00)?)?') then left({p}, 7)
        end)"""


def _insert_expr(kind: str, col: str) -> str:
    default = DEFAULTS.get((kind, col))
    if default is None:
        return f'"{col}"'
    if isinstance(default, bool):
        lit = "true" if default else "false"
    elif isinstance(default, (int, float)):
        lit = repr(float(default))
    else:
        lit = "'" + default.replace("'", "''") + "'"
    return f'coalesce("{col}", {lit}) as "{col}"'


_PLAIN = ("code", "text")
_TYPES = {kind: dict(cols) for kind, cols in COLUMNS.items()}


def _raw(kind: str, col: str) -> str:
    """The column holding the trimmed text of the file for col (code/text columns have no copy)."""
    return f'"{col}"' if _TYPES[kind][col] in _PLAIN else f'"raw_{col}"'


def _q(col: str, kind: str) -> str:
    """A SQL expression quoting a raw value for a message (the value itself is data, never SQL); a
    hidden character (HIDDEN) is shown as U+FFFD, so the message reads as it is written."""
    v = f"regexp_replace({_raw(kind, col)}, '{_HIDDEN_SQL}', '\ufffd', 'g')"
    return f"'''' || left(replace(replace({v}, chr(10), ' '), chr(13), ' '), 80) || ''''"


def _hidden_sql(raw: str) -> str:
    """The message for the first hidden character of raw: 'U+202E RIGHT-TO-LEFT OVERRIDE at character 4'."""
    first = f"regexp_extract({raw}, '{_HIDDEN_SQL}')"
    names = " ".join(f"when {c} then '{unicodedata.name(chr(c))}'" for c in _HIDDEN_POINTS)
    return (f"printf('U+%04X ', unicode({first})) || case unicode({first}) {names} end "
            f"|| ' at character ' || instr({raw}, {first})")


def problem_sql(kind: str, absent: dict[str, list[int]]) -> str:
    """One query listing every problem of a kind as (f, r, col, reason). absent[col] = the files
    without that column (already reported as a missing column, so no per-cell report)."""
    t = f"_conv_{kind}"
    parts = []
    for col in REQUIRED[kind]:
        skip = "".join(f" and f <> {int(i)}" for i in absent.get(col, []))
        parts.append(f"select f, r, '{col}', 'empty required cell' from {t} "
                     f"where {_raw(kind, col)} is null{skip}")
    for col, typ in COLUMNS[kind]:
        raw, val = _raw(kind, col), f'"{col}"'
        if typ in _PLAIN:
            limit = MAX_CHARS[typ]
            parts.append(f"select f, r, '{col}', 'too long: ' || length({raw}) || ' characters "
                         f"(at most {limit}): ' || {_q(col, kind)} from {t} where length({raw}) > {limit}")
            parts.append(f"select f, r, '{col}', 'a spreadsheet formula, not a value: ' || {_q(col, kind)} || "
                         f"' (paste the values)' from {t} where starts_with({raw}, '=')")
            parts.append(f"select f, r, '{col}', 'hidden character ' || {_hidden_sql(raw)} || ': ' || "
                         f"{_q(col, kind)} || ' (invisible, or it reverses the text around it: retype the value)' "
                         f"from {t} where regexp_matches({raw}, '{_HIDDEN_SQL}')")
            if typ == "code":
                parts.append(f"select f, r, '{col}', 'a code with a double quote, tab or line break: ' || "
                             f"{_q(col, kind)} || ' (a quote left open in the file?)' from {t} "
                             f"where regexp_matches({raw}, '[\"\\t\\n\\r]')")
        elif typ in ("ts", "date"):
            parts.append(f"select f, r, '{col}', 'unparseable or impossible date ' || {_q(col, kind)} || "
                         f"' (expected dd/mm/yyyy[ HH:MM[:SS]] or yyyy-mm-dd[ HH:MM[:SS]])' "
                         f"from {t} where {raw} is not null "
                         f"and ({val} is null or year({val}) not between 1900 and 2100)")
        elif typ == "num":
            parts.append(f"select f, r, '{col}', 'not a number: ' || {_q(col, kind)} from {t} "
                         f"where {raw} is not null and {val} is null")
            if col in ("legal_days", "fee_amount", "supplement_days"):
                parts.append(f"select f, r, '{col}', 'negative value: ' || {_q(col, kind)} from {t} "
                             f"where {val} < 0")
        elif typ == "period":
            parts.append(f"select f, r, '{col}', 'unknown period ' || {_q(col, kind)} || "
                         f"' (expected yyyy, yyyy-mm or yyyyQn)' from {t} "
                         f"where {raw} is not null and {val} is null")
        elif typ == "bool" or typ.startswith("label:"):
            dom = "bool" if typ == "bool" else typ.split(":", 1)[1]
            allowed = "; expected " + _allowed(dom)
            parts.append(f"select f, r, '{col}', 'unknown {DOMAIN_NAMES[dom]} ' || {_q(col, kind)} || "
                         f"'{allowed}' from {t} where {raw} is not null and {raw} <> '' and {val} is null")
    if kind == "dossiers":
        for col, what in (("due_at", "due date"), ("finished_at", "finish date")):
            parts.append(f"select f, r, '{col}', '{what} ' || {_q(col, kind)} || "
                         f"' is before the received date ' || {_q('received_at', kind)} "
                         f"from {t} where {col}::date < received_at::date")
    if kind in ("units", "procedures"):
        parts.append(f"select f, r, 'valid_to', 'valid_to ' || {_q('valid_to', kind)} || "
                     f"' is before valid_from ' || {_q('valid_from', kind)} from {t} where valid_to < valid_from")
    # duplicate keys within the batch (a null unit_code of an indicator is part of the key)
    key = KEYS[kind]
    kcols = ", ".join(f'"{k}"' for k in key)
    kdesc = " + ".join(key)
    kval = " || ' / ' || ".join(f"coalesce(\"{k}\", '')" for k in key)
    match = " and ".join(f'd."{k}" is not distinct from c."{k}"' for k in key)
    dup = (f"select f, r, '{key[0]}', 'duplicate key {kdesc} ''' || {kval} || ''' (first in row ' "
           f"|| first_r || case when first_f <> f then ' of file #' || (first_f + 1) else '' end || ')' "
           f"from (select f, r, {kcols}, first_value(r) over w as first_r, "
           f"first_value(f) over w as first_f, row_number() over w as n "
           f"from {t} c where \"{key[0]}\" is not null "
           f"and exists (select 1 from (select {kcols} from {t} where \"{key[0]}\" is not null "
           f"group by all having count(*) > 1) d where {match}) "
           f"window w as (partition by {kcols} order by f, r)) where n > 1")
    parts.append(dup)
    # unknown references: neither in the database nor in this batch
    for (k, col), target in REFERENCES.items():
        if k != kind:
            continue
        tk = KEYS[target][0]
        parts.append(f"select f, r, '{col}', 'unknown {target[:-1]} code ' || {_q(col, kind)} "
                     f"from {t} c where c.\"{col}\" is not null "
                     f"and not exists (select 1 from {target} x where x.{tk} = c.\"{col}\") "
                     f"and not exists (select 1 from _conv_{target} y where y.{tk} = c.\"{col}\")")
    return " union all ".join(f"({p})" for p in parts)


def _allowed(dom: str) -> str:
    if dom == "status":
        return "1-10 or a status name"
    labels = sorted(set(LABELS[dom]), key=lambda s: (len(s) > 2, s))
    s = ", ".join(labels[:12]).replace("'", "")
    return s + (", ..." if len(labels) > 12 else "")


# ---------------------------------------------------------------------------------------------- batch
def _prepare(con: duckdb.DuckDBPyConnection, kind_opt: str | None, files: list[str], rep: Report):
    """Read, map, stage, convert and check every file. Returns the loaded files."""
    loaded = []
    for i, name in enumerate(files):
        lf = read_file(i, name, rep)
        if lf is not None:
            map_columns(lf, kind_opt, rep)
            if lf.kind is not None:     # staged even with header problems, to report its cells too
                loaded.append(lf)
    create_conv_tables(con)
    labels = label_tables(con)
    for lf in loaded:
        convert_file(con, lf, labels)
        lf.table = None         # free the Arrow copy
    by_idx = {lf.idx: lf for lf in loaded}
    for kind in KINDS:
        if not any(lf.kind == kind for lf in loaded):
            continue
        absent = {col: [lf.idx for lf in loaded if lf.kind == kind and col not in lf.columns]
                  for col in REQUIRED[kind]}
        sql = problem_sql(kind, absent)
        con.execute(f"create or replace temp table _problems as {sql}")
        if kind == "mapping":       # rules across rows and tables: weights, cycles, unmapped units
            restructure.add_batch_problems(con)
        total = con.sql("select count(*) from _problems").fetchall()[0][0]
        if not total:
            continue
        room = max(0, MAX_PROBLEMS_SHOWN - len(rep.problems))
        rows = con.sql(f"select * from _problems p order by 1, 2, 3 limit {int(room)}").fetchall()
        for f, r, col, reason in rows:
            lf = by_idx[f]
            pos = lf.columns.get(col)
            rep.problem(lf.name, r, lf.headers[pos] if pos is not None else col, reason)
        rep.extra_problems += total - len(rows)
    con.execute("drop table if exists _problems")
    return loaded


def _upsert(con: duckdb.DuckDBPyConnection, loaded: list[Loaded], by: str | None) -> list[tuple]:
    """Replace rows with the same key, insert the batch, log each file. Returns (file, kind, in, new)."""
    now = dt.datetime.now().replace(microsecond=0)
    stats = []
    for kind in KINDS:
        files = [lf for lf in loaded if lf.kind == kind]
        if not files:
            continue
        t, key, table = f"_conv_{kind}", KEYS[kind], TABLES[kind]
        match = " and ".join(f'x."{k}" is not distinct from c."{k}"' for k in key)
        counts = dict((f, (n, new)) for f, n, new in con.sql(
            f"select f, count(*), count(*) filter (where not exists (select 1 from {table} x where {match})) "
            f"from {t} c group by f").fetchall())
        if len(key) == 1:
            con.execute(f'delete from {table} where "{key[0]}" in (select "{key[0]}" from {t})')
        else:
            con.execute(f"delete from {table} x where exists (select 1 from {t} c where {match})")
        cols = ", ".join(f'"{c}"' for c, _ in COLUMNS[kind])
        exprs = ", ".join(_insert_expr(kind, c) for c, _ in COLUMNS[kind])
        con.execute(f"insert into {table} ({cols}) select {exprs} from {t}")
        for lf in files:
            n, new = counts.get(lf.idx, (0, 0))
            con.execute("insert into import_log (imported_at, kind, file, rows_in, rows_new, imported_by) "
                        "values (?, ?, ?, ?, ?, ?)", [now, kind, pathlib.Path(lf.name).name, n, new, by])
            stats.append((lf.name, kind, lf.fmt, n, new))
    return stats


def _clean_stale_tmp(live: pathlib.Path) -> None:
    """Remove temp files left by killed writers (.<name>.<pid>[.<hex>].tmp[.wal], see db.rebuild)
    whose process is gone. Files of a running process (another import) are left alone."""
    pat = re.compile(rf"^\.{re.escape(live.name)}\.(\d+)(\.[0-9a-f]+)?\.tmp(\.wal)?$")
    if not live.parent.is_dir():
        return
    for p in live.parent.iterdir():
        m = pat.match(p.name)
        if not m or int(m.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(m.group(1)), 0)
            continue                    # still running: another import in progress
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        try:
            p.unlink()
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------- commands
def run_import(db: str | None, kind: str | None, files: list[str], out=None, by: str | None = None,
               scope: str | None = None) -> int:
    """Validate and import files all-or-nothing; by = who imports, for the import log; scope = the only
    unit (with those under it) whose rows may be imported (reform.write_scope)."""
    out = out or sys.stdout
    path = rdb.db_path(db)
    rep = Report()
    t0 = time.perf_counter()
    stats = []
    by = by or os_user()
    task = f"import of {', '.join(pathlib.Path(f).name for f in files)} by {by}"
    try:
        rdb.check_path(path)
        _clean_stale_tmp(pathlib.Path(os.path.realpath(path)))  # temp files sit beside a symlink's target
        with rdb.rebuild(path, task=task, say=lambda msg: print(msg, file=out, flush=True)) as con:
            loaded = _prepare(con, kind, files, rep)
            write_scope.check(con, loaded, scope, rep)
            if rep.n_problems or not loaded:
                raise Abort
            stats = _upsert(con, loaded, by)
            for kd in KINDS:
                con.execute(f"drop table if exists _conv_{kd}")
    except Abort:
        rep.print(out)
        print(f"{rep.n_problems} problem(s): nothing imported, {path} unchanged", file=out)
        return 1
    except writelock.LockTimeout as e:
        print(f"not imported: {e}", file=out)
        return 3
    except FAILURES as e:
        print(f"not imported: {failure(e)}", file=out)
        return 2
    rep.print(out)
    for name, kd, fmt, n, new in stats:
        print(f"{name}: {kd} ({fmt}): {n} rows, {new} new, {n - new} replaced", file=out)
    print(f"imported {sum(s[3] for s in stats)} rows into {path} in {time.perf_counter() - t0:.1f} s", file=out)
    return 0


# what stops a command for a reason outside the files (the database path, the disk, the memory, a
# limit's variable): one line and exit code 2, and the live database unchanged (reform.db.rebuild)
FAILURES = (rdb.NotADatabase, limits.BadLimit, OSError, MemoryError, pa.ArrowMemoryError, duckdb.IOException,
            duckdb.OutOfMemoryException,
            duckdb.TransactionException, duckdb.FatalException)    # how DuckDB reports a full disk at commit


def failure(e: BaseException) -> str:
    """One line for a FAILURES exception."""
    text = _short(e)
    if isinstance(e, (MemoryError, pa.ArrowMemoryError, duckdb.OutOfMemoryException)) or (
            isinstance(e, duckdb.Error) and re.search(r"\ballocat", text)):     # "Failed to allocate block"
        return limits.memory_message()
    if isinstance(e, OSError) and e.strerror:
        where = f" ({e.filename})" if e.filename else ""
        return f"{e.strerror}{where}; nothing changed"
    if isinstance(e, duckdb.Error):     # DuckDB's words about the file, without its layers of context
        m = re.search(r"Could not .*", str(e).strip().splitlines()[0] if str(e).strip() else "")
        text = (m.group(0) if m else text) + "; nothing changed"
    return text


def run_validate(db: str | None, kind: str | None, files: list[str], out=None, scope: str | None = None) -> int:
    out = out or sys.stdout
    try:
        return _validate(db, kind, files, out, scope)
    except FAILURES as e:
        print(f"not validated: {failure(e)}", file=out)
        return 2


def _validate(db: str | None, kind: str | None, files: list[str], out, scope: str | None) -> int:
    path = rdb.db_path(db)
    rdb.check_path(path)
    rep = Report()
    con = duckdb.connect(config={"memory_limit": limits.duckdb_memory()})
    try:
        con.execute(rdb.sql_text("schema"))
        checked = "the files only"
        if path.exists():
            try:
                con.execute("attach ? as live (read_only)", [str(path)])
                con.execute("insert into units by name select * from live.units")
                con.execute("insert into procedures by name select * from live.procedures")
                if con.execute("select count(*) from duckdb_tables() where database_name = 'live' "
                               "and table_name = 'unit_mapping'").fetchone()[0]:
                    # a mapping file is checked with the rows already imported (a partial file)
                    con.execute("insert into unit_mapping by name select * from live.unit_mapping")
                con.execute("detach live")
                checked = f"codes in {path}"
            except duckdb.Error as e:
                rep.notice(f"cannot read {path} ({_short(e)}): codes checked against the files only")
        loaded = _prepare(con, kind, files, rep)
        write_scope.check(con, loaded, scope, rep)
        counts = {}
        for kd in {lf.kind for lf in loaded}:
            counts.update(dict(con.sql(f"select f, count(*) from _conv_{kd} group by f").fetchall()))
    finally:
        con.close()
    rep.print(out)
    if rep.n_problems or not loaded:
        print(f"{rep.n_problems} problem(s) found", file=out)
        return 1
    for lf in loaded:
        print(f"{lf.name}: {lf.kind} ({lf.fmt}): {counts.get(lf.idx, 0)} rows OK", file=out)
    print(f"no problems found (checked against {checked})", file=out)
    return 0


def os_user() -> str:
    """The account running the import, for the log when no one else is named."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):     # a container user without a passwd entry
        return f"uid {os.getuid()}"


def cmd_import(db: str | None, kind: str | None, files: list[str], by: str | None = None,
               scope: str | None = None) -> int:
    return run_import(db, kind, files, by=by, scope=scope)


def cmd_validate(db: str | None, kind: str | None, files: list[str], scope: str | None = None) -> int:
    return run_validate(db, kind, files, scope=scope)
