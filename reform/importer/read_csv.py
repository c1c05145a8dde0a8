"""Reading a CSV file: pyarrow's fast path when every physical line is one record, the csv module's
exact path otherwise (blank lines, line breaks inside values, ragged rows), so each record keeps the
row number a spreadsheet shows. The delimiter is sniffed, a BOM skipped, UTF-16 turned into UTF-8; a
byte that is not UTF-8 and a file cut short are named at their row and column."""
from __future__ import annotations

import csv
import io
import pathlib
import re

import pyarrow as pa
import pyarrow.csv as pacsv

from reform import limits
from reform.importer.report import Report


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
