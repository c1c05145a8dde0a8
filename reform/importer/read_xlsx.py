"""Reading an XLSX workbook with openpyxl: the zip's parts checked against the limits before it is
opened, the sheet and its header row found (title rows above it skipped, a header over two rows read
as one), every cell turned into text, formulas saved without a computed value reported."""
from __future__ import annotations

import datetime as dt
import os
import pathlib
import re

import pyarrow as pa

from reform import limits
from reform.headers import HEADER_MAP, guess_kind, norm
from reform.importer.report import Report


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
