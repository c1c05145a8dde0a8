"""Every bound on an import, in one place (issue 13 item 3, DESIGN §8 rev 2).

A file is checked against these before it is read in full: a small file can unpack into gigabytes
(a Parquet column of one long repeated string, an XLSX of compressed XML, a CSV header of ten million
columns), and the import child shares the machine with the dashboard. Each refusal names the limit, its
value and the environment variable that changes it, e.g.
"1,250 MB when unpacked, the limit is 200 MB (REFORM_MAX_XLSX_MB)".

The environment is read at each use, so a test or an operator can change a limit for one run.
"""
from __future__ import annotations

import dataclasses
import os
import resource


@dataclasses.dataclass(frozen=True)
class Limit:
    env: str
    default: int
    unit: str       # shown after the value: "MB", "rows", ...
    what: str       # what is bounded, for the README


LIMITS: dict[str, Limit] = {
    # memory and time of the import process
    "memory_mb": Limit("REFORM_WRITE_MEMORY_MB", 6144, "MB",
                       "DuckDB memory of a write (import, upload, generation); sorts and summaries spill to disk beyond it"),
    # address space, not resident memory: DuckDB, Arrow and the threads reserve far more than they touch
    # (a 200 MB-RSS import reserves about 2.5 GB), so this is a backstop set well above the DuckDB limit
    "address_mb": Limit("REFORM_IMPORT_ADDRESS_MB", 16384, "MB",
                        "address space of the import process (RLIMIT_AS); 0 = no OS limit"),
    "timeout_s": Limit("REFORM_IMPORT_TIMEOUT_S", 1200, "s",
                       "an upload's import, wall clock, a wait for another writer included (at most half of it)"),
    # what one upload may hold (the size of each file is Streamlit's server.maxUploadSize, config.toml)
    "upload_files": Limit("REFORM_MAX_UPLOAD_FILES", 10, "files", "files in one upload"),
    # what one file may hold
    "rows": Limit("REFORM_MAX_ROWS", 2_000_000, "rows", "data rows per file"),
    "columns": Limit("REFORM_MAX_COLUMNS", 500, "columns", "columns per file"),
    "cell_kb": Limit("REFORM_MAX_CELL_KB", 1024, "KB", "one cell's text"),
    "data_mb": Limit("REFORM_MAX_DATA_MB", 1024, "MB",
                     "a CSV file, or a Parquet file's data uncompressed and its text cells decoded"),
    "xlsx_mb": Limit("REFORM_MAX_XLSX_MB", 200, "MB", "an XLSX file's parts (XML) when unpacked"),
    "xlsx_strings": Limit("REFORM_MAX_XLSX_STRINGS", 2_000_000, "shared strings", "an XLSX file's shared strings"),
    "xlsx_parts": Limit("REFORM_MAX_XLSX_PARTS", 10_000, "parts", "the parts (zip members) of an XLSX file"),
    # an appraisal's evidence files (reform/appraisal/evidence.py)
    "evidence_mb": Limit("REFORM_MAX_EVIDENCE_MB", 20, "MB", "one evidence file"),
    "evidence_unpacked_mb": Limit("REFORM_MAX_EVIDENCE_UNPACKED_MB", 100, "MB",
                                  "an evidence DOCX or XLSX when unpacked"),
    "evidence_parts": Limit("REFORM_MAX_EVIDENCE_PARTS", 1000, "parts", "the parts (zip members) of an evidence DOCX or XLSX"),
    "row_groups": Limit("REFORM_MAX_ROW_GROUPS", 1000, "row groups", "a Parquet file's row groups"),
}

MAX_PROBLEMS_SHOWN = 10_000     # every problem is counted; the listing stops after this many lines


class BadLimit(ValueError):
    """An environment variable that is not a whole number."""


class Exceeded(Exception):
    """A file over a limit: refused before it is read further. row/column as the report names them."""

    def __init__(self, message: str, row: int = 1, column: str = "-"):
        super().__init__(message)
        self.row, self.column = row, column


def get(key: str) -> int:
    lim = LIMITS[key]
    raw = os.environ.get(lim.env, "").strip()
    if not raw:
        return lim.default
    try:
        value = int(raw.replace("_", "").replace(",", ""))
    except ValueError:
        raise BadLimit(f"{lim.env}={raw!r} is not a whole number of {lim.unit}") from None
    if value < 0:
        raise BadLimit(f"{lim.env}={raw!r} is negative")
    return value


def n(x: float) -> str:
    """1250 -> '1,250'; what the messages show."""
    return f"{x:,.0f}"


def over(key: str, found: str) -> str:
    """"<found>, the limit is <value> <unit> (<ENV>)": the tail of every refusal."""
    lim = LIMITS[key]
    return f"{found}, the limit is {n(get(key))} {lim.unit} ({lim.env})"


def check(key: str, value: float, found: str, row: int = 1, column: str = "-", scale: int = 1) -> None:
    """Raise Exceeded when value > the limit (times scale: 2**20 for a limit in MB checked in bytes)."""
    if value > get(key) * scale:
        raise Exceeded(over(key, found), row, column)


def mb(nbytes: float) -> str:
    """Bytes as whole MB, rounded up so that a file just over a limit never reads as equal to it."""
    return n(-(-nbytes // 2 ** 20))


def duckdb_memory() -> str:
    """The DuckDB memory_limit setting for an import's connection."""
    return f"{get('memory_mb')}MB"


def memory_message() -> str:
    return (f"the import needed more memory than it may use: {n(get('memory_mb'))} MB for DuckDB "
            f"({LIMITS['memory_mb'].env}), {n(get('address_mb'))} MB of address space for the process "
            f"({LIMITS['address_mb'].env}); nothing changed")


def limit_process() -> None:
    """Bound this process's address space (the OS limit under the DuckDB one): set at the start of
    `python -m reform import|validate`, which is also what the Data page's upload runs as its child.
    A Python allocation over it raises MemoryError, DuckDB's an out-of-memory error: both are reported
    in one line. Only lowered, never raised above a limit the operator already set."""
    cap = get("address_mb")
    if not cap:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = cap * 2 ** 20
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft == resource.RLIM_INFINITY or want < soft:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
