"""Reading, the entry of the import: a file's format from its first bytes (or its name), its reader
(read_csv, read_xlsx, read_parquet), the limits on what it holds once read, and the result: an Arrow
table of text with each row's spreadsheet row number (Loaded)."""
from __future__ import annotations

import dataclasses
import pathlib

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from reform import limits
from reform.importer.read_csv import _read_csv
from reform.importer.read_parquet import _read_parquet, _typed_to_text
from reform.importer.read_xlsx import _read_xlsx
from reform.importer.report import Report, _short


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
