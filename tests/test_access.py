"""Access (DESIGN §8): the allow-list and per-account unit scope of reform.access; the scope enforced by
the database reader under every query file (not by the pages); and the dashboard's sign-in gate, with
the identity provider replaced (there is none in a test)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

import queries
from reform import access, compute, db, periods, safe
from tests import reference
from tests.conftest import ROOT

PERIOD = "2024Q2"


@pytest.fixture(scope="module")
def tree(small_db):
    """A district with dossiers, its units (independently, from parent links), and another district."""
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        units = con.sql("select * from units").df()
        busy = con.execute("select d.unit_code, count(*) n from dossiers x join units d "
                           "on d.unit_code = (select parent_code from units c where c.unit_code = x.unit_code) "
                           "where d.level = 'district' group by 1 order by n desc").fetchall()
    finally:
        con.close()
    district, other = busy[0][0], busy[1][0]
    return district, reference.descendants(units, district), other


def received(small_db, codes: set[str], period: periods.Period) -> int:
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        return con.execute("select count(*) from dossiers where unit_code in (select unnest(?)) and "
                           "received_at >= ? and received_at < ?",
                           [sorted(codes), period.start, period.end + dt.timedelta(days=1)]).fetchone()[0]
    finally:
        con.close()


def test_allow_list_and_scopes():
    table = access.accounts({"access": {"accounts": {"LanhDao@CaMau.gov.vn": "*", "tp@camau.gov.vn": "964"}}})
    assert access.unit_of(table, "lanhdao@camau.gov.vn") is None
    assert access.unit_of(table, " TP@camau.gov.vn") == "964"
    for stranger in ("x@camau.gov.vn", "", None):
        with pytest.raises(access.NotAllowed):
            access.unit_of(table, stranger)
    assert access.accounts({}) == {}
    with pytest.raises(ValueError, match="empty scope"):
        access.accounts({"access": {"accounts": {"a@b.vn": " "}}})


def test_scope_holds_under_every_query(small_db, tree):
    district, inside, other = tree
    p = periods.parse(PERIOD)
    scoped = db.Reader(small_db, district)
    try:
        # the district's own count, whatever unit filter the caller passes
        want = received(small_db, inside, p)
        assert want > 0
        assert compute.kpis(scoped, p)[0]["F01"] == want
        assert compute.kpis(scoped, p, unit=district)[0]["F01"] == want
        assert compute.kpis(scoped, p, unit=other)[0]["F01"] == 0
        assert compute.kpis(scoped, p, level="province")[0]["F01"] == 0
        by_unit = compute.kpis(scoped, p, by="unit")
        assert {r["unit_code"] for r in by_unit} <= inside and sum(r["F01"] for r in by_unit) == want
        # every query file, with the broadest parameters: no unit outside the scope in any result
        params = dict(p_start=p.start, p_last=p.last_month, p_end=p.end, by="unit", bucket=None,
                      level=None, unit=None, field=None, procedure=None, channel=None, set="F01", sort="received",
                      limit=100_000, offset=0, indicator=None, period=PERIOD, lang="vi", lens=None,
                      procedure_kpis=True, due_days=3, day=p.end)
        for path in sorted(queries.QUERY_DIR.glob("*.sql")):
            name = path.stem
            df = queries.run(scoped, name, **{k: v for k, v in params.items() if k in queries.parameters(name)})
            for col in ("unit_code", "grp" if name == "kpi_counts" else None, "ancestor_code"):
                if col and col in df.columns:
                    assert set(df[col].dropna()) <= inside, (name, col)
        assert queries.run(scoped, "import_history").empty
        assert queries.run(scoped, "data_info").at[0, "dossiers"] == received(
            small_db, inside, periods.parse("2000:2100"))
        units = queries.run(scoped, "unit_list")
        assert set(units["unit_code"]) == inside and units.at[0, "unit_code"] == district
    finally:
        scoped.close()
    with pytest.raises(ValueError, match="unknown unit scope"):
        db.Reader(small_db, "NO-SUCH-UNIT")


SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                    "client_id": "id", "client_secret": "secret",
                    "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}}


@pytest.fixture
def signed_in_app(monkeypatch, small_db, app_test_as_served):
    monkeypatch.setenv("REFORM_DB", str(small_db))

    def _open(email: str | None, accounts: dict, **params) -> AppTest:
        from ui import access as ui_access
        monkeypatch.setattr(ui_access, "_signed_in", lambda: (email is not None, email))
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
        at.secrets.update({**SECRETS, "access": {"accounts": accounts}})
        for k, v in params.items():
            at.query_params[k] = v
        return at.run()
    return _open


def test_sign_in_gate(signed_in_app, small_db, tree):
    district, inside, other = tree
    accounts = {"lanhdao@camau.gov.vn": "*", "huyen@camau.gov.vn": district}
    # not signed in: the sign-in page and nothing else
    at = signed_in_app(None, accounts)
    assert [b.label for b in at.button] == ["Đăng nhập"] and not at.metric and not at.exception
    # signed in, not on the list
    at = signed_in_app("la@example.com", accounts)
    assert "la@example.com" in safe.shown(at.error[0].value) and not at.metric and not at.exception
    # the district's account: its own numbers, even when the link asks for another district
    p = periods.parse(PERIOD)
    want = f"{received(small_db, inside, p):,}".replace(",", ".")
    for params in ({}, {"unit": other}):
        at = signed_in_app("Huyen@camau.gov.vn", accounts, p=PERIOD, **params)
        assert not at.exception
        assert {m.label: m.value for m in at.metric}["Hồ sơ tiếp nhận"] == want, params
    # the whole province's account sees the province
    at = signed_in_app("lanhdao@camau.gov.vn", accounts, p=PERIOD)
    everything = f"{received(small_db, set(reference.load(small_db)[1]['unit_code']), p):,}".replace(",", ".")
    assert {m.label: m.value for m in at.metric}["Hồ sơ tiếp nhận"] == everything


def test_accounts_without_sign_in_show_nothing(monkeypatch, small_db, app_test_as_served):
    monkeypatch.setenv("REFORM_DB", str(small_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.secrets["access"] = {"accounts": {"a@b.vn": "*"}}
    at.run()
    assert at.error and not at.metric and not at.exception


def test_only_a_verified_email_is_looked_up():
    v = access.verified_email
    assert v({"email": "a@b.vn", "email_verified": True}) == "a@b.vn"
    assert v({"email": "a@b.vn", "email_verified": "true"}) == "a@b.vn"
    for claims in ({"email": "a@b.vn"}, {"email": "a@b.vn", "email_verified": False},
                   {"email": "a@b.vn", "email_verified": "false"}, {"email_verified": True},
                   {"email": "a@b.vn", "email_verified": False, "xms_edov": True}):  # the standard claim wins
        assert v(claims) is None, claims
    assert v({"email": "a@b.vn", "xms_edov": True}) == "a@b.vn"   # Microsoft Entra's equivalent


def test_sign_in_with_an_unverified_email_is_refused(monkeypatch, small_db, app_test_as_served, tree):
    from ui import access as ui_access
    monkeypatch.setenv("REFORM_DB", str(small_db))
    accounts = {"lanhdao@camau.gov.vn": "*"}

    def as_claims(claims):
        monkeypatch.setattr(ui_access, "_claims", lambda: {"is_logged_in": True, **claims})
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
        at.secrets.update({**SECRETS, "access": {"accounts": accounts}})
        return at.run()

    at = as_claims({"email": "lanhdao@camau.gov.vn"})     # listed, but the provider does not vouch for it
    assert not at.metric and not at.exception and "email_verified" in at.error[0].value
    at = as_claims({"email": "lanhdao@camau.gov.vn", "email_verified": False})
    assert not at.metric and "email_verified" in at.error[0].value
    at = as_claims({"email": "LanhDao@camau.gov.vn", "email_verified": True})
    assert at.metric and not at.exception


@pytest.fixture(scope="module")
def successors(small_db):
    """Today's units that replaced others: the first few, and some whose predecessors were split."""
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        whole = [r[0] for r in con.execute("select distinct today_code from unit_restated where old_code <> today_code "
                                           "order by 1 limit 3").fetchall()]
        split = [r[0] for r in con.execute("select distinct today_code from unit_restated where approximate "
                                           "order by today_code desc limit 2").fetchall()]
    finally:
        con.close()
    assert whole and split
    return whole + split


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(
        x == y or (x != x and y != y) or (isinstance(x, float) and y == pytest.approx(x, rel=1e-9)) for x, y in
        ((a[k], b[k]) for k in a))


