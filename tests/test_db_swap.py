"""A write swaps a whole new file in: a reader that is open during an import keeps answering from the
old data, and a new connection sees the new data."""
import shutil

import duckdb

from tests.conftest import reform_cli


def test_reader_open_during_import_keeps_answering(small_db, tmp_path):
    db = tmp_path / "live.duckdb"
    shutil.copyfile(small_db, db)
    reader = duckdb.connect(str(db), read_only=True)
    before = reader.execute("select count(*) from dossiers").fetchone()[0]
    code, proc, unit = reader.execute(
        "select dossier_code, procedure_code, unit_code from dossiers order by received_at desc limit 1").fetchone()
    new = tmp_path / "new.csv"
    new.write_text("dossier_code,procedure_code,unit_code,channel,received_at,due_at,status_code\n"
                   f"NEW-1,{proc},{unit},2,2026-09-30 09:00,2026-10-05 17:00,4\n", encoding="utf-8")
    reform_cli("import", "--db", str(db), str(new))
    # the open reader still answers, from the data it opened
    assert reader.execute("select count(*) from dossiers").fetchone()[0] == before
    reader.close()
    fresh = duckdb.connect(str(db), read_only=True)
    try:
        assert fresh.execute("select count(*) from dossiers").fetchone()[0] == before + 1
        assert fresh.execute("select sum(n_received) from kpi_month").fetchone()[0] == before + 1
    finally:
        fresh.close()
    assert code != "NEW-1"
    assert not list(tmp_path.glob(".live.duckdb.*.tmp"))
