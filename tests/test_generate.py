"""The generator is deterministic for a seed and keeps the data contract."""
import duckdb

from tests.conftest import reform_cli


def digest(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("""select count(*), sum(hash(dossier_code, unit_code, procedure_code, channel,
                              received_at, due_at, finished_at, status_code, rating)) from dossiers""").fetchone()
    finally:
        con.close()


def test_same_seed_same_data_other_seed_other_data(small_db, tmp_path):
    again = tmp_path / "again.duckdb"
    reform_cli("generate", "--db", str(again), "--scale", "0.01", "--seed", "7")
    assert digest(again) == digest(small_db)
    other = tmp_path / "other.duckdb"
    reform_cli("generate", "--db", str(other), "--scale", "0.01", "--seed", "8")
    assert digest(other) != digest(small_db)


def test_rows_keep_the_contract(small_db):
    con = duckdb.connect(str(small_db), read_only=True)
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    try:
        assert q("select count(*) from dossiers") > 50_000
        assert q("select count(*) - count(distinct dossier_code) from dossiers") == 0
        assert q("select count(*) from dossiers d anti join units using (unit_code)") == 0
        assert q("select count(*) from dossiers d anti join procedures using (procedure_code)") == 0
        assert q("select count(*) from dossiers where due_at < received_at or finished_at < received_at") == 0
        assert q("select count(*) from dossiers where status_code not between 1 and 10") == 0
        assert q("select min(received_at) >= date '2019-01-01' and max(received_at) < date '2026-10-01' from dossiers")
        # each dossier sits in a unit that was valid on the day it was received
        assert q("""select count(*) from dossiers d join units u using (unit_code)
                    where d.received_at::date < u.valid_from or d.received_at::date > u.valid_to""") == 0
        # no district level after the 2025 restructuring, and the new communes are used
        assert q("""select count(*) from dossiers d join units u using (unit_code)
                    where u.level = 'district' and d.received_at >= date '2025-07-01'""") == 0
        assert q("""select count(distinct unit_code) from dossiers
                    where unit_code like 'C25-%' and received_at >= date '2025-07-01'""") >= 50
        # the online share rises year by year
        shares = [r[1] for r in con.execute("""select year(received_at), avg((channel = 2)::int)
                                                from dossiers group by 1 order by 1""").fetchall()]
        assert all(a < b for a, b in zip(shares, shares[1:]))
        # the article's reported (non-dossier) indicators come with the sample
        assert con.execute("select indicator_code, value from indicators where indicator_code like 'I_ASSET%'"
                           ).fetchall() == [("I_ASSET_REG", 168.0), ("I_ASSET_UNITS", 168.0)]
        assert q("select value from indicators where indicator_code = 'I_VIC' and period = '2020Q1'") >= 0.97
        # summaries hold exactly the rows of the base table
        assert q("select sum(n_received) from kpi_month") == q("select count(*) from dossiers")
    finally:
        con.close()
