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

The package, by stage (the steps above):
    read.py          a file's format and its reader; the limits on what it holds; Loaded (step 1)
    read_csv.py      CSV: pyarrow's fast path, the csv module's exact one, encodings, cut-short files
    read_xlsx.py     XLSX: the zip's limits, the sheet and header row, cells as text, formulas
    read_parquet.py  Parquet: the limits from its metadata, typed columns turned into text
    columns.py       headers mapped to a kind's columns, personal data dropped (step 2)
    staging.py       cells trimmed, labels mapped, values parsed into _conv_<kind> (step 3)
    checks.py        the one problem query per kind (step 3)
    batch.py         every file through the stages into one report; the upsert and import_log (step 4)
    run.py           the import and validate commands, all-or-nothing; FAILURES and failure()
    report.py        the report of problems and notices; hidden characters shown as U+FFFD
"""
from __future__ import annotations

from reform.importer.batch import _clean_stale_tmp
from reform.importer.report import _HIDDEN_RE
from reform.importer.run import FAILURES, cmd_import, cmd_validate, failure, os_user, run_import

# what other modules and the tests use: reform.cli (cmd_import, cmd_validate, FAILURES, failure), the
# Data page's upload (_clean_stale_tmp), the tests (run_import, os_user, _HIDDEN_RE)
__all__ = ["FAILURES", "_HIDDEN_RE", "_clean_stale_tmp", "cmd_import", "cmd_validate", "failure", "os_user",
           "run_import"]
