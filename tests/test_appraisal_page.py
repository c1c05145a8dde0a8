"""The appraisal page (pages/appraisal.py) through AppTest, signed in as each role: what each sees, an
officer's score saved through the page, the council's queue and decision, nothing of another unit for an
officer whatever the link says."""
from __future__ import annotations

import pytest

from reform import db
from reform.appraisal import check
from reform.appraisal import criteria as crit
from reform.appraisal import store as st_
from reform.safe import md
from tests.test_access import SECRETS
from ui.twin import open_page

ACCOUNTS = {"thuky@camau.gov.vn": "*", "hoidong1@camau.gov.vn": "*", "xem@camau.gov.vn": "*",
            "canbo.a@camau.gov.vn": "C25-01", "canbo.b@camau.gov.vn": "C25-02"}
ROLES = {"secretaries": ["thuky@camau.gov.vn"], "council": ["hoidong1@camau.gov.vn"],
         "officers": ["canbo.a@camau.gov.vn", "canbo.b@camau.gov.vn"]}


@pytest.fixture
def round_(tmp_path, monkeypatch, small_db, app_test_as_served):
    from ui import appraisal as ap
    monkeypatch.setenv("REFORM_DB", str(small_db))
    monkeypatch.setenv("REFORM_APPRAISAL", str(tmp_path / "appraisal.sqlite"))
    ap.store.cache_clear()
    c = crit.load(crit.path_for(2025, "commune"))
    con = db.connect_read_only(small_db)
    try:
        units = check.peer_units(con, c)
    finally:
        con.close()
    s = st_.Store()
    rid = s.open_round(st_.Actor("thuky@camau.gov.vn", "secretary"), c, units)
    yield s, rid, c
    ap.store.cache_clear()


def as_account(monkeypatch, email: str | None, **params):
    from ui import access as ui_access
    monkeypatch.setattr(ui_access, "_signed_in", lambda: (email is not None, email))
    return open_page("appraisal", params, secrets={**SECRETS, "access": {"accounts": ACCOUNTS}, "appraisal": ROLES})


def s_db(monkeypatch) -> str:
    import os
    return os.environ["REFORM_DB"]


def test_an_officer_sees_and_saves_only_its_own_unit(round_, monkeypatch):
    s, rid, c = round_
    at = as_account(monkeypatch, "canbo.a@camau.gov.vn", au="C25-02")    # a link naming another unit
    assert not at.exception, at.exception
    assert "C25\\-01" in at.caption[0].value     # escaped for Markdown (reform.safe.md)
    shown = at.dataframe[0].value
    assert len(shown) == len(c.leaves)          # its own entry, one row per criterion
    assert not any("C25-02" in str(v) for v in at.dataframe[0].value.to_numpy().ravel())
    at.selectbox(key="appr-leaf").select("1.1").run()
    points = next(sb for sb in at.selectbox if sb.label.startswith("Điểm"))
    points.select(1.0)
    at.text_area[0].input("Kế hoạch số 12/KH-UBND")
    next(b for b in at.button if b.label == "Lưu").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    row = s.entry(st_.Actor("x", "council"), rid, "C25-01")["scores"]["1.1"]
    assert (row["self_points"], row["self_note"], row["updated_by"]) == (1.0, "Kế hoạch số 12/KH-UBND",
                                                                          "canbo.a@camau.gov.vn")
    with pytest.raises(KeyError):
        s.entry(st_.Actor("x", "council"), rid, "C25-02")["scores"]["1.1"]


