"""The default sample (scale 1) reproduces every figure of the article (DESIGN §3), counted straight
from the rows and through the KPI command."""
import json

import duckdb
import pytest

from tests.conftest import reform_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def full_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("full") / "sample.duckdb"
    reform_cli("generate", "--db", str(path))
    return path


@pytest.fixture(scope="module")
def con(full_db):
    c = duckdb.connect(str(full_db), read_only=True)
    yield c
    c.close()


def one(con, sql):
    return con.execute(sql).fetchall()


def test_procedures_in_force_april_2020(con):
    rows = dict(one(con, """select level, count(*) from procedures
                            where valid_from <= date '2020-04-30'
                              and (valid_to is null or valid_to >= date '2020-04-30') group by level"""))
    assert rows == {"province": 1542, "district": 290, "commune": 128}
    assert sum(rows.values()) == 1960


def test_announcements_january_to_april_2020(con):
    [(decisions, announced, live, public, not_public)] = one(con, """
        select count(distinct announce_decision_no), count(*),
               count(*) filter (where valid_to is null or valid_to >= date '2020-04-30'),
               count(*) filter (where (valid_to is null or valid_to >= date '2020-04-30') and is_public_national),
               count(*) filter (where (valid_to is null or valid_to >= date '2020-04-30') and not is_public_national)
        from procedures where announce_decision_date between date '2020-01-01' and date '2020-04-30'""")
    assert (decisions, announced) == (42, 254)
    assert (public, not_public) == (99, 3) and live == 102


def test_april_2020_online_by_level(con, full_db):
    rows = {lvl: (n, online) for lvl, n, online in one(con, """
        select coalesce(u.level, 'unassigned'), count(*), count(*) filter (where d.channel = 2)
        from dossiers d left join units u using (unit_code)
        where d.received_at >= date '2020-04-01' and d.received_at < date '2020-05-01' group by 1""")}
    assert rows["province"][1] == 13043 and round(100 * rows["province"][1] / rows["province"][0], 1) == 50.2
    assert rows["district"][1] == 1418 and round(100 * rows["district"][1] / rows["district"][0], 2) == 11.23
    assert rows["commune"][1] == 10 and round(100 * rows["commune"][1] / rows["commune"][0], 2) == 0.06
    assert rows["unassigned"][0] > 0, "the article's totals need an unassigned bucket"
    total, online = sum(n for n, _ in rows.values()), sum(o for _, o in rows.values())
    assert online == 14471 and round(100 * online / total, 2) == 23.06
    # the KPI command says the same
    [kpi] = json.loads(reform_cli("kpi", "--db", str(full_db), "--period", "2020-04", "--format", "json").stdout)
    assert (kpi["F01"], kpi["F04o"], kpi["F04p"], kpi["F18"]) == (total, online, 2784, 4261)
    by_level = {r["level"]: r for r in json.loads(reform_cli(
        "kpi", "--db", str(full_db), "--period", "2020-04", "--by", "level", "--format", "json").stdout)}
    assert round(100 * by_level["province"]["F05"], 1) == 50.2
    assert round(100 * by_level["district"]["F05"], 2) == 11.23
    assert round(100 * by_level["commune"]["F05"], 2) == 0.06


def test_april_2020_post(con):
    [(received, returned)] = one(con, """
        select count(*) filter (where channel = 3 and received_at >= date '2020-04-01' and received_at < date '2020-05-01'),
               count(*) filter (where return_channel = 'postal' and returned_at >= date '2020-04-01'
                                and returned_at < date '2020-05-01')
        from dossiers""")
    assert (received, returned) == (2784, 4261)


def test_q1_2020_on_time_over_99_percent(con, full_db):
    [(good, late)] = one(con, """
        select count(*) filter (where (finished_at - to_seconds(supplement_days * 86400))::date <= due_at::date),
               count(*) filter (where (finished_at - to_seconds(supplement_days * 86400))::date > due_at::date)
        from dossiers where status_code in (9, 10)
          and finished_at >= date '2020-01-01' and finished_at < date '2020-04-01'""")
    assert good / (good + late) > 0.99
    [kpi] = json.loads(reform_cli("kpi", "--db", str(full_db), "--period", "2020Q1", "--format", "json").stdout)
    assert kpi["F10"] == pytest.approx(good / (good + late), rel=1e-12)


def test_2020_volume_is_caman_scale(con):
    months = one(con, """select month(received_at), count(*) from dossiers
                         where year(received_at) = 2020 group by 1 order by 1""")
    counts = [n for _, n in months]
    assert len(counts) == 12
    assert sum(55_000 <= n <= 63_000 for n in counts) >= 10  # Tết may dip below
    assert min(counts) > 40_000
