"""The dashboard through Streamlit's AppTest, on the small generated sample: every page runs; every
global filter, set by a deep link or by changing the widget, shows the KPI values that an independent
pandas recount of the raw dossiers gives; bad links give a notice and the default view; the dossier
list behind a count holds exactly the dossiers of that count."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from reform import periods, safe
from tests import reference

PAGES = ["overview", "dossiers", "units", "procedures", "indicators", "data"]
TITLES = {"vi": ["Tổng quan", "Hồ sơ", "Đơn vị", "Thủ tục", "Chỉ số", "Dữ liệu"],
          "en": ["Overview", "Dossiers", "Units", "Procedures", "Indicators", "Data"]}


def vi_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def vi_pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.2f}".replace(".", ",") + " %"


def en_pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.2f}%"


@pytest.fixture(scope="module")
def ref(small_db):
    d, units, procs = reference.load(small_db)
    return d, units, procs


def expected(ref, period: str, **filters) -> dict:
    """The KPIs from the raw rows: filters applied with pandas, counted by tests/reference.py."""
    d, units, procs = ref
    m = pd.Series(True, index=d.index)
    if filters.get("level"):
        m &= d["level"] == filters["level"]
    if filters.get("unit"):
        m &= d["unit_code"].isin(reference.descendants(units, filters["unit"]))
    if filters.get("field"):
        m &= d["field"] == filters["field"]
    if filters.get("proc"):
        m &= d["procedure_code"] == filters["proc"]
    if filters.get("ch"):
        m &= d["channel"] == int(filters["ch"])
    p = periods.parse(period)
    return reference.kpis_from_counts(reference.dossier_counts(d[m], p.start, p.end, reference.data_end(d)))


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def check_cards(at: AppTest, want: dict, lang: str = "vi") -> None:
    got = cards(at)
    names = {"vi": ("Hồ sơ tiếp nhận", "Tỷ lệ nộp trực tuyến", "Tỷ lệ giải quyết đúng hạn", "Đang xử lý quá hạn"),
             "en": ("Dossiers received", "Online share", "On-time rate", "Open, overdue")}[lang]
    integer = vi_int if lang == "vi" else (lambda n: f"{n:,}")
    pct = vi_pct if lang == "vi" else en_pct
    assert got[names[0]] == integer(want["F01"])
    assert got[names[1]] == pct(want["F05"])
    assert got[names[2]] == pct(want["F10"])
    assert got[names[3]] == integer(want["F11o"])


def notices(at: AppTest) -> list[str]:
    """The link notices, in the main area (the sidebar may also say that the data is stale)."""
    return [safe.shown(w.value) for w in at.main.warning]  # as read: the values are escaped Markdown


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(open_app, page, lang):
    at = open_app(page, lang=lang, p="2024Q2")
    assert not at.exception, at.exception
    assert at.title[0].value == TITLES[lang][PAGES.index(page)]


def test_default_view_is_the_latest_quarter(open_app, ref):
    at = open_app()
    d = ref[0]
    q = periods.quarter_of(d["received_day"].max().date())
    check_cards(at, expected(ref, q.code))
    assert q.label("vi") in at.caption[0].value


@pytest.mark.parametrize("params", [
    {"p": "2024Q2"},
    {"g": "month", "p": "2024-05"},
    {"g": "year", "p": "2023"},
    {"p": "2024Q2", "level": "commune"},
    {"p": "2024Q2", "unit": "964"},
    {"p": "2024Q2", "ch": "2"},
    {"p": "2024Q2", "field": "Hộ tịch"},
    {"p": "2025Q2", "level": "district", "ch": "1"},
], ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_a_deep_link_opens_its_view(open_app, ref, params):
    at = open_app(**params)
    assert not at.exception
    assert not notices(at)
    check_cards(at, expected(ref, params["p"], **params))
    # the view writes its filters back to the URL as codes
    for k, v in params.items():
        assert at.query_params[k] == [v] or at.query_params[k] == v


def test_the_english_switch_formats_numbers_the_english_way(open_app, ref):
    at = open_app(lang="en", p="2024Q2", unit="964")
    check_cards(at, expected(ref, "2024Q2", unit="964"), lang="en")
    assert "Q2 2024" in at.caption[0].value


@pytest.mark.parametrize("key,value,period", [
    ("level", "commune", "2024Q2"), ("unit", "966", "2024Q2"), ("ch", "3", "2024Q2"),
    ("field", "Đất đai", "2024Q2"), ("p", "2023Q4", "2023Q4"),
])
def test_changing_a_filter_in_an_open_session_changes_the_cards(open_app, ref, key, value, period):
    # a change of the URL within a session (the back and forward buttons, an edited link); the widgets
    # themselves are driven in the browser tests (AppTest loses the entrypoint's widgets after the
    # first run, tech-notes §2b)
    at = open_app(p="2024Q2")
    before = cards(at)
    at.query_params[key] = value
    at.run()
    assert not at.exception
    assert not notices(at)
    want = expected(ref, period, **({} if key == "p" else {key: value}))
    check_cards(at, want)
    assert cards(at) != before


@pytest.mark.parametrize("params,bad", [
    ({"unit": "NOPE"}, "unit"),
    ({"level": "county"}, "level"),
    ({"p": "2024Q9"}, "p"),
    ({"g": "week"}, "g"),
    ({"ch": "9"}, "ch"),
    ({"ch": "x'; drop table dossiers; --"}, "ch"),
    ({"unit": "964' or '1'='1"}, "unit"),
    ({"lang": "fr"}, "lang"),
    ({"p": "x" * 5000}, "p"),
    ({"utm_source": "mail"}, "utm_source"),
], ids=lambda x: str(x)[:30])
def test_a_malformed_link_gives_a_notice_and_the_default(open_app, ref, params, bad):
    at = open_app(**params)
    assert not at.exception
    shown = notices(at)
    assert len(shown) == 1 and bad[:40] in shown[0]
    d = ref[0]
    q = periods.quarter_of(d["received_day"].max().date())
    check_cards(at, expected(ref, q.code))


def test_an_inverted_trend_range_gives_a_notice(open_app):
    at = open_app(p="2022Q1", p0="2024Q1")
    assert not at.exception
    assert any("2024" in n for n in notices(at))
    assert at.session_state["p0"] == "2019Q1"  # the whole history instead


def test_an_empty_scope_says_why(open_app, small_db):
    # a procedure of the catalogue that no dossier ever used
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        proc = con.execute("select min(procedure_code) from procedures "
                           "where procedure_code not in (select procedure_code from dossiers)").fetchone()[0]
    finally:
        con.close()
    at = open_app(p="2020Q1", proc=proc)
    assert not at.exception and not at.main.warning
    assert any("Không có hồ sơ nào trong Quý I/2020" in i.value for i in at.info)


@pytest.mark.parametrize("set_code", ["F01", "F04o", "F09", "F11o", "F13r", "FIN"])
def test_the_dossier_list_holds_the_dossiers_of_its_count(open_app, ref, set_code):
    at = open_app("dossiers", p="2024Q2", unit="964", list=set_code)
    assert not at.exception
    want = expected(ref, "2024Q2", unit="964")
    n = want["F07"] + want["F08"] + want["F09"] if set_code == "FIN" else want[set_code]
    header = [m.value for m in at.markdown if "Quý II/2024" in m.value]
    assert header and f"· {vi_int(n)} hồ sơ" in header[0]
    table = at.dataframe[-1].value
    assert len(table) == min(n, 50)
    # every listed dossier is one of the set, by an independent rule
    d = ref[0]
    listed = d[d["dossier_code"].isin(table["dossier_code"])]
    if set_code == "F11o":
        assert (listed["due_day"] < pd.Timestamp(dt.date(2024, 6, 30))).all()
    if set_code == "F09":
        assert (listed["outcome"] == "late").all()


def test_a_dossier_list_page_past_the_end_gives_a_notice(open_app):
    at = open_app("dossiers", p="2024Q2", unit="964", list="F09", page="999")
    assert not at.exception
    assert any("page" in n for n in notices(at))


def test_the_indicator_review_shows_numerators_and_denominators(open_app, ref):
    at = open_app("indicators", p="2024Q2", unit="964")
    assert not at.exception
    review = at.dataframe[0].value.set_index("Mã")
    want = expected(ref, "2024Q2", unit="964")
    assert review.loc["F05", "Tử số"] == vi_int(want["F04o"])
    assert review.loc["F05", "Mẫu số"] == vi_int(want["F01"])
    assert review.loc["F05", "Giá trị"] == vi_pct(want["F05"])
    assert review.loc["F10", "Mẫu số"] == vi_int(want["F07"] + want["F08"] + want["F09"])


@pytest.mark.parametrize("stale_days,shown", [("1", True), ("100000", False)])
def test_stale_data_is_flagged_on_every_page(open_app, ref, monkeypatch, stale_days, shown):
    """REFORM_STALE_DAYS: a warning in the sidebar of every page once the newest dossier is older."""
    monkeypatch.setenv("REFORM_STALE_DAYS", stale_days)
    newest = ref[0]["received_day"].max().date()
    days = (dt.date.today() - newest).days
    for page in ("overview", "data"):
        at = open_app(page, p="2024Q2")
        flagged = [w.value for w in at.sidebar.warning if "cũ" in w.value]
        if shown:
            assert flagged == [f"Dữ liệu cũ: hồ sơ mới nhất tiếp nhận ngày {newest:%d/%m/%Y}, cách đây {days} ngày."]
        else:
            assert flagged == []
