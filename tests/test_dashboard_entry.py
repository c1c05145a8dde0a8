"""The entry point runs through Streamlit's AppTest: on an existing database its cards show the KPI
values of the latest quarter; on a missing one it first builds the sample."""
import pytest
from streamlit.testing.v1 import AppTest

from reform import periods
from tests import reference
from tests.conftest import ROOT


def vi_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def vi_pct(x: float) -> str:
    return f"{100 * x:.2f}".replace(".", ",") + " %"


def run_app(monkeypatch, db, **env):
    monkeypatch.setenv("REFORM_DB", str(db))
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()


def test_overview_cards_show_the_latest_quarter(monkeypatch, small_db):
    at = run_app(monkeypatch, small_db)
    assert not at.exception
    d, _, _ = reference.load(small_db)
    q = periods.quarter_of(d["received_day"].max().date())
    want = reference.kpis_from_counts(reference.dossier_counts(d, q.start, q.end, reference.data_end(d)))
    cards = {m.label: m.value for m in at.metric}
    assert cards["Hồ sơ tiếp nhận"] == vi_int(want["F01"])
    assert cards["Tỷ lệ nộp trực tuyến"] == vi_pct(want["F05"])
    assert cards["Tỷ lệ giải quyết đúng hạn"] == vi_pct(want["F10"])
    assert cards["Đang xử lý quá hạn"] == vi_int(want["F11o"])
    assert q.label("vi") in at.caption[0].value


@pytest.mark.filterwarnings("ignore")
def test_first_run_builds_the_sample(monkeypatch, tmp_path):
    """Only at the sample's own default path (moved here to a temporary folder), without REFORM_DB."""
    from reform import db as rdb
    db = tmp_path / "first.duckdb"
    monkeypatch.setattr(rdb, "DEFAULT_DB", db)
    monkeypatch.delenv("REFORM_DB", raising=False)
    monkeypatch.setenv("REFORM_SAMPLE_SCALE", "0.005")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception
    assert db.exists()
    assert len(at.metric) == 7 and at.metric[0].value not in ("0", "—")
    assert any("Dữ liệu mẫu" in c.value for c in at.sidebar.caption)


def test_a_file_from_an_older_version_says_so(monkeypatch, small_db, tmp_path):
    """A column or table the current schema has and the file lacks: a message naming them and the way
    out (any import rebuilds the file), not a database error."""
    import shutil

    import duckdb
    db = tmp_path / "old.duckdb"
    shutil.copy(small_db, db)
    con = duckdb.connect(str(db))
    con.execute("alter table units drop column former_province")
    con.execute("drop table unit_restated")
    con.close()
    at = run_app(monkeypatch, db)
    assert not at.exception and not at.metric
    assert "unit_restated" in at.error[0].value and "units.former_province" in at.error[0].value