def test_a_scoped_account_sees_its_unit_restated(small_db, successors):
    """The restated lens of an account limited to one of today's units: the unscoped restated numbers of
    that unit (its predecessors' dossiers, shared by weight), not its as-recorded ones; and its
    as-recorded numbers stay its own units' only."""
    everything = db.Reader(small_db)
    shown_before = 0
    for unit in successors:
        scoped = db.Reader(small_db, unit)
        try:
            for code in ("2024Q2", "2025", "2025Q4"):
                p = periods.parse(code)
                for lens in ("restated", "recorded"):
                    want = compute.kpis(everything, p, unit=unit, lens=lens)[0]
                    assert _same(compute.kpis(scoped, p, lens=lens)[0], want), (unit, code, lens)
                    assert _same(compute.kpis(scoped, p, unit=unit, lens=lens)[0], want), (unit, code, lens)
            before = periods.parse("2024Q2")  # before 1/7/2025 the unit did not exist: only restated counts
            shown_before += compute.kpis(scoped, before, lens="restated")[0]["F01"] > 0
            assert compute.kpis(scoped, before)[0]["F01"] == 0
            by_unit = compute.kpis(scoped, before, by="unit", lens="restated")
            assert {r["unit_code"] for r in by_unit} <= set(queries.run(scoped, "unit_list")["unit_code"])
        finally:
            scoped.close()
    assert shown_before >= 3   # before the fix: 0 for every one (the as-recorded numbers)


def test_a_scoped_account_link_with_the_restated_lens(signed_in_app, successors):
    unit = successors[-1]
    accounts = {"lanhdao@camau.gov.vn": "*", "phuong@camau.gov.vn": unit}
    cards = {}
    for email, params in (("phuong@camau.gov.vn", {}), ("lanhdao@camau.gov.vn", {"unit": unit})):
        at = signed_in_app(email, accounts, p=PERIOD, lens="restated", **params)
        assert not at.exception and not [w for w in at.main.warning if w.icon == ":material/link_off:"]  # p, lens kept
        cards[email] = {m.label: m.value for m in at.metric}
    assert cards["phuong@camau.gov.vn"] == cards["lanhdao@camau.gov.vn"]
    assert cards["phuong@camau.gov.vn"]["Hồ sơ tiếp nhận"] not in ("0", "—")