def test_the_council_sees_the_queue_and_a_unit_with_its_data_check(round_, monkeypatch):
    s, rid, c = round_
    me = st_.Actor("canbo.a@camau.gov.vn", "officer", "C25-01")
    for leaf in c.leaves:
        s.self_assess(me, rid, "C25-01", leaf.code, leaf.max)
    s.submit(me, rid, "C25-01")
    at = as_account(monkeypatch, "hoidong1@camau.gov.vn", au="C25-01")
    assert not at.exception, at.exception
    queue, entry = at.dataframe[0].value, at.dataframe[1].value
    assert len(queue) == len(s.queue(st_.Actor("x", "secretary"), rid)) >= 3
    assert len(entry) == len(c.leaves)
    flagged = check.differences(check.data_points(db.connect_read_only(s_db(monkeypatch)), c, "C25-01"),
                                s.entry(st_.Actor("x", "council"), rid, "C25-01")["scores"])
    assert flagged       # full marks everywhere: the data earn less somewhere, and the page says where
    assert any(md(", ".join(flagged)) in w.value for w in at.warning), [w.value for w in at.warning]  # as Markdown source
    at.selectbox(key="appr-decide-leaf").select("1.2").run()
    at.radio[0].set_value("adjusted")
    next(n for n in at.number_input).set_value(1.5)
    at.text_area[0].input("Thiếu minh chứng quý IV")
    next(b for b in at.button if b.label == "Ghi quyết định").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    row = s.entry(st_.Actor("x", "council"), rid, "C25-01")["scores"]["1.2"]
    assert (row["decision"], row["council_points"], row["updated_by"]) == ("adjusted", 1.5, "hoidong1@camau.gov.vn")


@pytest.mark.parametrize("email", ["xem@camau.gov.vn", "nguoila@example.com"])
def test_a_viewer_sees_no_entry(round_, monkeypatch, email):
    accounts = {**ACCOUNTS, email: "*"}
    from ui import access as ui_access
    monkeypatch.setattr(ui_access, "_signed_in", lambda: (True, email))
    at = open_page("appraisal", {"au": "C25-01"}, secrets={**SECRETS, "access": {"accounts": accounts},
                                                          "appraisal": ROLES})
    assert not at.exception
    assert "chưa công bố" in " ".join(c.value for c in at.caption)
    [only] = at.dataframe       # the criteria, which everyone may read; no unit's entry
    assert list(only.value["Tiêu chí"]) == [x.code for x in round_[2].leaves]


def test_a_mistake_in_the_roles_is_said_and_nothing_shown(round_, monkeypatch):
    from ui import access as ui_access
    monkeypatch.setattr(ui_access, "_signed_in", lambda: (True, "thuky@camau.gov.vn"))
    at = open_page("appraisal", {}, secrets={**SECRETS, "access": {"accounts": ACCOUNTS},
                                             "appraisal": {**ROLES, "officers": ["thuky@camau.gov.vn"]}})
    assert at.error and "cannot also appraise" in at.error[0].value and not at.dataframe


def test_published_results_show_beside_the_local_estimate(round_, monkeypatch, small_db):
    """Once published, a commune's appraised index shows on its Indicators and Units pages (and in
    their JSON twins) with its rank; before that, nowhere."""
    from tests.test_appraisal import MEMBER_1, SECRETARY
    from ui import twin
    s, rid, c = round_
    units = [q["unit_code"] for q in s.queue(SECRETARY, rid)]
    link = "/indicators?g=year&p=2025&lens=restated&unit=C25-01"
    assert not [x for x in twin.view(link, db=small_db)["cards"] if x["code"] == "PAR"]
    for unit in units:
        me = st_.Actor(f"canbo.{unit}", "officer", unit)
        for leaf in c.leaves:
            s.self_assess(me, rid, unit, leaf.code, leaf.max if unit != "C25-01" else 0.0)
        s.submit(me, rid, unit)
        for code, sc in s.entry(MEMBER_1, rid, unit)["scores"].items():
            s.decide(MEMBER_1, rid, unit, code, "accepted", sc["version"])
        s.appraise(MEMBER_1, rid, unit)
    s.close(SECRETARY, rid)
    assert not [x for x in twin.view(link, db=small_db)["cards"] if x["code"] == "PAR"]     # closed, not published
    s.publish(SECRETARY, rid)
    mine = next(r for r in s.results(SECRETARY, rid) if r["unit_code"] == "C25-01")
    assert mine["rank"] == len(units) and mine["index"] == 0
    for page in ("indicators", "units"):
        [par] = [x for x in twin.view(link.replace("/indicators", f"/{page}"), db=small_db)["cards"] if x["code"] == "PAR"]
        assert (par["value"], par["rank"], par["of"], par["year"]) == (0, len(units), len(units), 2025)
    at = open_page("indicators", {"g": "year", "p": "2025", "lens": "restated", "unit": "C25-02"})
    metric = next(m for m in at.metric if m.label.startswith("Chỉ số CCHC thẩm định năm 2025"))
    assert metric.value == "100,00 %"
